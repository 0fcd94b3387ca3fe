import { randomBytes } from "node:crypto";
import { type BuiltApp, buildApp } from "./api/app.js";
import { addUser, isFirstRun } from "./api/auth/accounts.js";
import type { AppContext } from "./api/context.js";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { openStore, type Store } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";

export interface RunningServer {
  /** The URL the server listens on (the real port when PORT=0). */
  url: string;
  store: Store;
  built: BuiltApp;
  /** Set on the first start only: the admin login that was created. */
  createdAdmin: { email: string; password: string; generated: boolean } | null;
  /** Graceful stop: no new connections, in-flight requests finish, then the database closes. */
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
}

/** Opens and migrates the database, creates the first admin when there is no user, and listens. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
  });
  try {
    const applied = await migrateToLatest(store);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
    const createdAdmin = await ensureAdmin(store, config, now());
    const ctx: AppContext = { config, store, logger, now };
    const built = await buildApp(ctx, options.webRoot ? { webRoot: options.webRoot } : {});
    const address = await built.app.listen({ port: config.port, host: config.host });
    const port = new URL(address).port;
    const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    const url = config.port === 0 ? `http://${shownHost}:${port}` : config.publicUrl;
    let closing: Promise<void> | null = null;
    return {
      url,
      store,
      built,
      createdAdmin,
      close: () => {
        closing ??= (async () => {
          await built.app.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * On the first start (no users at all) creates the admin from HERALD_ADMIN_EMAIL/PASSWORD, or
 * admin@herald.local with a generated password. Returns the login to show once, or null.
 */
async function ensureAdmin(store: Store, config: Config, now: number): Promise<RunningServer["createdAdmin"]> {
  if (!(await isFirstRun(store))) return null;
  const email = config.adminEmail ?? "admin@herald.local";
  const generated = config.adminPassword === null;
  const password = config.adminPassword ?? randomBytes(12).toString("base64url");
  await addUser(store, { email, name: "Administrator", password, role: "admin" }, now);
  return { email, password, generated };
}
