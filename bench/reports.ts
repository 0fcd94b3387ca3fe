// `npm run bench -- reports [--contacts 1000000] [--messages 10000000] [--campaigns 100] [--dir DIR] [--runs 5]`
//
// Every analytics report on a large history: N contacts with ~5·N orders (SQLite: bench/gen-customers.ts, cached;
// PostgreSQL when DATABASE_URL is set: generated in SQL), and M campaign messages over C campaigns in the 180 days
// before the base's clock (generated in SQL in batches, with read/reply/failure/click shares like a real audience).
// Then: one full analytics pass (attribution of every order, every campaign's rollup, customer value), and each
// report's time (median of --runs). Target: every report < 1 s. Prints inputs, the machine and the load average
// (other processes share the CPUs), then one JSON line of figures.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { analyticsTick } from "../src/engine/analytics-refresh.js";
import { SecretBox } from "../src/secret-box.js";
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
import { createSender } from "../src/store/senders.js";
import { insertTemplate } from "../src/store/templates.js";
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
const genStarted = performance.now();
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
const db = store.db;
const marker = join(dir, `messages-${pgUrl ? "pg" : "sqlite"}.json`);
const wanted = JSON.stringify({ messages, campaigns, contacts, version: 1 });
const generated = existsSync(marker) && readFileSync(marker, "utf8") === wanted && !pgUrl ? true : await alreadyThere();
if (!generated) await generateMessages();
if (!pgUrl) writeFileSync(marker, wanted);
const genS = (performance.now() - genStarted) / 1000;
say(`data: ${orders.toLocaleString("en")} orders; ready in ${genS.toFixed(1)} s (load ${load()})`);

