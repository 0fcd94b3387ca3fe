/**
 * The engine's loops in a worker thread of the `herald start` process (DESIGN §1, docs/architecture.md "Threads").
 *
 * Optional (`HERALD_ENGINE_THREAD=true`, off by default). Each side gets its own event loop and its own database
 * connection (SQLite in WAL mode: readers never wait, writers take turns through store/db.ts's write gate;
 * PostgreSQL: each its own pool). Measured on SQLite it does not pay: webhook acknowledgements are as fast on one
 * event loop (the intake's group commit fixed those), and the engine costs ~50% more CPU per auto-reply, the two
 * connections taking turns at the writer's lock and invalidating each other's page cache (docs/architecture.md).
 *
 * The API reaches the engine only through EngineHandle (wake a loop, run the scheduler's chores): here those are
 * messages to the thread. Everything else goes through the database, as between `herald start --role api` and
 * `herald worker` processes (DESIGN §5). If the thread dies, the process exits with an error: a server whose
 * engine stopped must not keep acknowledging webhooks it will never apply (a supervisor restarts it; nothing
 * acknowledged is lost, it is in webhook_events).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { EngineHandle } from "./engine.js";

/** What the thread needs to start (structured-cloned: the secret key arrives as a Uint8Array). */
export interface EngineThreadData {
  config: Config;
  /** The embedded sandbox's origin, for senders of provider `sandbox` without their own. */
  sandboxOrigin: string | null;
  /** SQLite: the write gate shared with the HTTP side's connection (store/db.ts); null on PostgreSQL. */
  sqliteGate: SharedArrayBuffer | null;
  pgSchema?: string;
}

/** Parent → thread. */
export type ToEngine =
  | { type: "wake"; loop: "applier" | "dispatcher" | "notifier" }
  | { type: "tick"; id: number }
  | { type: "stop" };

/** Thread → parent. */
export type FromEngine = { type: "ready" } | { type: "ticked"; id: number } | { type: "stopped" };

export interface EngineThread extends EngineHandle {
  /** Stops the loops (sends in flight finish, leases are released), closes the thread's database, ends the thread. */
  stop(): Promise<void>;
}

/** Where tsx's ESM API is, for the bootstrap (import.meta.resolve where the runner has it, else from package.json). */
function tsxApiUrl(): string {
  if (typeof import.meta.resolve === "function") return import.meta.resolve("tsx/esm/api");
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("tsx/package.json");
  return pathToFileURL(join(dirname(pkg), "dist/esm/api/index.mjs")).href;
}

/** Starts the engine thread and resolves once its loops run. */
export async function startEngineThread(options: {
  data: EngineThreadData;
  logger: Logger;
  /** Called when the thread ends without being asked to (default: log and exit the process with code 1). */
  onCrash?: (err: Error) => void;
}): Promise<EngineThread> {
  const { logger } = options;
  // From dist/ the thread runs compiled JavaScript. From the sources (tests, tsx) loader hooks are not inherited by
  // a worker: a small bootstrap registers tsx's in the thread first, then imports the TypeScript module.
  const fromSource = import.meta.url.endsWith(".ts");
  const main = new URL(`./engine-thread-main.${fromSource ? "ts" : "js"}`, import.meta.url);
  const tsx = fromSource ? tsxApiUrl() : null;
  const worker = tsx
    ? new Worker(
        `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(main.href)}); });`,
        { eval: true, workerData: options.data, name: "herald-engine" },
      )
    : new Worker(main, { workerData: options.data, name: "herald-engine" });
  const onCrash =
    options.onCrash ??
    ((err: Error) => {
      logger.fatal({ err }, "the engine thread stopped unexpectedly; exiting");
      process.exit(1);
    });
  let stopping = false;
  let nextTick = 0;
  const ticks = new Map<number, () => void>();
  let stopped: (() => void) | null = null;

  await new Promise<void>((resolve, reject) => {
    const onStartError = (err: Error) => reject(err);
    const onStartExit = (code: number) =>
      reject(new Error(`the engine thread exited with code ${code} while starting`));
    worker.once("error", onStartError);
    worker.once("exit", onStartExit);
    worker.once("message", (m: FromEngine) => {
      worker.off("error", onStartError);
      worker.off("exit", onStartExit);
      if (m.type === "ready") resolve();
      else reject(new Error(`the engine thread said ${m.type} before ready`));
    });
  });

  worker.on("message", (m: FromEngine) => {
    if (m.type === "ticked") {
      ticks.get(m.id)?.();
      ticks.delete(m.id);
    } else if (m.type === "stopped") stopped?.();
  });
  let crashError: Error | null = null;
  worker.on("error", (err) => {
    crashError = err;
  });
  worker.on("exit", (code) => {
    for (const resolve of ticks.values()) resolve();
    ticks.clear();
    stopped?.();
    if (!stopping) onCrash(crashError ?? new Error(`the engine thread exited with code ${code}`));
  });

  const post = (message: ToEngine) => {
    if (!stopping) worker.postMessage(message);
  };
  return {
    wakeApplier: () => post({ type: "wake", loop: "applier" }),
    wakeDispatcher: () => post({ type: "wake", loop: "dispatcher" }),
    wakeNotifier: () => post({ type: "wake", loop: "notifier" }),
    tickScheduler: () =>
      new Promise<void>((resolve) => {
        if (stopping) return resolve();
        const id = ++nextTick;
        ticks.set(id, resolve);
        worker.postMessage({ type: "tick", id } satisfies ToEngine);
      }),
    async stop() {
      if (stopping) return;
      const done = new Promise<void>((resolve) => {
        stopped = resolve;
      });
      worker.postMessage({ type: "stop" } satisfies ToEngine);
      stopping = true;
      await done;
      await worker.terminate();
    },
  };
}
