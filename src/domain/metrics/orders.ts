/**
 * Order-based metrics: counts over 30/90/365 days, spend, average order value, first and last order.
 *
 * Rules: only `paid` orders count (refunded and cancelled ones are excluded everywhere). Windows are half-open,
 * (now − N days, now]; orders stamped after `now` (a CRM clock ahead of ours) are ignored until their time comes.
 * Money is in the business's base currency: a contact's sums and average include only orders in that currency,
 * because adding won and dollars without a dated exchange rate would be wrong; orders in other currencies still
 * count as orders (counts, first/last time, frequency) and are reported in `foreignCurrencyOrders`.
 */

export type OrderStatus = "paid" | "refunded" | "cancelled";

/** An order as the CRM reports it: amount in minor units of `currency` (KRW has none: ₩15,000 is 15000). */
export interface OrderRecord {
  amount: number;
  currency: string;
  placedAt: number;
  status: OrderStatus;
}

export interface OrderMetrics {
  orders30d: number;
  orders90d: number;
  orders365d: number;
  /** Paid orders ever (up to now). */
  ordersTotal: number;
  /** Sum of paid orders in the base currency, ever, in minor units. */
  totalSpent: number;
  /** Sum of paid orders in the base currency over the last 365 days. */
  spent365d: number;
  /** totalSpent / number of base-currency paid orders, rounded to a whole minor unit; null without such orders. */
  avgOrderValue: number | null;
  /** Paid orders in another currency, left out of the sums. */
  foreignCurrencyOrders: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
}

export const DAY_MS = 86_400_000;

/** The paid orders placed at or before `now`, oldest first. */
export function paidOrders(orders: readonly OrderRecord[], now: number): OrderRecord[] {
  return orders
    .filter((order) => order.status === "paid" && order.placedAt <= now)
    .sort((a, b) => a.placedAt - b.placedAt);
}

/** Count and spend metrics of one contact's orders at time `now`, in `baseCurrency`. */
export function orderMetrics(orders: readonly OrderRecord[], now: number, baseCurrency: string): OrderMetrics {
  const paid = paidOrders(orders, now);
  const within = (days: number) => (order: OrderRecord) => order.placedAt > now - days * DAY_MS;
  const base = paid.filter((order) => order.currency === baseCurrency);
  const totalSpent = sum(base);
  return {
    orders30d: paid.filter(within(30)).length,
    orders90d: paid.filter(within(90)).length,
    orders365d: paid.filter(within(365)).length,
    ordersTotal: paid.length,
    totalSpent,
    spent365d: sum(base.filter(within(365))),
    avgOrderValue: base.length === 0 ? null : Math.round(totalSpent / base.length),
    foreignCurrencyOrders: paid.length - base.length,
    firstOrderAt: paid[0]?.placedAt ?? null,
    lastOrderAt: paid.at(-1)?.placedAt ?? null,
  };
}

function sum(orders: readonly OrderRecord[]): number {
  return orders.reduce((total, order) => total + order.amount, 0);
}
