/**
 * The compliance gates of a campaign launch (issue 5, DESIGN §2): for each contact of the segment,
 * either it may be queued or the one reason it is skipped. Order matters only for which reason is
 * recorded when several apply; it goes from the most fundamental (the number, consent) to the most
 * circumstantial (the daily tier). Pure: data and `now` in, a verdict out.
 */

import { type FrequencyCapPolicy, frequencyCapAllows } from "../consent/frequency-cap.js";
import { type ConsentCategory, type ConsentState, consentAllows } from "../consent/state.js";

export const SKIP_REASONS = [
  "invalid_number",
  "opted_out",
  "not_opted_in",
  "inactive_90d",
  "frequency_cap",
  "missing_variable",
  "invalid_variable",
  "cancelled",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface GateInput {
  category: ConsentCategory;
  consent: ConsentState;
  /** The contact's interaction heat; `inactive` = nothing for 90 days. */
  heat: string;
  excludeInactive: boolean;
  phoneValid: boolean;
  /** Times of this contact's earlier marketing messages inside the cap window. */
  marketingSentAt: readonly number[];
  cap: FrequencyCapPolicy;
  now: number;
}

/** The reason a contact is skipped before rendering, or null when it may receive the campaign. */
export function audienceGate(input: GateInput): SkipReason | null {
  if (!input.phoneValid) return "invalid_number";
  const consent = consentAllows(input.consent, input.category);
  if (!consent.allowed) return consent.reason === "opted_out" ? "opted_out" : "not_opted_in";
  if (input.excludeInactive && input.heat === "inactive") return "inactive_90d";
  if (input.category === "MARKETING" && !frequencyCapAllows(input.marketingSentAt, input.now, input.cap).allowed) {
    return "frequency_cap";
  }
  return null;
}

/**
 * The messaging tier (whatsapp-platform.md §5): unique recipients of business-initiated messages in a
 * moving 24 hours. Given what the sender already reached and its limit, how many more it may reach.
 */
export function tierRemaining(reachedLast24h: number, tierLimit: number): number {
  return Math.max(0, tierLimit - reachedLast24h);
}
