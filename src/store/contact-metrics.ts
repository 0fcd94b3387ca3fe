/**
 * Derived metrics of contacts, kept current incrementally: an order upsert recomputes its contact's row with the
 * domain functions themselves (domain/metrics: orders, frequency, heat, RFM from the last refresh's breakpoints),
 * then re-evaluates the tag rules for that contact. The full, set-based refresh is contact-metrics-refresh.ts;
 * a test checks that both agree.
 */
import { type Kysely, type Selectable, type SqlBool, sql } from "kysely";
import type { FrequencyClass, HeatLevel } from "../domain/metrics/classes.js";
import { purchaseFrequency } from "../domain/metrics/frequency.js";
import { heatLevel } from "../domain/metrics/heat.js";
import { type OrderRecord, orderMetrics } from "../domain/metrics/orders.js";
import { type RfmBreakpoints, rfmScores } from "../domain/metrics/rfm.js";
import { dialectOf } from "./dialect.js";
import type { Database } from "./schema.js";
import type { ContactMetricsTable, MetricsStateTable } from "./tables/customers.js";
import { applyTagRulesToContact } from "./tags-apply.js";

/** A contact's metrics as the API returns them. */
export interface ContactMetricsView {
  orders30d: number;
  orders90d: number;
  orders365d: number;
  ordersTotal: number;
  totalSpent: number;
  spent365d: number;
  avgOrderValue: number | null;
  currency: string;
  foreignCurrencyOrders: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  frequencyClass: FrequencyClass;
  heat: HeatLevel;
  lastInboundAt: number | null;
  lastReadAt: number | null;
  readRate: number | null;
  rfm: { recency: number; frequency: number; monetary: number } | null;
  computedAt: number;
}

export interface MetricsState {
  baseCurrency: string;
  rfmBreakpoints: RfmBreakpoints | null;
  lastRefreshAt: number | null;
  lastRefreshMs: number | null;
  refreshStartedAt: number | null;
}

function toState(row: Selectable<MetricsStateTable>): MetricsState {
  return {
    baseCurrency: row.base_currency,
    rfmBreakpoints: row.rfm_breakpoints === null ? null : (JSON.parse(row.rfm_breakpoints) as RfmBreakpoints),
    lastRefreshAt: row.last_refresh_at,
    lastRefreshMs: row.last_refresh_ms,
    refreshStartedAt: row.refresh_started_at,
  };
}

/** The single metrics state row (base currency, RFM breakpoints, refresh timing). */
export async function getMetricsState(db: Kysely<Database>): Promise<MetricsState> {
  return toState(await db.selectFrom("metrics_state").selectAll().where("id", "=", 1).executeTakeFirstOrThrow());
}

/** Sets the base currency the money metrics are summed in (a refresh must follow). */
export async function setBaseCurrency(db: Kysely<Database>, currency: string): Promise<void> {
  await db.updateTable("metrics_state").set({ base_currency: currency }).where("id", "=", 1).execute();
}

/** Maps a metrics row to the API shape; `computedAt` is at least the last full refresh (rows it left unchanged). */
export function toMetricsView(row: Selectable<ContactMetricsTable>, state: MetricsState): ContactMetricsView {
  const rfm =
    row.rfm_recency === null || row.rfm_frequency === null || row.rfm_monetary === null
      ? null
      : { recency: row.rfm_recency, frequency: row.rfm_frequency, monetary: row.rfm_monetary };
  return {
    orders30d: row.orders_30d,
    orders90d: row.orders_90d,
    orders365d: row.orders_365d,
    ordersTotal: row.orders_total,
    totalSpent: row.total_spent,
    spent365d: row.spent_365d,
    avgOrderValue: row.avg_order_value,
    currency: state.baseCurrency,
    foreignCurrencyOrders: row.foreign_currency_orders,
    firstOrderAt: row.first_order_at,
    lastOrderAt: row.last_order_at,
    frequencyClass: row.frequency_class as FrequencyClass,
    heat: row.heat as HeatLevel,
    lastInboundAt: row.last_inbound_at,
    lastReadAt: row.last_read_at,
    readRate: row.read_rate,
    rfm,
    computedAt: Math.max(row.computed_at, state.lastRefreshAt ?? 0),
  };
}

/** The paid, refunded and cancelled orders of a contact, as the domain reads them. */
export async function ordersOf(db: Kysely<Database>, seq: number): Promise<OrderRecord[]> {
  const rows = await db
    .selectFrom("orders")
    .select(["amount", "currency", "placed_at", "status"])
    .where("contact_seq", "=", seq)
    .orderBy("placed_at")
    .execute();
  return rows.map((row) => ({
    amount: row.amount,
    currency: row.currency,
    placedAt: row.placed_at,
    status: row.status,
  }));
}

/**
 * Recomputes the metrics rows (and rule tags) of some contacts at `now` with the domain functions. Costs a few
 * queries per contact (~1 ms on SQLite): meant for the contacts an API call touched, not for whole imports.
 */
