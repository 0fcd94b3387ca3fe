// A dispatcher in its own process, for the crash test: opens the SQLite database at argv[2], sends everything due
// through the real dispatcher, and exits 0 when idle. The parent kills it with SIGKILL at random moments.
import { startDispatcher } from "../../../src/engine/dispatcher.js";
import { ProviderRegistry } from "../../../src/engine/providers.js";
import { createLogger } from "../../../src/logger.js";
import { SecretBox } from "../../../src/secret-box.js";
import { openStore } from "../../../src/store/db.js";

const [dataDir, keyHex, origin] = process.argv.slice(2);
if (!dataDir || !keyHex || !origin) throw new Error("usage: dispatcher-child DATA_DIR KEY_HEX ORIGIN");
const store = await openStore({ databaseUrl: null, dataDir });
const providers = new ProviderRegistry({ cloudOrigin: origin, sandboxOrigin: origin });
const dispatcher = startDispatcher({
  store,
  box: new SecretBox(Buffer.from(keyHex, "hex")),
  providers,
  logger: createLogger({ logLevel: "silent" }),
  now: Date.now,
  pollMs: 20,
});
await dispatcher.idle();
await dispatcher.stop();
await providers.close();
await store.close();
process.stdout.write("idle\n");
