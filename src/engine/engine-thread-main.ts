/**
 * The body of the engine thread (engine-thread.ts starts it): its own database connection, provider registry and
 * loops, driven by the parent's messages. The parent has already migrated the database and seeded the demo.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createLogger } from "../logger.js";
import { SecretBox } from "../secret-box.js";
import { openStore } from "../store/db.js";
import { startEngine } from "./engine.js";
import type { EngineThreadData, FromEngine, ToEngine } from "./engine-thread.js";
import { ProviderRegistry } from "./providers.js";

const port = parentPort;
if (!port) throw new Error("engine-thread-main runs only as a worker thread (see engine-thread.ts)");
const data = workerData as EngineThreadData;
const config = { ...data.config, secretKey: Buffer.from(data.config.secretKey) };
const logger = createLogger(config).child({ thread: "engine" });
const store = await openStore({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  ...(data.pgSchema ? { pgSchema: data.pgSchema } : {}),
  // The engine waits for the HTTP side's writes, however long (before the thread, they queued on one connection).
  ...(data.sqliteGate
    ? { sqliteGate: { buffer: data.sqliteGate, side: "engine" as const }, busyTimeoutMs: 600_000 }
    : {}),
});
const providers = new ProviderRegistry({ cloudOrigin: config.graphOrigin, sandboxOrigin: data.sandboxOrigin });
const engine = startEngine({
  store,
  box: new SecretBox(config.secretKey),
  providers,
  logger,
  now: Date.now,
  refreshes: true,
});
const send = (message: FromEngine) => port.postMessage(message);

port.on("message", (m: ToEngine) => {
  switch (m.type) {
    case "wake":
      if (m.loop === "applier") engine.wakeApplier();
      else if (m.loop === "dispatcher") engine.wakeDispatcher();
      else engine.wakeNotifier?.();
      return;
    case "tick":
      engine.tickScheduler().then(
        () => send({ type: "ticked", id: m.id }),
        (err: unknown) => {
          logger.error({ err }, "scheduler tick failed");
          send({ type: "ticked", id: m.id });
        },
      );
      return;
    case "stop":
      void (async () => {
        try {
          await engine.stop();
          await providers.close();
          await store.close();
        } catch (err) {
          logger.error({ err }, "engine thread: stopping failed");
        }
        send({ type: "stopped" });
        port.close();
      })();
      return;
  }
});
send({ type: "ready" });
