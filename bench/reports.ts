// `npm run bench -- reports [--contacts 1000000] [--messages 10000000] [--campaigns 100] [--dir DIR] [--runs 5]
//   [--regenerate] [--generate-only] [--keep-indexes] [--no-pass]`
//
// Every analytics report on a large history: N contacts with ~5·N orders (SQLite: bench/gen-customers.ts, cached;
// PostgreSQL when DATABASE_URL is set: generated in SQL), and M campaign messages over C campaigns in the 180 days
// before the base's clock (bench/_gen-messages.ts: set-based SQL, read/reply/failure/click shares like a real
// audience; SQLite keeps the result on disk and a re-run skips it). Then: one full analytics pass (attribution of
// every order, every campaign's rollup, customer value), each report's time (median of --runs), and one campaign's
// rollup recomputed (what the analytics loop does per active campaign per minute). Target: every report < 1 s.
// Prints inputs, the machine, CPU time and the load average (other processes share the CPUs), then one JSON line.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { analyticsTick } from "../src/engine/analytics-refresh.js";
import {
  attributionReport,
  campaignReport,
  segmentComparison,
  senderHealth,
  sendTimeHeatmap,
} from "../src/store/analytics-reports.js";
import { customerValueSnapshot } from "../src/store/analytics-value.js";
import { refreshAllMetrics } from "../src/store/contact-metrics-refresh.js";
import { openStore, type Store } from "../src/store/db.js";
import { migrateToLatest } from "../src/store/migrate.js";
import type { Database } from "../src/store/schema.js";
import { cpuSeconds, type GenerateResult, generateMessages } from "./_gen-messages.js";
import { machineLine } from "./_machine.js";
import { BASE_NOW, ensureCustomerBase, flag } from "./gen-customers.js";

const contacts = Number(flag("contacts", "1000000"));
const messages = Number(flag("messages", "10000000"));
const campaigns = Number(flag("campaigns", "100"));
const runs = Number(flag("runs", "5"));
const pgUrl = process.env.DATABASE_URL ?? null;
const dir = flag("dir", `/tmp/herald-bench-reports-${contacts}`);
const DAY = 86_400_000;
const segmentIds = ["bench-seg-0", "bench-seg-1", "bench-seg-2"];
const now = BASE_NOW;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const ms = (n: number) => Math.round(n * 10) / 10;
const say = (line: string) => process.stdout.write(`${line}\n`);

say(
  `bench reports: ${contacts.toLocaleString("en")} contacts, ${messages.toLocaleString("en")} messages in ${campaigns} campaigns, ${pgUrl ? "PostgreSQL" : `SQLite in ${dir}`}`,
);
say(`${machineLine()}\nload average at start: ${load()} (other processes share these CPUs)`);

let store: Store;
let orders = 0;
let t = performance.now();
if (pgUrl) {
  // A database of its own (the data is regenerated when the sizes change): DATABASE_URL=postgres://…/herald_bench.
  store = await openStore({ databaseUrl: pgUrl, dataDir: dir });
  await migrateToLatest(store);
  orders = await ensurePgCustomers(store.db);
} else {
  const base = await ensureCustomerBase({ contacts, dir, seed: 1, now });
  orders = base.orders;
  store = await openStore({ databaseUrl: null, dataDir: dir });
  await migrateToLatest(store);
}
const customersS = (performance.now() - t) / 1000;
say(`customers: ${orders.toLocaleString("en")} orders; ready in ${customersS.toFixed(1)} s (load ${load()})`);
const db = store.db;
const marker = join(dir, `messages-${pgUrl ? "pg" : "sqlite"}.json`);
const wanted = JSON.stringify({ messages, campaigns, contacts, version: 2 });
// --regenerate: generate the messages again even when the sizes match (to time the generator).
const generated = process.argv.includes("--regenerate")
  ? false
  : !pgUrl && existsSync(marker) && readFileSync(marker, "utf8") === wanted
    ? true
    : await alreadyThere();
