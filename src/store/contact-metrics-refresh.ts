/**
 * Set-based metric refresh: the same definitions as domain/metrics (the specification; a test compares the two on
 * a generated sample), computed in SQL with GROUP BY and window functions instead of row by row in JS.
 *
 * Work is split into ranges of contacts (RANGE contacts per statement, each range its own transaction) so a
 * refresh of 1,000,000 contacts never holds SQLite's single writer lock for more than about a second: API writes
 * interleave. Order: order metrics + frequency + engagement (last read, read rate) + heat per range → RFM breakpoints over the whole base → RFM scores
 * per range → tag rules. A crash leaves some ranges newer than others; the next run fixes them (all derived).
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import { FREQUENCY_THRESHOLDS_DAYS } from "../domain/metrics/frequency.js";
import { HEAT_THRESHOLDS_DAYS, READ_RATE_WINDOW_DAYS } from "../domain/metrics/heat.js";
import { DAY_MS } from "../domain/metrics/orders.js";
import type { Quintiles, RfmBreakpoints } from "../domain/metrics/rfm.js";
import { getMetricsState } from "./contact-metrics.js";
import { dialectOf } from "./dialect.js";
import type { Database } from "./schema.js";
import { applyAllTagRules } from "./tags-apply.js";

/** Contacts per range: ~0.3–0.6 s of work on SQLite for the bench base (5 orders per contact). */
const RANGE = 50_000;

/** Which contacts a step touches: a seq range (full refresh) or a list (the contacts an import batch changed). */
export type Scope = { from: number; to: number } | { seqs: readonly number[] };

function inScope(column: RawBuilder<unknown>, scope: Scope): RawBuilder<SqlBool> {
  if ("seqs" in scope) {
    return scope.seqs.length === 0
      ? sql<SqlBool>`(1 = 0)`
      : sql<SqlBool>`(${column} in (${sql.join([...scope.seqs])}))`;
  }
  return sql<SqlBool>`(${column} between ${scope.from} and ${scope.to})`;
}

/** Order counts, spend, first/last order, and purchase frequency (median occasion gap) for the contacts in scope. */
export async function refreshOrderMetrics(
  db: Kysely<Database>,
  scope: Scope,
  baseCurrency: string,
  now: number,
): Promise<void> {
  await refreshOrderMetricsQuery(db, scope, baseCurrency, now).execute(db);
  await resetNonBuyers(db, scope, now);
}