export async function recomputeContactMetrics(
  db: Kysely<Database>,
  seqs: readonly number[],
  now: number,
): Promise<void> {
  if (seqs.length === 0) return;
  const state = await getMetricsState(db);
  for (const seq of new Set(seqs)) {
    const current = await db
      .selectFrom("contact_metrics as m")
      .innerJoin("contacts as c", "c.seq", "m.contact_seq")
      .select(["m.last_inbound_at", "m.last_read_at", "c.created_at"])
      .where("m.contact_seq", "=", seq)
      .executeTakeFirst();
    if (current === undefined) continue;
    const orders = await ordersOf(db, seq);
    const counts = orderMetrics(orders, now, state.baseCurrency);
    const frequency = purchaseFrequency(orders, now);
    const lastEngaged = later(current.last_inbound_at, current.last_read_at);
    const scores = state.rfmBreakpoints === null ? null : rfmScores(counts, state.rfmBreakpoints);
    await db
      .updateTable("contact_metrics")
      .set({
        orders_30d: counts.orders30d,
        orders_90d: counts.orders90d,
        orders_365d: counts.orders365d,
        orders_total: counts.ordersTotal,
        total_spent: counts.totalSpent,
        spent_365d: counts.spent365d,
        avg_order_value: counts.avgOrderValue,
        foreign_currency_orders: counts.foreignCurrencyOrders,
        first_order_at: counts.firstOrderAt,
        last_order_at: counts.lastOrderAt,
        frequency_class: frequency.frequencyClass,
        median_gap_days: frequency.medianGapDays,
        effective_gap_days: frequency.effectiveGapDays,
        heat: heatLevel(lastEngaged, current.created_at, now),
        rfm_recency: scores?.recency ?? null,
        rfm_frequency: scores?.frequency ?? null,
        rfm_monetary: scores?.monetary ?? null,
        computed_at: now,
      })
      .where("contact_seq", "=", seq)
      .execute();
    await applyTagRulesToContact(db, seq, orders, counts.spent365d, state.baseCurrency, now);
  }
}

/**
 * Records that a contact sent us a message at `at`: last inbound time and heat (the batch of one of
 * `recordInbounds`, which the webhook applier uses). Read receipts and read rate arrive with campaigns (they are
 * computed from the messages table).
 */
export async function recordInbound(db: Kysely<Database>, contactId: string, at: number, now: number): Promise<void> {
  const row = await db.selectFrom("contacts").select("seq").where("id", "=", contactId).executeTakeFirst();
  if (row !== undefined) await recordInbounds(db, [{ contactSeq: row.seq, at }], now);
}

/**
 * `recordInbound` for a batch of inbound messages (by contact seq), in two statements: one read of the contacts'
 * metrics, one UPDATE … FROM with each contact's new last inbound time and heat. Several messages of one contact
 * count as their latest.
 */
export async function recordInbounds(
  db: Kysely<Database>,
  items: readonly { contactSeq: number; at: number; newContact?: boolean }[],
  now: number,
): Promise<void> {
  if (items.length === 0) return;
  const latest = new Map<number, number>();
  for (const { contactSeq, at } of items) latest.set(contactSeq, Math.max(at, latest.get(contactSeq) ?? at));
  const dialect = dialectOf(db);
  // A contact created at `now` in this transaction has an empty metrics row: nothing to read.
  const created = new Set(items.filter((i) => i.newContact === true).map((i) => i.contactSeq));
  const known = [...latest.keys()].filter((seq) => !created.has(seq));
  const rows =
    known.length === 0
      ? []
      : await db
          .selectFrom("contacts as c")
          .innerJoin("contact_metrics as m", "m.contact_seq", "c.seq")
          .select(["c.seq", "c.created_at", "m.last_inbound_at", "m.last_read_at"])
          .where(sql<SqlBool>`c.seq in ${dialect.jsonValues(JSON.stringify(known), "bigint")}`)
          .execute();
  for (const seq of created) rows.push({ seq, created_at: now, last_inbound_at: null, last_read_at: null });
  if (rows.length === 0) return;
  const changes = rows.map((row) => {
    const lastInbound = later(row.last_inbound_at, latest.get(Number(row.seq)) ?? null);
    return [Number(row.seq), lastInbound, heatLevel(later(lastInbound, row.last_read_at), row.created_at, now)];
  });
  const source = dialect.jsonRows(JSON.stringify(changes), [
    { name: "seq", type: "bigint" },
    { name: "last_inbound_at", type: "bigint" },
    { name: "heat", type: "text" },
  ]);
  await sql`update contact_metrics set last_inbound_at = x.last_inbound_at, heat = x.heat from ${source} as x
    where contact_metrics.contact_seq = x.seq`.execute(db);
}

function later(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * Takes the refresh lease (one full refresh at a time, across processes): true when taken. A lease older than
 * `leaseMs` belongs to a refresh that died and is taken over.
 */
export async function claimRefresh(db: Kysely<Database>, now: number, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable("metrics_state")
    .set({ refresh_started_at: now })
    .where("id", "=", 1)
    .where((eb) => eb.or([eb("refresh_started_at", "is", null), eb("refresh_started_at", "<", now - leaseMs)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Gives the refresh lease back. */
export async function releaseRefresh(db: Kysely<Database>): Promise<void> {
  await db.updateTable("metrics_state").set({ refresh_started_at: null }).where("id", "=", 1).execute();
}
