/**
 * Purchase frequency class, from how far apart a contact's purchases are.
 *
 * Definition:
 * 1. Take paid orders of the last 365 days (any currency) and merge orders less than 24 hours after the previous
 *    one into one purchase occasion (a split cart is one purchase, not a "daily" habit).
 * 2. The typical gap is the median of the gaps between consecutive occasions (needs ≥ 2 occasions).
 * 3. A buyer who stopped should drift down: the effective gap is max(median gap, (now − last order) / 2).
 * 4. Class by effective gap: ≤ 10 days weekly, ≤ 45 days monthly, ≤ 120 days quarterly, longer occasional.
 *    Fewer than 2 occasions in the year but some paid order ever: occasional. No paid order ever: none.
 * The thresholds leave slack around 7, 30 and 91 days so a customer who buys every 8 or 35 days keeps a stable class.
 */
import type { FrequencyClass } from "./classes.js";
import { DAY_MS, type OrderRecord, paidOrders } from "./orders.js";

export const FREQUENCY_THRESHOLDS_DAYS = { weekly: 10, monthly: 45, quarterly: 120 } as const;

/** The class and the numbers behind it, so a contact page can explain it. */
export interface FrequencyResult {
  frequencyClass: FrequencyClass;
  /** Median gap between purchase occasions in the last 365 days, in days; null with fewer than 2 occasions. */
  medianGapDays: number | null;
  /** The gap the class was chosen from, in days; null when there was none to choose from. */
  effectiveGapDays: number | null;
}

/** Start times of purchase occasions: paid orders with those < 24 h after the previous one merged. */
export function purchaseOccasions(orders: readonly OrderRecord[], since: number, now: number): number[] {
  const occasions: number[] = [];
  let lastOrderAt = Number.NEGATIVE_INFINITY;
  for (const order of paidOrders(orders, now)) {
    if (order.placedAt <= since) continue;
    if (order.placedAt - lastOrderAt >= DAY_MS) occasions.push(order.placedAt);
    lastOrderAt = order.placedAt;
  }
  return occasions;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/** The purchase frequency class of a contact at time `now` (definition above). */
export function purchaseFrequency(orders: readonly OrderRecord[], now: number): FrequencyResult {
  const paid = paidOrders(orders, now);
  const last = paid.at(-1);
  if (last === undefined) return { frequencyClass: "none", medianGapDays: null, effectiveGapDays: null };
  const occasions = purchaseOccasions(orders, now - 365 * DAY_MS, now);
  if (occasions.length < 2) return { frequencyClass: "occasional", medianGapDays: null, effectiveGapDays: null };
  const gaps = occasions.slice(1).map((at, index) => (at - (occasions[index] ?? at)) / DAY_MS);
  const medianGapDays = median(gaps);
  const effectiveGapDays = Math.max(medianGapDays, (now - last.placedAt) / DAY_MS / 2);
  return { frequencyClass: classify(effectiveGapDays), medianGapDays, effectiveGapDays };
}

function classify(gapDays: number): FrequencyClass {
  if (gapDays <= FREQUENCY_THRESHOLDS_DAYS.weekly) return "weekly";
  if (gapDays <= FREQUENCY_THRESHOLDS_DAYS.monthly) return "monthly";
  if (gapDays <= FREQUENCY_THRESHOLDS_DAYS.quarterly) return "quarterly";
  return "occasional";
}
