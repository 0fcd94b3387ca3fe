/**
 * All derived metrics of one contact in one record: what the store keeps in `contact_metrics` and segments
 * filter on (segment/fields.ts names the same fields). RFM scores need the population, so they are added by
 * `withRfm` after the breakpoints are known.
 */
import type { FrequencyClass, HeatLevel } from "./classes.js";
import { purchaseFrequency } from "./frequency.js";
import { engagementMetrics, type Interaction } from "./heat.js";
import { type OrderMetrics, type OrderRecord, orderMetrics } from "./orders.js";
import { type RfmBreakpoints, rfmScores } from "./rfm.js";

export interface ContactMetrics extends OrderMetrics {
  /** The base currency the money fields are in. */
  currency: string;
  frequencyClass: FrequencyClass;
  /** The gaps the frequency class was chosen from (see frequency.ts), kept so a contact page can explain it. */
  medianGapDays: number | null;
  effectiveGapDays: number | null;
  heat: HeatLevel;
  lastInboundAt: number | null;
  lastReadAt: number | null;
  readRate: number | null;
  rfmRecency: number | null;
  rfmFrequency: number | null;
  rfmMonetary: number | null;
  /** When these were computed; time-dependent fields (windows, heat) go stale and the scheduler refreshes them. */
  computedAt: number;
}

/** What a contact's metrics are computed from. */
export interface ContactActivity {
  createdAt: number;
  orders: readonly OrderRecord[];
  interactions: readonly Interaction[];
}

/** Every derived metric of a contact at time `now`, with RFM left null (see `withRfm`). */
export function computeContactMetrics(activity: ContactActivity, now: number, baseCurrency: string): ContactMetrics {
  const orders = orderMetrics(activity.orders, now, baseCurrency);
  const frequency = purchaseFrequency(activity.orders, now);
  const engagement = engagementMetrics(activity.interactions, activity.createdAt, now);
  return {
    ...orders,
    currency: baseCurrency,
    frequencyClass: frequency.frequencyClass,
    medianGapDays: frequency.medianGapDays,
    effectiveGapDays: frequency.effectiveGapDays,
    ...engagement,
    rfmRecency: null,
    rfmFrequency: null,
    rfmMonetary: null,
    computedAt: now,
  };
}

/** The metrics with RFM scores from the population's breakpoints (null scores for contacts who never bought). */
export function withRfm(metrics: ContactMetrics, breakpoints: RfmBreakpoints | null): ContactMetrics {
  const scores = breakpoints === null ? null : rfmScores(metrics, breakpoints);
  return {
    ...metrics,
    rfmRecency: scores?.recency ?? null,
    rfmFrequency: scores?.frequency ?? null,
    rfmMonetary: scores?.monetary ?? null,
  };
}
