import type { Config } from "./config.js";
import { type RunningEngine, startEngine } from "./engine/engine.js";
import { ProviderRegistry } from "./engine/providers.js";
import type { Logger } from "./logger.js";
import { SecretBox } from "./secret-box.js";
import { openStore, type Store } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";

export interface RunningWorker {
  store: Store;
  engine: RunningEngine;
  /** Stops the loops (sends in flight finish, leases are released), then closes the database. */
  close(): Promise<void>;
}

export interface WorkerOptions {
  config: Config;
  logger: Logger;
  now?: () => number;
  /** PostgreSQL schema to use (tests). */
  pgSchema?: string;
}

/**
 * `herald worker`: the engine's loops (applier, dispatcher, scheduler, template sync) against the
 * configured database, without the HTTP server, the dashboard or the embedded sandbox (DESIGN §5).
 * Several workers share one PostgreSQL: claims use SKIP LOCKED, each sender number and the scheduler
 * are owned by one process at a time through `engine_leases`. Sandbox senders without their own
 * origin go to the sandbox of `herald start` on this machine (HERALD_SANDBOX_PORT).
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
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
  } catch (err) {
    await store.close();
    throw err;
  }
  const sandboxOrigin = config.sandbox && config.sandboxPort > 0 ? `http://127.0.0.1:${config.sandboxPort}` : null;
  const providers = new ProviderRegistry({ cloudOrigin: config.graphOrigin, sandboxOrigin });
  const engine = startEngine({ store, box: new SecretBox(config.secretKey), providers, logger, now });
  let closing: Promise<void> | null = null;
  return {
    store,
    engine,
    close: () => {
      closing ??= (async () => {
        await engine.stop();
        await providers.close();
        await store.close();
      })();
      return closing;
    },
  };
}
