// `npm run bench -- segments [--contacts 1000000] [--import-rows 1000000] [--skip-import] [--dir DIR]`
//
// On a generated SQLite base (bench/gen-customers.ts: 1,000,000 contacts, ~5,000,000 orders; cached in DIR):
//   1. full metric refresh (windows, frequency, heat, RFM quintiles, two tag rules)       target < 60 s
//   2. a three-condition segment (+ the two default exclusions): count                  target < 500 ms
//      and the first page of members (50)                                                target < 200 ms
//   3. single order → metrics update, p50/p99 over 300 orders                            target < 5 ms
//   4. `herald import contacts` of a 1,000,000-row CSV into an empty database, with peak RSS  target < 60 s
// Prints inputs, the machine and the load (other processes share the CPUs), then one JSON line of figures.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { recomputeContactMetrics } from "../src/store/contact-metrics.js";
import { refreshAllMetrics } from "../src/store/contact-metrics-refresh.js";
import { createAttribute } from "../src/store/contacts-attributes.js";
import { openStore } from "../src/store/db.js";
import { migrateToLatest } from "../src/store/migrate.js";
import { upsertOrderBatch } from "../src/store/orders-bulk.js";
import { parseDefinition, segmentContext } from "../src/store/segments.js";
import { countSegment, segmentMembers } from "../src/store/segments-query.js";
import { createTagRule, listTagRules } from "../src/store/tags-rules.js";
import { machineLine } from "./_machine.js";
import { BASE_NOW, DEFAULT_DIR, ensureCustomerBase, flag, writeContactsCsv } from "./gen-customers.js";

const contacts = Number(flag("contacts", "1000000"));
const importRows = Number(flag("import-rows", String(contacts)));
const dir = flag("dir", DEFAULT_DIR);
const skipImport = process.argv.includes("--skip-import");
const run = promisify(execFile);
const ms = (n: number) => Math.round(n * 10) / 10;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

process.stdout.write(
  `bench segments: ${contacts.toLocaleString("en")} contacts, import of ${importRows.toLocaleString("en")} rows, base in ${dir}\n`,
);
process.stdout.write(`${machineLine()}\nload average at start: ${load()} (other processes share these CPUs)\n`);

const base = await ensureCustomerBase({ contacts, dir, seed: 1, now: BASE_NOW });
process.stdout.write(
  `base: ${base.orders.toLocaleString("en")} orders, ${base.reused ? "reused from cache" : `generated in ${(base.tookMs / 1000).toFixed(1)} s`}\n`,
);

const store = await openStore({ databaseUrl: null, dataDir: dir });
const db = store.db;
const now = BASE_NOW;
if ((await listTagRules(db)).length === 0) {
  await createTagRule(db, { tag: "high-frequency", rule: { kind: "high_frequency", periods: 3, periodDays: 30 } }, now);
  await createTagRule(db, { tag: "vip", rule: { kind: "top_spenders", share: 0.1 } }, now);
}

// 1. Full refresh.
const refreshCpu = process.cpuUsage();
const refresh = await refreshAllMetrics(db, now);
const refreshCpuS = (process.cpuUsage(refreshCpu).user + process.cpuUsage(refreshCpu).system) / 1e6;
process.stdout.write(
  `full refresh: ${(refresh.tookMs / 1000).toFixed(1)} s (cpu ${refreshCpuS.toFixed(1)} s), phases ms ${JSON.stringify(refresh.phases)}\n`,
);

// 2. Segment count and first page.
const rules = {
  kind: "and",
  children: [
    { kind: "condition", field: "contact.country", op: "eq", value: "KR" },
    { kind: "condition", field: "metrics.orders_365d", op: "gte", value: 2 },
    { kind: "condition", field: "tags", op: "has", value: "newsletter" },
  ],
};
const definition = parseDefinition({ rules }, await segmentContext(db));
const timings = async (fn: () => Promise<unknown>, times: number) => {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
};
const count = await countSegment(db, definition, now);
const countTimes = await timings(() => countSegment(db, definition, now), 5);
const pageTimes = await timings(() => segmentMembers(db, definition, { limit: 50 }, now), 5);
const median = (values: number[]) => values[Math.floor(values.length / 2)] ?? 0;
process.stdout.write(
  `segment (country = KR AND orders_365d >= 2 AND tag newsletter, minus inactive and opted out): ${count.toLocaleString("en")} contacts\n`,
);
process.stdout.write(
  `  count: median ${ms(median(countTimes))} ms (min ${ms(countTimes[0] ?? 0)}), first page of 50: median ${ms(median(pageTimes))} ms\n`,
);