/** The UPDATE behind refreshOrderMetrics (exported for the SQL snapshots in docs/sql/). */
export function refreshOrderMetricsQuery(db: Kysely<Database>, scope: Scope, baseCurrency: string, now: number) {
  const dialect = dialectOf(db);
  const day = sql.lit(DAY_MS);
  const since = (days: number) => sql.lit(now - days * DAY_MS);
  const t = FREQUENCY_THRESHOLDS_DAYS;
  const effective = dialect.greatest(
    sql`med.median_days`,
    sql`cast(${sql.lit(now)} - agg.last_at as double precision) / ${day} / 2`,
  );
  return sql`
    with paid as (
      select contact_seq, placed_at, amount, currency from orders
      where status = 'paid' and placed_at <= ${sql.lit(now)} and ${inScope(sql.ref("contact_seq"), scope)}
    ),
    agg as (
      select contact_seq,
        sum(case when placed_at > ${since(30)} then 1 else 0 end) as o30,
        sum(case when placed_at > ${since(90)} then 1 else 0 end) as o90,
        sum(case when placed_at > ${since(365)} then 1 else 0 end) as o365,
        count(*) as total,
        sum(case when currency = ${baseCurrency} then amount else 0 end) as spent,
        sum(case when currency = ${baseCurrency} and placed_at > ${since(365)} then amount else 0 end) as spent365,
        sum(case when currency = ${baseCurrency} then 1 else 0 end) as base_n,
        min(placed_at) as first_at,
        max(placed_at) as last_at
      from paid group by contact_seq
    ),
    windowed as (
      select contact_seq, placed_at,
        lag(placed_at) over (partition by contact_seq order by placed_at) as prev
      from paid where placed_at > ${since(365)}
    ),
    occasions as (
      select contact_seq, placed_at from windowed where prev is null or placed_at - prev >= ${day}
    ),
    gaps as (
      select contact_seq, placed_at - lag(placed_at) over (partition by contact_seq order by placed_at) as gap
      from occasions
    ),
    ranked as (
      select contact_seq, gap,
        row_number() over (partition by contact_seq order by gap) as rn,
        count(*) over (partition by contact_seq) as cnt
      from gaps where gap is not null
    ),
    med as (
      select contact_seq, avg(cast(gap as double precision)) / ${day} as median_days
      from ranked where rn = (cnt + 1) / 2 or rn = (cnt + 2) / 2
      group by contact_seq
    ),
    calc as (
      select agg.contact_seq, agg.o30, agg.o90, agg.o365, agg.total, agg.spent, agg.spent365, agg.base_n,
        agg.first_at, agg.last_at, med.median_days,
        case when med.median_days is null then null else ${effective} end as effective_days
      from agg left join med on med.contact_seq = agg.contact_seq
    )
    update contact_metrics set
      orders_30d = calc.o30,
      orders_90d = calc.o90,
      orders_365d = calc.o365,
      orders_total = calc.total,
      total_spent = calc.spent,
      spent_365d = calc.spent365,
      avg_order_value = case when calc.base_n = 0 then null
        else ${dialect.intDiv(sql`2 * calc.spent + calc.base_n`, sql`2 * calc.base_n`)} end,
      foreign_currency_orders = calc.total - calc.base_n,
      first_order_at = calc.first_at,
      last_order_at = calc.last_at,
      median_gap_days = calc.median_days,
      effective_gap_days = calc.effective_days,
      frequency_class = case
        when calc.effective_days is null then 'occasional'
        when calc.effective_days <= ${sql.lit(t.weekly)} then 'weekly'
        when calc.effective_days <= ${sql.lit(t.monthly)} then 'monthly'
        when calc.effective_days <= ${sql.lit(t.quarterly)} then 'quarterly'
        else 'occasional' end,
      computed_at = ${now}
    from calc
    where contact_metrics.contact_seq = calc.contact_seq`;
}

async function resetNonBuyers(db: Kysely<Database>, scope: Scope, now: number): Promise<void> {
  // Contacts in scope with no paid order (left): back to zeros, e.g. after their only order was refunded.
  await sql`
    update contact_metrics set orders_30d = 0, orders_90d = 0, orders_365d = 0, orders_total = 0, total_spent = 0,
      spent_365d = 0, avg_order_value = null, foreign_currency_orders = 0, first_order_at = null,
      last_order_at = null, median_gap_days = null, effective_gap_days = null, frequency_class = 'none',
      computed_at = ${now}
    where ${inScope(sql.ref("contact_seq"), scope)} and (last_order_at is not null or orders_total <> 0)
      and not exists (select 1 from orders o where o.contact_seq = contact_metrics.contact_seq
        and o.status = 'paid' and o.placed_at <= ${sql.lit(now)})`.execute(db);
}

/**
 * Last read and read rate from the stored messages, as domain/metrics/heat.ts engagementMetrics defines them: the
 * latest read receipt up to `now`, and read / delivered among messages sent in the last 90 days (a read implies
 * delivery). Runs before heat, which reads last_read_at. Only rows whose values change are written.
 */
