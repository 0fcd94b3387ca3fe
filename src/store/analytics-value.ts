/**
 * Customer value over the whole base: the monthly LTV review (12 months), engaged-on-WhatsApp customers against the
 * rest, and first-order cohorts. These scan every order, so the analytics loop computes them on a schedule into
 * `analytics_snapshots` and the report reads the snapshot (with its time). Paid orders in the base currency only.
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import {
  type CohortRow,
  cohorts,
  type GroupValue,
  groupValue,
  type LtvRow,
  ltvReview,
  type MonthRow,
  monthOf,
  monthStart,
} from "../domain/analytics/value.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;
const DAY_MS = 86_400_000;
export const MONTHS = 12;
/** A customer is engaged on WhatsApp when they read one of our messages or wrote to us in the last 365 days. */
export const ENGAGED_DAYS = 365;

export interface CustomerValue {
  currency: string;
  months: LtvRow[];
  engaged: GroupValue;
  others: GroupValue;
  cohorts: CohortRow[];
}

/** `case` expression giving the index (0 … MONTHS−1) of the month of `column` among the last MONTHS, −1 before. */
function monthIndex(column: RawBuilder<unknown>, starts: number[]): RawBuilder<number> {
  const branches = starts.map((start, i) => sql`when ${column} >= ${sql.lit(start)} then ${sql.lit(i)}`).reverse();
  return sql<number>`(case ${sql.join(branches, sql` `)} else -1 end)`;
}

/** Computes the customer-value report now. */
export async function computeCustomerValue(db: Db, now: number): Promise<CustomerValue> {
  const state = await db.selectFrom("metrics_state").select("base_currency").where("id", "=", 1).executeTakeFirst();
  const currency = state?.base_currency ?? "USD";
  const starts = Array.from({ length: MONTHS }, (_, i) => monthStart(now, i - (MONTHS - 1)));
  const placed = monthIndex(sql.ref("o.placed_at"), starts);

  const perMonth = await db
    .selectFrom("orders as o")
    .select([
      placed.as("m"),
      (eb) => eb.fn.countAll<number>().as("orders"),
      (eb) => eb.fn.sum<number>("o.amount").as("revenue"),
      (eb) => eb.fn.count<number>("o.contact_seq").distinct().as("buyers"),
    ])
    .where("o.status", "=", "paid")
    .where("o.currency", "=", currency)
    .where("o.placed_at", "<", monthStart(now, 1))
    .groupBy(placed)
    .execute();
  const first = monthIndex(sql.ref("first_order_at"), starts);
  const newPerMonth = await db
    .selectFrom("contact_metrics")
    .select([first.as("m"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("first_order_at", "is not", null)
    .groupBy(first)
    .execute();
  const rows: MonthRow[] = starts.map((start) => ({
    month: monthOf(start),
    revenue: 0,
    orders: 0,
    buyers: 0,
    newCustomers: 0,
  }));
  const before = { revenue: 0, customers: 0 };
  for (const p of perMonth) {
    const i = Number(p.m);
    if (i < 0) before.revenue += Number(p.revenue ?? 0);
    else if (rows[i]) {
      rows[i].revenue = Number(p.revenue ?? 0);
      rows[i].orders = Number(p.orders);
      rows[i].buyers = Number(p.buyers);
    }
  }
  for (const n of newPerMonth) {
    const i = Number(n.m);
    if (i < 0) before.customers += Number(n.n);
    else if (rows[i]) rows[i].newCustomers = Number(n.n);
  }

  // Engaged: a read or a reply on a message, or an inbound message, in the last ENGAGED_DAYS.
  const since = now - ENGAGED_DAYS * DAY_MS;
  const engagedSet = db
    .selectFrom("messages")
    .select("contact_seq")
    .where((eb) => eb.or([eb("read_at", ">=", since), eb("replied_at", ">=", since)]))
    .union(db.selectFrom("inbound_messages").select("contact_seq").where("received_at", ">=", since));
  const groups = await db
    .selectFrom("contact_metrics as m")
    .leftJoin(engagedSet.as("e"), "e.contact_seq", "m.contact_seq")
    .select([
      sql<number>`case when e.contact_seq is null then 0 else 1 end`.as("engaged"),
      (eb) => eb.fn.countAll<number>().as("customers"),
      sql<number>`sum(case when m.orders_total > 0 then 1 else 0 end)`.as("buyers"),
      sql<number>`sum(case when m.orders_total > 1 then 1 else 0 end)`.as("repeat"),
      sql<number>`sum(m.spent_365d)`.as("spent"),
    ])
    .groupBy(sql`case when e.contact_seq is null then 0 else 1 end`)
    .execute();
  const group = (flag: number): GroupValue => {
    const g = groups.find((x) => Number(x.engaged) === flag);
    return groupValue(Number(g?.customers ?? 0), Number(g?.buyers ?? 0), Number(g?.repeat ?? 0), Number(g?.spent ?? 0));
  };

  const cohortOf = monthIndex(sql.ref("m.first_order_at"), starts);
  const sizes = new Map(starts.map((s) => [monthOf(s), 0]));
  for (const n of newPerMonth) {
    const i = Number(n.m);
    if (i >= 0) sizes.set(monthOf(starts[i] ?? 0), Number(n.n));
  }
  const activity = await db
    .selectFrom("orders as o")
    .innerJoin("contact_metrics as m", "m.contact_seq", "o.contact_seq")
    .select([cohortOf.as("c"), placed.as("p"), (eb) => eb.fn.count<number>("o.contact_seq").distinct().as("n")])
    .where("m.first_order_at", ">=", starts[0] ?? 0)
    .where("o.status", "=", "paid")
    .where("o.placed_at", ">=", starts[0] ?? 0)
    .groupBy([cohortOf, placed])
    .execute();
  const active = new Map<string, number[]>();
  for (const a of activity) {
    const c = Number(a.c);
    const p = Number(a.p);
    if (c < 0 || p < c) continue;
    const key = monthOf(starts[c] ?? 0);
    const list = active.get(key) ?? new Array<number>(MONTHS - c).fill(0);
    list[p - c] = Number(a.n);
    active.set(key, list);
  }
  return {
    currency,
    months: ltvReview(rows, before),
    engaged: group(1),
    others: group(0),
    cohorts: cohorts(sizes, active),
  };
}

/** Computes the report and stores it as the `customer_value` snapshot. */
export async function refreshCustomerValue(db: Db, now: number): Promise<CustomerValue> {
  const started = Date.now();
  const value = await computeCustomerValue(db, now);
  const row = { computed_at: now, took_ms: Date.now() - started, data: JSON.stringify(value) };
  await db
    .insertInto("analytics_snapshots")
    .values({ name: "customer_value", ...row })
    .onConflict((oc) => oc.column("name").doUpdateSet(row))
    .execute();
  return value;
}

/** The stored snapshot, or null before the first computation. */
export async function customerValueSnapshot(
  db: Db,
): Promise<{ computedAt: number; tookMs: number; value: CustomerValue } | null> {
  const row = await db
    .selectFrom("analytics_snapshots")
    .selectAll()
    .where("name", "=", "customer_value")
    .executeTakeFirst();
  if (!row) return null;
  return {
    computedAt: Number(row.computed_at),
    tookMs: Number(row.took_ms),
    value: JSON.parse(row.data) as CustomerValue,
  };
}