let gen: GenerateResult | null = null;
if (!generated) {
  gen = await generateMessages(db, {
    dialect: pgUrl ? "postgres" : "sqlite",
    contacts,
    messages,
    campaigns,
    now,
    segmentIds,
    keepIndexes: process.argv.includes("--keep-indexes"),
    progress: (line) => process.stderr.write(`\r${line}`),
  });
  process.stderr.write("\n");
  if (!pgUrl) writeFileSync(marker, wanted);
  say(
    `messages: ${gen.messages.toLocaleString("en")} and ${gen.linkCodes.toLocaleString("en")} link codes generated in ${gen.seconds.toFixed(1)} s ` +
      `(inserts ${gen.insertSeconds.toFixed(1)} s / CPU ${gen.insertCpuSeconds?.toFixed(1) ?? "?"} s, index rebuild ${gen.indexSeconds.toFixed(1)} s / CPU ${gen.indexCpuSeconds?.toFixed(1) ?? "?"} s; ` +
      `${Math.round(gen.messages / gen.seconds).toLocaleString("en")} messages/s; ` +
      `CPU ${gen.cpuSeconds === null ? "?" : `${((gen.cpuSeconds * 1e6) / gen.messages).toFixed(2)} µs/message`}${pgUrl ? " in the PostgreSQL backend" : ""}; load ${load()})`,
  );
} else {
  say(`messages: ${messages.toLocaleString("en")} already generated (reused)`);
}

if (process.argv.includes("--generate-only")) {
  await store.close();
  process.exit(0);
}

// --no-pass: keep the rollups of an earlier run (to re-time the reports only).
const skipPass = process.argv.includes("--no-pass");
// One full pass of the analytics loop, as `herald start` runs it on a schedule: from watermark 0, so a re-run
// attributes every order again, like the first run.
if (!skipPass) await db.updateTable("analytics_state").set({ orders_watermark: 0 }).execute();
const cpu0 = cpuSeconds(null) ?? 0;
t = performance.now();
const tick = skipPass ? null : await analyticsTick(store, now, { force: true });
const tickS = (performance.now() - t) / 1000;
const tickCpuS = (cpuSeconds(null) ?? 0) - cpu0;
say(
  tick
    ? `analytics pass (attribution of ${tick.attributedOrders.toLocaleString("en")} orders, ${tick.campaigns} rollups, customer value): ${tickS.toFixed(1)} s, Node CPU ${tickCpuS.toFixed(1)} s (load ${load()})`
    : "analytics pass: skipped (--no-pass), the rollups of an earlier run are read",
);

const period = { from: now - 180 * DAY, to: now + 1 };
const firstCampaign = (await db.selectFrom("campaigns").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
const reports: [string, () => Promise<unknown>][] = [
  ["campaign report", () => campaignReport(db, firstCampaign, now)],
  ["attribution by campaign", () => attributionReport(db, "campaign", period)],
  ["attribution by template", () => attributionReport(db, "template", period)],
  ["attribution by segment", () => attributionReport(db, "segment", period)],
  ["segment comparison (3)", () => segmentComparison(db, segmentIds, period)],
  ["send-time heatmap (all)", () => sendTimeHeatmap(db, period, null)],
  ["send-time heatmap (segment)", () => sendTimeHeatmap(db, period, "bench-seg-1")],
  ["sender health", () => senderHealth(db, now, 30)],
  ["customer value", () => customerValueSnapshot(db)],
];
const figures: Record<string, number> = {};
for (const [name, run] of reports) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  figures[name] = ms(times[Math.floor(times.length / 2)] ?? 0);
  say(
    `  ${name.padEnd(30)} ${String(figures[name]).padStart(8)} ms (median of ${runs}; max ${ms(times.at(-1) ?? 0)} ms)`,
  );
}
// The loop's cost per active campaign: its rollup recomputed from its messages (median of 3).
// On SQLite the queries run synchronously on the Node thread (better-sqlite3) and Kysely's promises resolve at once,
// so a rollup may never yield to the event loop: whatever shares the process (webhooks, the API, short-link
// redirects) waits. A 1 ms interval timer measures the longest gap between its ticks meanwhile.
const rollupTimes: number[] = [];
let lastTick = performance.now();
let stall = 0;
const probe = setInterval(() => {
  const at = performance.now();
  stall = Math.max(stall, at - lastTick);
  lastTick = at;
}, 1);
for (let i = 0; i < 3; i++) {
  t = performance.now();
  await campaignReport(db, firstCampaign, now, { fresh: true });
  rollupTimes.push(performance.now() - t);
}
await new Promise((resolve) => setTimeout(resolve, 5));
clearInterval(probe);
rollupTimes.sort((a, b) => a - b);
const freshMs = ms(rollupTimes[1] ?? 0);
const stallMs = ms(stall);
say(
  `  (one campaign's rollup recomputed from its ${Math.floor(messages / campaigns).toLocaleString("en")} messages: ${freshMs} ms, median of 3; longest event-loop stall ${stallMs} ms; load ${load()})`,
);
const slowest = Math.max(...Object.values(figures));
say(
  `slowest report: ${slowest} ms (target < 1000 ms): ${slowest < 1000 ? "OK" : "TOO SLOW"}; load average at end: ${load()}`,
);
process.stdout.write(
  `${JSON.stringify({
    bench: "reports",
    dialect: pgUrl ? "postgres" : "sqlite",
    contacts,
    orders,
    messages,
    campaigns,
    customersS: ms(customersS),
    generateMessagesS: gen ? ms(gen.seconds) : null,
    generateMessagesPerS: gen ? Math.round(gen.messages / gen.seconds) : null,
    generateCpuUsPerMessage: gen?.cpuSeconds ? ms((gen.cpuSeconds * 1e6) / gen.messages) : null,
    analyticsPassCpuS: tick ? ms(tickCpuS) : null,
    analyticsPassS: tick ? ms(tickS) : null,
    reportsMs: figures,
    campaignRollupMs: freshMs,
    campaignRollupStallMs: stallMs,
    slowestMs: slowest,
    load: loadavg().map((l) => ms(l)),
  })}\n`,
);
await store.close();

