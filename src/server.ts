import { randomBytes } from "node:crypto";
import { type BuiltApp, buildApp } from "./api/app.js";
import { addUser, isFirstRun } from "./api/auth/accounts.js";
import type { AppContext } from "./api/context.js";
import type { Config } from "./config.js";
import { seedDemo } from "./demo.js";
import { type EmbeddedSandbox, startEmbeddedSandbox } from "./engine/embedded-sandbox.js";
import { type EngineHandle, type RunningEngine, startEngine } from "./engine/engine.js";
import { type EngineThread, startEngineThread } from "./engine/engine-thread.js";
import { ProviderRegistry } from "./engine/providers.js";
import type { Logger } from "./logger.js";
import { SecretBox } from "./secret-box.js";
import { newWriteGateBuffer, openStore, type Store } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";

export interface RunningServer {
  /** The URL the server listens on (the real port when PORT=0). */
  url: string;
  store: Store;
  built: BuiltApp;
  /** The embedded Cloud API sandbox, when enabled. */
  sandbox: EmbeddedSandbox | null;
  /** The engine's loops (applier, dispatcher, scheduler, template sync); null with `role: "api"` or in a thread. */
  engine: RunningEngine | null;
  /** The engine's thread, with `engineThread: true`. */
  engineThread: EngineThread | null;
  /** Set on the first start only: the admin login that was created. */
  createdAdmin: { email: string; password: string; generated: boolean } | null;
  /** What the first start's demo data created (empty on later starts or with `--no-demo`). */
  demo: string[];
  /** Graceful stop: no new connections, in-flight requests finish, then the sandbox and the database close. */
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  now?: () => number;
  /** Serve the dashboard from here instead of web/dist (tests). */
  webRoot?: string;
  /** PostgreSQL schema to use (tests). */
  pgSchema?: string;
  /** Create the demo data on the first start (default true; `herald start --no-demo` turns it off). */
  demo?: boolean;
  /**
   * `all` (default): HTTP and the engine's loops in this process. `api`: HTTP only; `herald worker`
   * processes on the same PostgreSQL run the loops (DESIGN §5).
   */
  role?: "api" | "all";
  /**
   * With role `all`: run the engine's loops in a worker thread with its own database connection
   * (`herald start` with HERALD_ENGINE_THREAD=true), so the HTTP side has an event loop of its own. Default false:
   * on SQLite the two connections measured slower than one (docs/architecture.md#threads).
   */
  engineThread?: boolean;
}

/** What the API pokes when the loops run in other processes: they poll on their own, within a second. */
const REMOTE_ENGINE: EngineHandle = { wakeApplier: () => {}, wakeDispatcher: () => {}, tickScheduler: async () => {} };

/**
 * Opens and migrates the database, starts the embedded sandbox, creates the first admin (and the
 * demo data) when there is no user yet, and listens.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const threaded = options.role !== "api" && options.engineThread === true;
  // SQLite: this connection and the engine thread's take turns at writing (store/db.ts SqliteWriteGate).
  const gate = threaded && !config.databaseUrl ? newWriteGateBuffer() : null;
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
    ...(gate ? { sqliteGate: { buffer: gate, side: "http" as const } } : {}),
  });
  const box = new SecretBox(config.secretKey);
  let sandbox: EmbeddedSandbox | null = null;
  let providers: ProviderRegistry | null = null;
  let engine: RunningEngine | null = null;
  let thread: EngineThread | null = null;
  try {
    const applied = await migrateToLatest(store);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
    const firstRun = await isFirstRun(store);
    const createdAdmin = firstRun ? await createAdmin(store, config, now()) : null;
    if (config.sandbox) {
      sandbox = await startEmbeddedSandbox(
        { port: config.sandboxPort, host: config.host, templateReviewDelayMs: config.sandboxReviewDelayMs },
        store,
        box,
      );
    }
    providers = new ProviderRegistry({ cloudOrigin: config.graphOrigin, sandboxOrigin: sandbox?.origin ?? null });
    const demo = firstRun && options.demo !== false ? await seedDemo({ store, box, config, sandbox }, now()) : [];
    if (threaded) {
      thread = await startEngineThread({
        data: {
          config,
          sandboxOrigin: sandbox?.origin ?? null,
          sqliteGate: gate,
          ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
        },
        logger,
      });
    } else if (options.role !== "api") {
      engine = startEngine({ store, box, providers, logger, now });
    }
    const ctx: AppContext = {
      config,
      store,
      logger,
      now,
      box,
      providers,
      sandbox,
      engine: engine ?? thread ?? REMOTE_ENGINE,
      refreshesInEngine: thread !== null,
    };
    const built = await buildApp(ctx, options.webRoot ? { webRoot: options.webRoot } : {});
    const address = await built.app.listen({ port: config.port, host: config.host });
    const port = new URL(address).port;
    const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    const url = config.port === 0 ? `http://${shownHost}:${port}` : config.publicUrl;
    // The embedded sandbox runs on this machine: it calls Herald back over loopback.
    await sandbox?.attach(`http://127.0.0.1:${port}/webhooks/whatsapp`);
    const registry = providers;
    const running = engine;
    const runningThread = thread;
    let closing: Promise<void> | null = null;
    return {
      url,
      store,
      built,
      sandbox,
      engine: running,
      engineThread: runningThread,
      createdAdmin,
      demo,
      close: () => {
        closing ??= (async () => {
          await built.app.close();
          await running?.stop();
          await runningThread?.stop();
          await registry.close();
          await sandbox?.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await engine?.stop();
    await thread?.stop();
    await providers?.close();
    await sandbox?.close();
    await store.close();
    throw err;
  }
}

/** Creates the first admin from HERALD_ADMIN_EMAIL/PASSWORD, or admin@herald.local with a generated password. */
async function createAdmin(
  store: Store,
  config: Config,
  now: number,
): Promise<NonNullable<RunningServer["createdAdmin"]>> {
  const email = config.adminEmail ?? "admin@herald.local";
  const generated = config.adminPassword === null;
  const password = config.adminPassword ?? randomBytes(12).toString("base64url");
  await addUser(store, { email, name: "Administrator", password, role: "admin" }, now);
  return { email, password, generated };
}
