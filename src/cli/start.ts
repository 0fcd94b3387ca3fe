import { type Command, InvalidArgumentError } from "commander";
import { parsePort } from "./common.js";
import { runWorker } from "./worker.js";

const ROLES = ["api", "worker", "all"] as const;
type StartRole = (typeof ROLES)[number];

function parseStartRole(value: string): StartRole {
  if (!(ROLES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`--role must be api, worker or all (got "${value}")`);
  return value as StartRole;
}

/** `herald start`: the server and dashboard (and, as they land, the sandbox and the engine). */
export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description("start the server and the dashboard; migrates the database first")
    .option("--port <port>", "listen on this port (overrides PORT)", parsePort)
    .option("--host <host>", "listen on this address (overrides HOST)")
    .option("--no-demo", "on the first start, do not create the demo data")
    .option(
      "--role <role>",
      "all: HTTP and the engine's loops; api: HTTP only (run `herald worker` processes too); worker: loops only",
      parseStartRole,
      "all",
    )
    .action(async (opts: { port?: number; host?: string; demo: boolean; role: StartRole }) => {
      if (opts.role === "worker") return runWorker();
      const started = Date.now();
      // Imported here, not at the top, so `herald --help` and the one-shot commands start fast.
      const [{ loadConfig }, { createLogger }, { startServer }] = await Promise.all([
        import("../config.js"),
        import("../logger.js"),
        import("../server.js"),
      ]);
      const env = { ...process.env };
      if (opts.port !== undefined) env.PORT = String(opts.port);
      if (opts.host !== undefined) env.HOST = opts.host;
      const config = loadConfig({ env, createDataDir: true });
      const logger = createLogger(config);
      const server = await startServer({
        config,
        logger,
        demo: opts.demo,
        role: opts.role,
        engineThread: config.engineThread,
      });
      const lines = [
        "",
        `  Herald is ready in ${Date.now() - started} ms`,
        `  Dashboard:  ${server.url}/`,
        `  API docs:   ${server.url}/docs`,
        `  Database:   ${server.store.location}`,
      ];
      if (opts.role === "api")
        lines.push("  Role:       api (no sending or webhook applying here: run `herald worker`)");
      if (server.sandbox)
        lines.push(`  Sandbox:    ${server.sandbox.origin} (Cloud API emulator; HERALD_SANDBOX=false turns it off)`);
      for (const item of server.demo) lines.push(`  Demo:       ${item}`);
      if (config.secretKeySource === "generated")
        lines.push(`  Secret key: generated into ${config.dataDir}/secret.key (back it up)`);
      if (server.createdAdmin) {
        lines.push("", "  First start: an admin account was created.", `    email:    ${server.createdAdmin.email}`);
        lines.push(
          server.createdAdmin.generated
            ? `    password: ${server.createdAdmin.password}   (shown once; change it in Settings)`
            : "    password: the one in HERALD_ADMIN_PASSWORD",
        );
      }
      process.stderr.write(`${lines.join("\n")}\n\n`);

      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, "shutting down: finishing in-flight requests");
        const force = setTimeout(() => {
          logger.error("shutdown took longer than 10 s; exiting");
          process.exit(1);
        }, 10_000);
        force.unref();
        server.close().then(
          () => {
            logger.info("stopped");
            process.exit(0);
          },
          (err: unknown) => {
            logger.error({ err }, "error while stopping");
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", () => stop("SIGTERM"));
      process.on("SIGINT", () => stop("SIGINT"));
    });
}