async function alreadyThere(): Promise<boolean> {
  const row = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0) === messages;
}

/** PostgreSQL: contacts and ~5 orders per buying contact, in SQL (same shape as the SQLite base, simpler habits). */
async function ensurePgCustomers(pg: Kysely<Database>): Promise<number> {
  const have = await pg
    .selectFrom("contacts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  if (Number(have?.n) !== contacts) {
    await sql`truncate contacts, orders, contact_metrics cascade`.execute(pg);
    for (let from = 1; from <= contacts; from += 200_000) {
      const to = Math.min(contacts, from + 199_999);
      await sql`insert into contacts (seq, id, phone, name, language, country, time_zone, attributes, consent_state,
          consent_source, consent_at, created_at, updated_at)
        overriding system value
        select i, 'c-' || i, '+8210' || lpad(((i * 7919039) % 100000000)::text, 8, '0'), 'Customer ' || i, 'ko', 'KR',
          'Asia/Seoul', '{}', 'opted_in', 'form', ${sql.lit(now - 400 * DAY)}, ${sql.lit(now - 400 * DAY)}, ${sql.lit(now - 400 * DAY)}
        from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint) as g(i)`.execute(pg);
      await sql`insert into contact_metrics (contact_seq, computed_at)
        select i, ${sql.lit(now)} from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint) as g(i)`.execute(
        pg,
      );
      // 57 % of contacts buy, each ~10 orders over two years (≈ 5.7 orders per contact).
      await sql`insert into orders (id, external_id, contact_seq, amount, currency, placed_at, status, source, created_at, updated_at)
        select 'o' || i || '-' || j, 'ext-' || i || '-' || j, i, 1000 * (5 + (i * 31 + j * 17) % 120), 'KRW',
          ${sql.lit(now)} - ((i * 7 + j * 73) % 730) * 86400000, case when (i + j) % 25 = 0 then 'refunded' else 'paid' end,
          'bench', ${sql.lit(now)} - ((i * 7 + j * 73) % 730) * 86400000, ${sql.lit(now)} - ((i * 7 + j * 73) % 730) * 86400000
        from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to)}::bigint) as g(i), generate_series(0, 9) as h(j)
        where i % 100 < 57`.execute(pg);
      process.stderr.write(`\rgenerating contacts: ${to.toLocaleString("en")}`);
    }
    process.stderr.write("\n");
    await sql`analyze`.execute(pg);
    await refreshAllMetrics(pg, now);
  }
  const n = await pg
    .selectFrom("orders")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(n?.n ?? 0);
}
