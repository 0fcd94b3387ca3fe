/**
 * The compliance gates of one message sent on its own (`POST /api/v1/messages`: an order confirmation,
 * a shipping update from a CRM). The same rules as a campaign's (domain/campaign/gates.ts) plus the one
 * only single messages meet: free-form text goes only inside the customer-service window (24 hours
 * from the contact's last message; outside it Meta fails the send with 131047). Pure: data and `now` in.
 */
import { type FrequencyCapPolicy, frequencyCapAllows } from "../consent/frequency-cap.js";
import { type ConsentCategory, type ConsentState, consentAllows } from "../consent/state.js";
import { CUSTOMER_SERVICE_WINDOW_MS, isWindowOpen } from "../consent/window.js";

export const SEND_REFUSALS = ["opted_out", "not_opted_in", "frequency_cap", "outside_service_window"] as const;
export type SendRefusalReason = (typeof SEND_REFUSALS)[number];

export interface SendGateInput {
  /** A template (any time, by its category's consent rules) or free-form text (inside the window only). */
  kind: "template" | "text";
  /** The template's category; free text is SERVICE. */
  category: ConsentCategory;
  consent: ConsentState;
  /** When the contact last wrote to us, or null (never, or not a contact). */
  lastInboundAt: number | null;
  /** Times of this contact's earlier marketing messages inside the cap window. */
  marketingSentAt: readonly number[];
  cap: FrequencyCapPolicy;
  now: number;
}

export interface SendRefusal {
  reason: SendRefusalReason;
  /** A sentence for the caller: what is wrong and what to do instead. */
  message: string;
  /** When the same message would pass this gate, when that is known (frequency cap). */
  retryAt: number | null;
}

const iso = (at: number) => new Date(at).toISOString();

/** Why this message may not be sent now, or null when it may. */
export function singleMessageGate(input: SendGateInput): SendRefusal | null {
  if (input.kind === "text") {
    if (isWindowOpen(input.lastInboundAt, input.now)) return null;
    const last =
      input.lastInboundAt === null
        ? "the contact has never written to this business"
        : `the contact last wrote at ${iso(input.lastInboundAt)}, more than 24 hours ago`;
    return {
      reason: "outside_service_window",
      message: `free-form text can only be sent within 24 hours of the contact's last message (${last}); send an approved template instead`,
      retryAt: null,
    };
  }
  const consent = consentAllows(input.consent, input.category);
  if (!consent.allowed) {
    return consent.reason === "opted_out"
      ? {
          reason: "opted_out",
          message: `the contact opted out; ${input.category} templates are not sent to them`,
          retryAt: null,
        }
      : {
          reason: "not_opted_in",
          message: "the contact has not opted in to marketing messages",
          retryAt: null,
        };
  }
  if (input.category === "MARKETING") {
    const verdict = frequencyCapAllows(input.marketingSentAt, input.now, input.cap);
    if (!verdict.allowed) {
      const hours = Math.round(input.cap.windowMs / 3_600_000);
      return {
        reason: "frequency_cap",
        message: `the contact already received ${verdict.countInWindow} marketing message(s) in the last ${hours} hours (cap: ${input.cap.max})`,
        retryAt: verdict.nextAllowedAt,
      };
    }
  }
  return null;
}

/** When the contact's customer-service window closes, for the caller's information (null when closed). */
export function serviceWindowClosesAt(lastInboundAt: number | null, now: number): number | null {
  return isWindowOpen(lastInboundAt, now) && lastInboundAt !== null ? lastInboundAt + CUSTOMER_SERVICE_WINDOW_MS : null;
}
