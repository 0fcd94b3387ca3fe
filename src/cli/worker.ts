import type { Command } from "commander";

/**
 * Runs the engine's loops without HTTP until SIGTERM/SIGINT (`herald worker`, `herald start --role worker`).
 * Prints one line when ready; on a signal, stops the loops cleanly (sends in flight finish, leases are
 * released so another worker takes the numbers at once) and exits.
 */
export async function runWorker(): Promise<void> {
  const started = Date.now();
  const [{ loadConfig }, { createLogger }, { startWorker }] = await Promise.all([
    import("../config.js"),
    import("../logger.js"),
    import("../worker.js"),
  ]);
  const config = loadConfig({ createDataDir: true });
  const logger = createLogger(config);
  const worker = await startWorker({ config, logger });
  process.stderr.write(
    `herald worker ready in ${Date.now() - started} ms (pid ${process.pid}, database ${worker.store.location})\n`,
  );
  if (worker.store.dialect.name === "sqlite")
    process.stderr.write("  SQLite: run one process only (this worker, or `herald start`, not both).\n");
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker shutting down: finishing sends in flight");
    const force = setTimeout(() => {
      logger.error("worker shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    worker.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "error while stopping the worker");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** `herald worker`: the engine's loops only (dispatcher, applier, scheduler, template sync), no HTTP server. */
export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description(
      "run only the engine's loops (sending, webhook applying, scheduling) against DATABASE_URL; run any number on PostgreSQL",
    )
    .action(runWorker);
}