export async function refreshEngagement(db: Kysely<Database>, scope: Scope, now: number): Promise<void> {
  const at = sql.lit(now);
  const since = sql.lit(now - READ_RATE_WINDOW_DAYS * DAY_MS);
  const read = sql`(msg.read_at is not null and msg.read_at <= ${at})`;
  const inWindow = sql`(msg.sent_at > ${since} and msg.sent_at <= ${at})`;
  const delivered = sql`(${read} or (msg.delivered_at is not null and msg.delivered_at <= ${at}))`;
  await sql`
    update contact_metrics set last_read_at = x.last_read, read_rate = x.rate, computed_at = ${now}
    from (
      select msg.contact_seq,
        max(case when ${read} then msg.read_at end) as last_read,
        case when sum(case when ${inWindow} and ${delivered} then 1 else 0 end) = 0 then null
          else cast(sum(case when ${inWindow} and ${read} then 1 else 0 end) as double precision)
            / sum(case when ${inWindow} and ${delivered} then 1 else 0 end) end as rate
      from messages msg
      where ${inScope(sql.ref("msg.contact_seq"), scope)} and msg.sent_at is not null
      group by msg.contact_seq
    ) x
    where contact_metrics.contact_seq = x.contact_seq
      and (contact_metrics.last_read_at is distinct from x.last_read or contact_metrics.read_rate is distinct from x.rate)`.execute(
    db,
  );
}

/** Heat from the last engagement (inbound or read), else from when the contact was added (domain/metrics/heat.ts). */
export async function refreshHeat(db: Kysely<Database>, scope: Scope, now: number): Promise<void> {
  const h = HEAT_THRESHOLDS_DAYS;
  const engaged = sql`(case when m2.last_inbound_at is null then m2.last_read_at
    when m2.last_read_at is null or m2.last_inbound_at > m2.last_read_at then m2.last_inbound_at
    else m2.last_read_at end)`;
  const heat = sql`(case
    when ${engaged} is not null and ${sql.lit(now)} - ${engaged} < ${sql.lit(h.active * DAY_MS)} then 'active'
    when ${sql.lit(now)} - coalesce(${engaged}, c.created_at) < ${sql.lit(h.quiet * DAY_MS)} then 'quiet'
    when ${sql.lit(now)} - coalesce(${engaged}, c.created_at) < ${sql.lit(h.silent * DAY_MS)} then 'silent'
    else 'inactive' end)`;
  // Only rows whose heat changes are written: most contacts keep theirs from one refresh to the next.
  await sql`
    update contact_metrics set heat = x.heat, computed_at = ${now}
    from (select m2.contact_seq, ${heat} as heat from contact_metrics m2 join contacts c on c.seq = m2.contact_seq
          where ${inScope(sql.ref("m2.contact_seq"), scope)}) x
    where contact_metrics.contact_seq = x.contact_seq and contact_metrics.heat <> x.heat`.execute(db);
}

/** The four quintile breakpoints of a metric over buyers, as `quintileBreakpoints` picks them from the sorted list. */
async function breakpointsOf(
  db: Kysely<Database>,
  column: "last_order_at" | "orders_365d" | "spent_365d",
  buyers: number,
): Promise<Quintiles> {
  const ranks = [1, 2, 3, 4].map((k) => Math.ceil((k * buyers) / 5));
  const rows = await sql<{ rn: number; v: number }>`
    select rn, v from (
      select ${sql.ref(column)} as v, row_number() over (order by ${sql.ref(column)}) as rn
      from contact_metrics where last_order_at is not null
    ) ranked where rn in (${sql.join(ranks)})`.execute(db);
  const byRank = new Map(rows.rows.map((row) => [Number(row.rn), Number(row.v)]));
  return ranks.map((rank) => byRank.get(rank) ?? 0) as unknown as Quintiles;
}

/** RFM breakpoints over all buyers (contacts with a paid order), or null when there are none. */
export async function computeRfmBreakpoints(db: Kysely<Database>): Promise<RfmBreakpoints | null> {
  const counted = await db
    .selectFrom("contact_metrics")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("last_order_at", "is not", null)
    .executeTakeFirstOrThrow();
  const buyers = Number(counted.n);
  if (buyers === 0) return null;
  return {
    recency: await breakpointsOf(db, "last_order_at", buyers),
    frequency: await breakpointsOf(db, "orders_365d", buyers),
    monetary: await breakpointsOf(db, "spent_365d", buyers),
  };
}

