/**
 * A campaign's funnel: audience → skipped → sent → delivered → read → replied → clicked → converted, as counts and
 * rates (docs/analytics.md states each formula). Pure: counts in, figures out.
 */

/** The counts a campaign report (or a sum of several) is made of. */
export interface FunnelCounts {
  /** Every recipient row of the launch snapshot. */
  audience: number;
  /** Skipped at launch, by reason code (domain/campaign/gates.ts). */
  skipped: Record<string, number>;
  /** Messages the provider accepted (sent_at set). */
  sent: number;
  /** Delivered to the phone (delivered_at or read_at set). */
  delivered: number;
  read: number;
  /** Answered within 24 hours of being sent. */
  replied: number;
  /** Messages whose tracked link a person opened at least once. */
  clicked: number;
  /** Messages with at least one attributed order. */
  converted: number;
  /** Ended `failed` (the provider refused it or could not deliver it). */
  failed: number;
}

export const FUNNEL_STAGES = ["audience", "sent", "delivered", "read", "replied", "clicked", "converted"] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface FunnelStep {
  stage: FunnelStage;
  count: number;
  /** count ÷ sent (audience: null). */
  rateOfSent: number | null;
  /** count ÷ the previous stage's count (audience: null). */
  stepRate: number | null;
}

/** n ÷ d, or null when d is 0 (a rate of nothing is unknown, not 0). */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

/** Sum of the skip reasons. */
export function skippedTotal(counts: Pick<FunnelCounts, "skipped">): number {
  return Object.values(counts.skipped).reduce((a, b) => a + b, 0);
}

/** The funnel's steps with both rates. */
export function funnelSteps(c: FunnelCounts): FunnelStep[] {
  const steps: FunnelStep[] = [];
  let previous: number | null = null;
  for (const stage of FUNNEL_STAGES) {
    const count = c[stage];
    steps.push({
      stage,
      count,
      rateOfSent: stage === "audience" ? null : ratio(count, c.sent),
      stepRate: previous === null ? null : ratio(count, previous),
    });
    previous = count;
  }
  return steps;
}

/** The headline rates, each over delivered messages except delivery (over sent). */
export interface FunnelRates {
  deliveryRate: number | null;
  readRate: number | null;
  replyRate: number | null;
  clickRate: number | null;
  conversionRate: number | null;
  failureRate: number | null;
}

/** deliveryRate = delivered ÷ sent; read, reply, click and conversion rates ÷ delivered; failureRate = failed ÷ (sent + failed before send). */
export function funnelRates(c: FunnelCounts, failedBeforeSend = 0): FunnelRates {
  return {
    deliveryRate: ratio(c.delivered, c.sent),
    readRate: ratio(c.read, c.delivered),
    replyRate: ratio(c.replied, c.delivered),
    clickRate: ratio(c.clicked, c.delivered),
    conversionRate: ratio(c.converted, c.delivered),
    failureRate: ratio(c.failed, c.sent + failedBeforeSend),
  };
}
