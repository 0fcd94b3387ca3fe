/**
 * Segment comparison and sender health, from summed rollups. Lift is a segment's rate ÷ the same rate over the
 * whole base (every campaign in the period): 1.2 means 20 % better than the base.
 */
import { type FunnelCounts, ratio } from "./funnel.js";

export interface ComparedRates {
  readRate: number | null;
  replyRate: number | null;
  conversionRate: number | null;
}

/** read ÷ delivered, replied ÷ delivered, converted ÷ delivered. */
export function comparedRates(c: Pick<FunnelCounts, "delivered" | "read" | "replied" | "converted">): ComparedRates {
  return {
    readRate: ratio(c.read, c.delivered),
    replyRate: ratio(c.replied, c.delivered),
    conversionRate: ratio(c.converted, c.delivered),
  };
}

/** Each rate ÷ the base's rate (null when either is unknown or the base's is 0). */
export function lift(segment: ComparedRates, base: ComparedRates): ComparedRates {
  const one = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
  return {
    readRate: one(segment.readRate, base.readRate),
    replyRate: one(segment.replyRate, base.replyRate),
    conversionRate: one(segment.conversionRate, base.conversionRate),
  };
}

/**
 * Below this 24-hour reply rate of business-initiated messages a number is at risk: Meta rates quality on how
 * recipients react (blocks, reports), and people who never answer are the ones who block. 5 % is the bar.
 */
export const LOW_REPLY_RATE = 0.05;

export type SenderWarning = "low_reply_rate" | "quality_yellow" | "quality_red" | "tier_nearly_used";

/** Warnings for one sender number. */
export function senderWarnings(input: {
  replyRate: number | null;
  qualityRating: string;
  usedToday: number;
  tierLimit: number | null;
}): SenderWarning[] {
  const out: SenderWarning[] = [];
  if (input.replyRate !== null && input.replyRate < LOW_REPLY_RATE) out.push("low_reply_rate");
  if (input.qualityRating === "YELLOW") out.push("quality_yellow");
  if (input.qualityRating === "RED") out.push("quality_red");
  if (input.tierLimit !== null && input.usedToday >= input.tierLimit * 0.9) out.push("tier_nearly_used");
  return out;
}
