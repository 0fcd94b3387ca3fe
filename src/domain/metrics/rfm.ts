/**
 * RFM scoring in quintiles: each buyer gets 1–5 for Recency (last paid order time), Frequency (paid orders in
 * 365 days) and Monetary (base-currency spend in 365 days), 5 being the best fifth of the population.
 *
 * Breakpoints come from the population of buyers (contacts with at least one paid order); contacts who never
 * bought get no RFM score (null) rather than a misleading 1. With sorted values v[0..n−1], breakpoint k (1–4) is
 * v[⌈k·n/5⌉ − 1], the top value of the k-th fifth, and a contact's score is 1 + the number of breakpoints its value
 * is strictly greater than. Ties therefore share the lower score: if most buyers have exactly one order, they
 * all score F = 1 instead of being spread at random across fifths.
 */
import { HeraldError } from "../errors.js";

/** The four values separating the five fifths, ascending. */
export type Quintiles = readonly [number, number, number, number];

/** Quintile breakpoints of an ascending-sorted array; null for an empty population. Throws if not sorted. */
export function quintileBreakpoints(sorted: readonly number[]): Quintiles | null {
  const n = sorted.length;
  if (n === 0) return null;
  for (let index = 1; index < n; index++) {
    if ((sorted[index] ?? 0) < (sorted[index - 1] ?? 0)) {
      throw new HeraldError("internal", "quintileBreakpoints needs values sorted in ascending order.");
    }
  }
  const at = (k: number) => sorted[Math.ceil((k * n) / 5) - 1] ?? 0;
  return [at(1), at(2), at(3), at(4)];
}

/** The quintile score (1–5) of a value against the population's breakpoints. */
export function quintileScore(value: number, breakpoints: Quintiles): 1 | 2 | 3 | 4 | 5 {
  const above = breakpoints.filter((breakpoint) => value > breakpoint).length;
  return (1 + above) as 1 | 2 | 3 | 4 | 5;
}

export interface RfmBreakpoints {
  /** Over buyers' last paid order times (epoch ms): later is better. */
  recency: Quintiles;
  /** Over buyers' paid order counts in 365 days. */
  frequency: Quintiles;
  /** Over buyers' base-currency spend in 365 days (minor units). */
  monetary: Quintiles;
}

export interface RfmScores {
  recency: number;
  frequency: number;
  monetary: number;
}

/** A contact's RFM scores, or null when they never bought. */
export function rfmScores(
  contact: { lastOrderAt: number | null; orders365d: number; spent365d: number },
  breakpoints: RfmBreakpoints,
): RfmScores | null {
  if (contact.lastOrderAt === null) return null;
  return {
    recency: quintileScore(contact.lastOrderAt, breakpoints.recency),
    frequency: quintileScore(contact.orders365d, breakpoints.frequency),
    monetary: quintileScore(contact.spent365d, breakpoints.monetary),
  };
}