/** RFM scores from breakpoints: 1 + how many breakpoints the value is above; null for non-buyers. */
export async function refreshRfm(
  db: Kysely<Database>,
  scope: Scope,
  breakpoints: RfmBreakpoints | null,
): Promise<void> {
  const score = (column: string, points: Quintiles | undefined) =>
    points === undefined
      ? sql`null`
      : sql`(case when last_order_at is null then null else 1 + ${sql.join(
          points.map((point) => sql`(case when ${sql.ref(column)} > ${sql.lit(point)} then 1 else 0 end)`),
          sql.raw(" + "),
        )} end)`;
  const r = score("last_order_at", breakpoints?.recency);
  const f = score("orders_365d", breakpoints?.frequency);
  const m = score("spent_365d", breakpoints?.monetary);
  await sql`update contact_metrics set rfm_recency = ${r}, rfm_frequency = ${f}, rfm_monetary = ${m}
    where ${inScope(sql.ref("contact_seq"), scope)}
      and (rfm_recency is distinct from ${r} or rfm_frequency is distinct from ${f} or rfm_monetary is distinct from ${m})`.execute(
    db,
  );
}

/** Refreshes the contacts a bulk request or import batch touched: metrics, RFM (stored breakpoints), rule tags. */
export async function refreshContacts(db: Kysely<Database>, seqs: readonly number[], now: number): Promise<void> {
  if (seqs.length === 0) return;
  const state = await getMetricsState(db);
  const scope = { seqs };
  await refreshOrderMetrics(db, scope, state.baseCurrency, now);
  await refreshEngagement(db, scope, now);
  await refreshHeat(db, scope, now);
  await refreshRfm(db, scope, state.rfmBreakpoints);
  await applyAllTagRules(db, now, seqs);
}

export interface RefreshReport {
  contacts: number;
  tookMs: number;
  /** Milliseconds per phase. */
  phases: { orders: number; heat: number; rfm: number; tags: number };
}

/** The full refresh of every contact at `now` (see the header for the order and crash behaviour). */
export async function refreshAllMetrics(db: Kysely<Database>, now: number): Promise<RefreshReport> {
  const started = performance.now();
  const state = await getMetricsState(db);
  const bounds = await db
    .selectFrom("contacts")
    .select((eb) => [eb.fn.min("seq").as("lo"), eb.fn.max("seq").as("hi"), eb.fn.countAll<number>().as("n")])
    .executeTakeFirstOrThrow();
  const lo = Number(bounds.lo ?? 0);
  const hi = Number(bounds.hi ?? -1);
  const ranges: Scope[] = [];
  for (let from = lo; from <= hi; from += RANGE) ranges.push({ from, to: Math.min(hi, from + RANGE - 1) });

  const phases = { orders: 0, heat: 0, rfm: 0, tags: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases) => {
    const at = performance.now();
    phases[phase] += at - mark;
    mark = at;
  };
  for (const scope of ranges) {
    await db.transaction().execute(async (trx) => {
      await refreshOrderMetrics(trx, scope, state.baseCurrency, now);
      lap("orders");
      await refreshEngagement(trx, scope, now);
      await refreshHeat(trx, scope, now);
      lap("heat");
    });
  }
  const breakpoints = await computeRfmBreakpoints(db);
  await db
    .updateTable("metrics_state")
    .set({ rfm_breakpoints: breakpoints === null ? null : JSON.stringify(breakpoints) })
    .where("id", "=", 1)
    .execute();
  for (const scope of ranges) await db.transaction().execute((trx) => refreshRfm(trx, scope, breakpoints));
  lap("rfm");
  await db.transaction().execute((trx) => applyAllTagRules(trx, now));
  lap("tags");
  const tookMs = Math.round(performance.now() - started);
  await db
    .updateTable("metrics_state")
    .set({ last_refresh_at: now, last_refresh_ms: tookMs })
    .where("id", "=", 1)
    .execute();
  const rounded = Object.fromEntries(
    Object.entries(phases).map(([k, v]) => [k, Math.round(v)]),
  ) as RefreshReport["phases"];
  return { contacts: Number(bounds.n), tookMs, phases: rounded };
}