// 3. One order → that contact's metrics.
const orderTimes: number[] = [];
const metricTimes: number[] = [];
for (let i = 0; i < 300; i++) {
  const seq = 1 + ((i * 2_654_435) % contacts);
  const row = await db.selectFrom("contacts").select(["id"]).where("seq", "=", seq).executeTakeFirstOrThrow();
  const started = performance.now();
  await upsertOrderBatch(
    db,
    [
      {
        ok: true,
        value: {
          externalId: `bench-${i}`,
          contactId: row.id,
          amount: 30_000 + i,
          currency: "KRW",
          placedAt: now - 3_600_000,
          status: "paid",
        },
      },
    ],
    now,
    "",
  );
  orderTimes.push(performance.now() - started);
  const recompute = performance.now();
  await recomputeContactMetrics(db, [seq], now);
  metricTimes.push(performance.now() - recompute);
}
const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
process.stdout.write(
  `order upsert incl. metrics (transaction): p50 ${ms(pct(orderTimes, 0.5))} ms, p99 ${ms(pct(orderTimes, 0.99))} ms\n`,
);
process.stdout.write(
  `metrics recompute of one contact: p50 ${ms(pct(metricTimes, 0.5))} ms, p99 ${ms(pct(metricTimes, 0.99))} ms\n`,
);
await store.close();

// 4. CSV import through the real command, in a child process (its own peak RSS), into an empty database.
type ImportFigures = { seconds: number; cpuSeconds: number; peakRssMb: number; imported: number; rejected: number };
let imported: ImportFigures | null = null;
if (!skipImport) {
  const csv = join(dir, `contacts-${importRows}.csv`);
  if (!existsSync(csv)) await writeContactsCsv(csv, importRows, 3);
  const target = mkdtempSync(join(tmpdir(), "herald-bench-import-"));
  const fresh = await openStore({ databaseUrl: null, dataDir: target });
  await migrateToLatest(fresh);
  await createAttribute(fresh.db, { name: "vip_level", type: "number" }, now);
  await createAttribute(fresh.db, { name: "city", type: "text" }, now);
  await fresh.close();
  const tsx = new URL("../node_modules/.bin/tsx", import.meta.url).pathname;
  const main = new URL("../src/cli/main.ts", import.meta.url).pathname;
  const child = await run(tsx, [main, "import", "contacts", csv, "--default-country", "KR"], {
    env: { ...process.env, HERALD_DATA_DIR: target, HERALD_LOG_LEVEL: "warn", DATABASE_URL: "" },
    maxBuffer: 1 << 28,
  }).catch((err: { stdout: string }) => err);
  const summary = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as ImportFigures;
  imported = summary;
  process.stdout.write(
    `import of ${importRows.toLocaleString("en")} rows: ${summary.seconds} s (cpu ${summary.cpuSeconds} s, both threads), ${summary.imported.toLocaleString("en")} imported, ${summary.rejected.toLocaleString("en")} rejected, peak RSS ${summary.peakRssMb} MB\n`,
  );
  rmSync(target, { recursive: true, force: true });
}

process.stdout.write(`load average at end: ${load()}\n`);
const figures = {
  contacts,
  orders: base.orders,
  refreshS: ms(refresh.tookMs / 1000),
  refreshCpuS: ms(refreshCpuS),
  segmentCount: count,
  segmentCountMs: ms(median(countTimes)),
  firstPageMs: ms(median(pageTimes)),
  orderUpsertP50Ms: ms(pct(orderTimes, 0.5)),
  orderUpsertP99Ms: ms(pct(orderTimes, 0.99)),
  metricsP50Ms: ms(pct(metricTimes, 0.5)),
  metricsP99Ms: ms(pct(metricTimes, 0.99)),
  importRows: skipImport ? 0 : importRows,
  importS: imported?.seconds ?? null,
  importCpuS: imported?.cpuSeconds ?? null,
  importPeakRssMb: imported?.peakRssMb ?? null,
  loadAverage: loadavg()[0],
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