// One full pass of the analytics loop, as `herald start` runs it on a schedule.
let t = performance.now();
const tick = await analyticsTick(store, now, { force: true });
const tickS = (performance.now() - t) / 1000;
say(
  `analytics pass (attribution of every order, ${tick.campaigns} rollups, customer value): ${tickS.toFixed(1)} s (load ${load()})`,
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
t = performance.now();
await campaignReport(db, firstCampaign, now, { fresh: true });
const freshMs = ms(performance.now() - t);
say(
  `  (one campaign's rollup recomputed from its ${(messages / campaigns).toLocaleString("en")} messages: ${freshMs} ms)`,
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
    generateS: ms(genS),
    analyticsPassS: ms(tickS),
    reportsMs: figures,
    campaignRollupMs: freshMs,
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

/** `select i from 0 … n−1` in the dialect's way. */
function series(from: number, to: number) {
  return pgUrl
    ? sql`select i from generate_series(${sql.lit(from)}::bigint, ${sql.lit(to - 1)}::bigint) as g(i)`
    : sql`with recursive n(i) as (select ${sql.lit(from)} union all select i + 1 from n where i < ${sql.lit(to - 1)}) select i from n`;
}

/** Campaigns, a sender, a template, three segments, then the messages and link codes in batches. */
async function generateMessages(): Promise<void> {
  for (const table of [
    "link_clicks",
    "link_codes",
    "order_attributions",
    "campaign_rollups",
    "messages",
    "campaigns",
  ] as const) {
    await db.deleteFrom(table).execute();
  }
  const box = new SecretBox(Buffer.alloc(32, 1));
  const sender =
    (await db.selectFrom("senders").select("id").executeTakeFirst()) ??
    (await createSender(
      db,
      box,
      {
        name: "Bench",
        provider: "sandbox",
        phoneNumberId: "1065",
        wabaId: "1022",
        displayPhoneNumber: "+1 555 000 0000",
        apiVersion: "v23.0",
        accessToken: "t".repeat(10),
        appSecret: "s".repeat(10),
        verifyToken: "v".repeat(10),
        mpsLimit: 80,
        messagingTier: "TIER_100K",
        qualityRating: "GREEN",
      },
      now,
    ));
  const template =
    (await db.selectFrom("templates").select("id").executeTakeFirst()) ??
    (await insertTemplate(
      db,
      {
        template: {
          name: "bench_sale",
          language: "ko",
          category: "MARKETING",
          parameterFormat: "POSITIONAL",
          header: null,
          body: "(광고) 세일",
          examples: {},
          footer: null,
          buttons: [],
        },
        lint: [],
        wabaId: "1022",
        senderId: sender.id,
        status: "APPROVED",
        createdBy: null,
        source: "create",
        event: "created",
      },
      now,
    ));
  for (const id of segmentIds) {
    await db
      .insertInto("segments")
      .values({
        id,
        name: id,
        description: "",
        rules: "{}",
        exclude_inactive: 0,
        exclude_opted_out: 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
  }
  const per = Math.floor(messages / campaigns);
  const started = performance.now();
  for (let k = 0; k < campaigns; k++) {
    const id = `bench-c${String(k).padStart(4, "0")}`;
    const launched = now - 180 * DAY + Math.floor((k * 178 * DAY) / campaigns);
    await db
      .insertInto("campaigns")
      .values({
        id,
        name: `Campaign ${k}`,
        status: "completed",
        sender_id: sender.id,
        template_id: template.id,
        segment_id: segmentIds[k % 3] ?? null,
        variables: "{}",
        schedule_kind: "now",
        scheduled_at: null,
        category: "MARKETING",
        audience: null,
        estimate: JSON.stringify({ totalMicroUsd: per * 60_400 }),
        created_by: null,
        created_at: launched,
        updated_at: launched,
        launched_at: launched,
        completed_at: launched + DAY,
        cancelled_at: null,
        last_error: null,
      })
      .execute();
    const h = sql`((i * 2654435761 + ${sql.lit(k * 40_503)}) % 1000)`;
    const sent = sql`(${sql.lit(launched)} + (i % 7200) * 1000)`;
    const readAt = sql`(${sent} + ((${h} * 7919) % 86400) * 1000)`;
    for (let from = 0; from < per; from += 250_000) {
      const to = Math.min(per, from + 250_000);
      await sql`insert into messages (id, campaign_id, contact_seq, sender_id, to_phone, origin, category, payload, status,
          skip_reason, due_at, attempts, provider_message_id, error_code, created_at, sent_at, delivered_at, read_at,
          failed_at, pricing_category, billable, replied_at)
        select 'm' || ${sql.lit(k)} || '.' || s.i, ${id}, c.seq, ${sender.id}, substr(c.phone, 2), 'campaign', 'marketing', '{}',
          case when ${h} < 30 then 'skipped' when ${h} < 50 then 'failed' when ${h} < 100 then 'sent'
               when ${h} < 400 then 'delivered' else 'read' end,
          case when ${h} < 30 then 'frequency_cap' end,
          ${sql.lit(launched)}, 1,
          case when ${h} >= 40 then 'w' || ${sql.lit(k)} || '.' || s.i end,
          case when ${h} >= 30 and ${h} < 50 then (case when ${h} < 40 then 131050 else 131026 end) end,
          ${sql.lit(launched)},
          case when ${h} >= 40 then ${sent} end,
          case when ${h} >= 100 then ${sent} + 3000 end,
          case when ${h} >= 400 then ${readAt} end,
          case when ${h} >= 30 and ${h} < 50 then ${sent} + 60000 end,
          'marketing', 1,
          case when ${h} >= 880 then ${readAt} + 600000 end
        from (${series(from, to)}) s
        join contacts c on c.seq = ((s.i * 7919 + ${sql.lit(k * 104_729)}) % ${sql.lit(contacts)}) + 1`.execute(db);
      await sql`insert into link_codes (code, message_id, campaign_id, contact_seq, url, created_at, first_click_at, clicks)
        select 'c' || ${sql.lit(k)} || '.' || s.i, 'm' || ${sql.lit(k)} || '.' || s.i, ${id},
          ((s.i * 7919 + ${sql.lit(k * 104_729)}) % ${sql.lit(contacts)}) + 1, 'https://shop.example/sale', ${sql.lit(launched)},
          case when ${h} >= 850 then ${readAt} + 60000 end, case when ${h} >= 850 then 1 else 0 end
        from (${series(from, to)}) s where ${h} >= 700`.execute(db);
    }
    const done = (k + 1) * per;
    const rate = done / ((performance.now() - started) / 1000);
    process.stderr.write(
      `\rgenerating messages: ${done.toLocaleString("en")} (${Math.round(rate).toLocaleString("en")}/s)`,
    );
  }
  process.stderr.write("\n");
  if (pgUrl) await sql`analyze`.execute(db);
  else await sql`analyze`.execute(db);
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
