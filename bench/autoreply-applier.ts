// `npm run bench -- autoreply-applier [messages] [perBatch]`: CPU per inbound message of the applier's part of an
// auto-reply alone, in one process: webhook rows (one inbound message each, each from a new customer, each matching
// the rule "할인") are stored, then applied `perBatch` at a time by the real applier, inbound handler and
// auto-replies on SQLite; the dispatcher is a stand-in that only counts the reply rows handed to it. No HTTP, no
// provider call: this is the cost issue 6 asks to cut per message (contacts, inbound row, metrics, inbox, rules,
// reply row), measured as process CPU time (user + system) during the applying only, which stays meaningful on a
// busy machine where wall-clock figures do not. Defaults: 2,000 messages, 25 per batch (an applier batch at
// 500 inbound/s when a batch takes ~50 ms).
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startApplier } from "../src/engine/applier.js";
import { createAutomation } from "../src/engine/automation/index.js";
import type { Dispatcher } from "../src/engine/dispatcher.js";
import { createEventHandlers } from "../src/engine/handlers/index.js";
import { createLogger } from "../src/logger.js";
import { SecretBox } from "../src/secret-box.js";
import { createRule } from "../src/store/automation-rules.js";
import { openStore } from "../src/store/db.js";
import { migrateToLatest } from "../src/store/migrate.js";
import { createSender } from "../src/store/senders.js";
import { insertWebhookEvent } from "../src/store/webhook-events.js";
import { discountInboundBody } from "./_inbound.js";
import { machineLine } from "./_machine.js";

const total = Number(process.argv[2] ?? 2000) || 2000;
const perBatch = Number(process.argv[3] ?? 25) || 25;
const PHONE = { id: "100200399", wabaId: "400500699" };

const dir = mkdtempSync(join(tmpdir(), "herald-bench-autoreply-applier-"));
const store = await openStore({ databaseUrl: null, dataDir: dir });
await migrateToLatest(store);
await createSender(
  store.db,
  new SecretBox(Buffer.alloc(32, 1)),
  {
    name: "bench",
    provider: "sandbox",
    phoneNumberId: PHONE.id,
    wabaId: PHONE.wabaId,
    apiOrigin: "http://127.0.0.1:9",
    apiVersion: "v23.0",
    accessToken: "t".repeat(10),
    appSecret: "s".repeat(10),
    verifyToken: "v".repeat(10),
    mpsLimit: 1000,
    messagingTier: "TIER_UNLIMITED",
  },
  Date.now(),
);
await createRule(
  store.db,
  {
    name: "할인",
    enabled: true,
    trigger: { kind: "keyword", mode: "contains", keywords: ["할인"] },
    conditions: [],
    actions: [{ kind: "reply", content: { kind: "text", body: "할인 코드 SPRING20" }, template: null }],
  },
  null,
  Date.now(),
);

console.log(
  `inputs: ${total} inbound messages (one per webhook row, each from a new customer, each matching the rule "할인"), applied ${perBatch} per applier batch, SQLite, one process, dispatcher stand-in (no provider call)`,
);
console.log(machineLine());
const loadBefore = loadavg();

const logger = createLogger({ logLevel: "warn" });
let handed = 0;
const dispatcher = {
  owner: "bench",
  sendNow: (rows: unknown[]) => {
    handed += rows.length;
  },
} as unknown as Dispatcher;
const automation = createAutomation({ store, dispatcher, logger });
const applier = startApplier({
  store,
  handlers: createEventHandlers(),
  logger,
  now: () => Date.now(),
  scope: () => automation.scope(),
  pollMs: 60_000,
});
await applier.drain();

let cpuUs = 0;
let wallMs = 0;
for (let start = 0; start < total; start += perBatch) {
  for (let i = start; i < Math.min(total, start + perBatch); i++) {
    const body = discountInboundBody({
      wabaId: PHONE.wabaId,
      phoneNumberId: PHONE.id,
      customer: i,
      wamid: `wamid.BENCH.${i}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    await insertWebhookEvent(store.db, { senderId: null, body }, Date.now());
  }
  const cpu = process.cpuUsage();
  const t = performance.now();
  await applier.drain(); // one batch, then one empty claim: what the server does after a wake-up
  const used = process.cpuUsage(cpu);
  cpuUs += used.user + used.system;
  wallMs += performance.now() - t;
}
await applier.stop();
const runs = await store.db
  .selectFrom("automation_runs")
  .select((eb) => eb.fn.countAll<number>().as("n"))
  .executeTakeFirstOrThrow();
await store.close();
rmSync(dir, { recursive: true, force: true });

const loadAfter = loadavg();
const figures = {
  bench: "autoreply-applier",
  messages: total,
  perBatch,
  replies: handed,
  runs: Number(runs.n),
  cpuUsPerInbound: Math.round(cpuUs / total),
  wallUsPerInbound: Math.round((wallMs * 1000) / total),
  loadAverage1mBefore: Number(loadBefore[0]?.toFixed(2)),
  loadAverage1mAfter: Number(loadAfter[0]?.toFixed(2)),
};
console.log(
  `${figures.replies}/${total} replies handed to the dispatcher; applier CPU ${figures.cpuUsPerInbound} µs per inbound message (wall ${figures.wallUsPerInbound} µs); load average ${figures.loadAverage1mBefore} → ${figures.loadAverage1mAfter} (1 min)`,
);
console.log(JSON.stringify(figures));
