// `npm run bench -- campaign [recipients] [mps]`: the dispatcher's rate accuracy. Queues N messages for one
// sender number limited to `mps` messages per second, runs the real dispatcher against the sandbox on 127.0.0.1
// (its own process; no webhooks: this measures sending), and reports the time to drain against the ideal N / mps, the sandbox's
// 130429 (throughput exceeded) count, and the largest number of sends in any one-second window.
// Issue 5's bar: 100,000 recipients at 1,000 msg/s within 2% of the ideal 100 s, zero 130429.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDispatcher } from "../src/engine/dispatcher.js";
import { ProviderRegistry } from "../src/engine/providers.js";
import { newId } from "../src/ids.js";
import { createLogger } from "../src/logger.js";
import { SecretBox } from "../src/secret-box.js";
import { openStore } from "../src/store/db.js";
import { insertMessages, type NewMessage } from "../src/store/messages.js";
import { migrateToLatest } from "../src/store/migrate.js";
import { createSender } from "../src/store/senders.js";
import { machineLine } from "./_machine.js";

const bin = new URL("../bin/herald.js", import.meta.url).pathname;
const recipients = Number(process.argv[2] ?? 100_000);
const mps = Number(process.argv[3] ?? 1_000);
const dir = mkdtempSync(join(tmpdir(), "herald-bench-campaign-"));
const store = await openStore({ databaseUrl: null, dataDir: dir });
await migrateToLatest(store);
const box = new SecretBox(Buffer.alloc(32, 1));
const phone = {
  id: "100200300",
  wabaId: "400500600",
  displayPhoneNumber: "15550001111",
  accessToken: "bench-token-123",
  appSecret: "bench-secret-123",
};
// The sandbox runs in its own process (`herald sandbox`), as Meta would: it must not share the dispatcher's event loop.
const child = spawn(
  process.execPath,
  [
    bin,
    "sandbox",
    "--port",
    "0",
    "--phone-number-id",
    phone.id,
    "--waba-id",
    phone.wabaId,
    "--mps",
    String(mps),
    "--tier",
    "TIER_UNLIMITED",
  ],
  {
    env: { ...process.env, SANDBOX_ACCESS_TOKEN: phone.accessToken, SANDBOX_APP_SECRET: phone.appSecret },
    stdio: ["ignore", "ignore", "pipe"],
  },
);
const origin = await new Promise<string>((resolve, reject) => {
  let err = "";
  child.stderr.on("data", (d) => {
    err += d;
    const m = /listening on (\S+)/.exec(err);
    if (m?.[1]) resolve(m[1]);
  });
  child.on("exit", () => reject(new Error(`sandbox exited: ${err}`)));
});
const sandbox = { origin, close: async () => void child.kill("SIGTERM") };
const sender = await createSender(
  store.db,
  box,
  {
    name: "bench",
    provider: "sandbox",
    phoneNumberId: phone.id,
    wabaId: phone.wabaId,
    apiOrigin: sandbox.origin,
    apiVersion: "v23.0",
    accessToken: phone.accessToken,
    appSecret: phone.appSecret,
    verifyToken: "verify-123456",
    mpsLimit: mps,
    messagingTier: "TIER_UNLIMITED",
  },
  Date.now(),
);

const now = Date.now();
const rows: NewMessage[] = [];
for (let i = 0; i < recipients; i++) {
  const to = `8210${String(10_000_000 + i)}`;
  rows.push({
    id: newId(now),
    campaign_id: null,
    contact_seq: null,
    sender_id: sender.id,
    to_phone: to,
    origin: "test",
    category: "utility",
    payload: JSON.stringify({ kind: "text", to, body: "bench" }),
    status: "queued",
    skip_reason: null,
    due_at: now,
    created_at: now,
  });
}
await store.db.transaction().execute((trx) => insertMessages(trx, rows));

console.log(
  `inputs: ${recipients} queued messages, one sender at ${mps} msg/s, SQLite, sandbox on ${sandbox.origin} (webhooks off)`,
);
console.log(machineLine());
const providers = new ProviderRegistry({ cloudOrigin: sandbox.origin, sandboxOrigin: sandbox.origin });
const t0 = performance.now();
const dispatcher = startDispatcher({
  store,
  box,
  providers,
  logger: createLogger({ logLevel: "warn" }),
  now: Date.now,
});
await dispatcher.idle();
const seconds = (performance.now() - t0) / 1000;
await dispatcher.stop();

const sent = await store.db.selectFrom("messages").select("sent_at").where("status", "=", "sent").execute();
const times = sent.map((r) => r.sent_at as number).sort((a, b) => a - b);
let maxWindow = 0;
for (let i = 0, j = 0; i < times.length; i++) {
  while (times[i]! - times[j]! >= 1000) j++;
  maxWindow = Math.max(maxWindow, i - j + 1);
}
const state = (await (await fetch(`${sandbox.origin}/_sandbox/state`)).json()) as {
  rejectedByCode: Record<string, number>;
};
const ideal = recipients / mps;
const figures = {
  bench: "campaign",
  recipients,
  mps,
  sent: times.length,
  seconds: Number(seconds.toFixed(2)),
  idealSeconds: ideal,
  overIdealPercent: Number((((seconds - ideal) / ideal) * 100).toFixed(2)),
  maxInOneSecondWindow: maxWindow,
  throughputErrors130429: state.rejectedByCode["130429"] ?? 0,
};
console.log(
  `drained ${figures.sent} in ${figures.seconds} s (ideal ${ideal} s, ${figures.overIdealPercent}% over); max ${maxWindow} sends in any 1 s window; 130429 from the sandbox: ${figures.throughputErrors130429}`,
);
console.log(JSON.stringify(figures));
await providers.close();
await sandbox.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
