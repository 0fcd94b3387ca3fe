/**
 * A contact's consent to receive business-initiated WhatsApp messages, and how it changes.
 *
 * Meta requires an opt-in before a business sends templates to a person (WhatsApp Business Messaging Policy),
 * and Korea's Information and Communications Network Act (art. 50) requires prior consent for advertising
 * messages and honouring a withdrawal at once. The state is a tagged union stored as JSON on the contact.
 */

/** Where an opt-in came from. Contact-initiated sources are the ones that may undo an opt-out. */
export type ConsentSource =
  | "keyword" // the contact sent an opt-in word (START, 수신동의)
  | "button" // the contact tapped an opt-in quick reply
  | "form" // the contact filled in a web or in-store form
  | "whatsapp" // WhatsApp's own marketing preference ("resume"/"signup" in a user_preferences webhook)
  | "import" // a CSV import asserted it
  | "api" // the CRM asserted it through the API
  | "manual"; // an operator set it in the dashboard

/** Why a contact is opted out. */
export type OptOutReason =
  | "keyword" // the contact sent an opt-out word (STOP, 수신거부)
  | "button" // the contact tapped an opt-out quick reply
  | "whatsapp" // WhatsApp reported the contact stopped marketing (error 131050 or user_preferences "stop")
  | "complaint" // the contact complained or blocked the number
  | "import"
  | "api"
  | "manual";

export type ConsentState =
  | { kind: "unknown" }
  | { kind: "opted_in"; source: ConsentSource; at: number }
  | { kind: "opted_out"; reason: OptOutReason; at: number; note?: string };

export type ConsentEvent =
  | { kind: "opt_in"; source: ConsentSource; at: number }
  | { kind: "opt_out"; reason: OptOutReason; at: number; note?: string };

/** Why an event left the state unchanged. */
export type ConsentIgnoredReason =
  | "stale" // the event is older than the state it would replace (reordered webhooks, a late import)
  | "unchanged" // the contact is already in that state
  | "opt_out_needs_contact_action"; // a business-asserted opt-in cannot undo the contact's opt-out

export type ConsentTransition =
  | { changed: true; state: ConsentState }
  | { changed: false; state: ConsentState; ignored: ConsentIgnoredReason };

export const UNKNOWN_CONSENT: ConsentState = { kind: "unknown" };

const CONTACT_INITIATED: Readonly<Record<ConsentSource, boolean>> = {
  keyword: true,
  button: true,
  form: true,
  whatsapp: true,
  import: false,
  api: false,
  manual: false,
};

/** True when the contact took the opt-in action themselves (as opposed to a CRM or operator asserting it). */
export function isContactInitiated(source: ConsentSource): boolean {
  return CONTACT_INITIATED[source];
}

/**
 * Apply a consent event to a state.
 *
 * Rules: events are applied in time order, so an event older than the current state is ignored (at equal times
 * an opt-out wins, the safe side); an opt-in from an import, the API or an operator never undoes an opt-out —
 * only the contact can, by a keyword, a button, a form or WhatsApp's own preference — so a CRM re-sync of stale
 * "opted in" rows cannot resurrect someone who said STOP.
 */
export function applyConsentEvent(state: ConsentState, event: ConsentEvent): ConsentTransition {
  switch (event.kind) {
    case "opt_in": {
      if (state.kind === "opted_in") return { changed: false, state, ignored: "unchanged" };
      if (state.kind === "opted_out") {
        if (event.at <= state.at) return { changed: false, state, ignored: "stale" };
        if (!isContactInitiated(event.source)) {
          return { changed: false, state, ignored: "opt_out_needs_contact_action" };
        }
      }
      return { changed: true, state: { kind: "opted_in", source: event.source, at: event.at } };
    }
    case "opt_out": {
      if (state.kind === "opted_out") return { changed: false, state, ignored: "unchanged" };
      if (state.kind === "opted_in" && event.at < state.at) return { changed: false, state, ignored: "stale" };
      const next: ConsentState = { kind: "opted_out", reason: event.reason, at: event.at };
      if (event.note !== undefined) next.note = event.note;
      return { changed: true, state: next };
    }
    default: {
      const unexpected: never = event;
      throw new Error(`unknown consent event ${JSON.stringify(unexpected)}`);
    }
  }
}

/** Message categories as far as consent is concerned (Meta's template categories plus free-form service replies). */
export type ConsentCategory = "MARKETING" | "UTILITY" | "AUTHENTICATION" | "SERVICE";

/** What the business allows beyond the legal minimum. */
export interface ConsentPolicy {
  /** Send marketing to contacts whose consent is unknown. Off by default: Meta and Korean law want an opt-in. */
  marketingToUnknown: boolean;
  /** Send utility templates to opted-out contacts (order and shipping updates they asked for). */
  utilityToOptedOut: boolean;
}

export const DEFAULT_CONSENT_POLICY: ConsentPolicy = { marketingToUnknown: false, utilityToOptedOut: true };

export type ConsentVerdict = { allowed: true } | { allowed: false; reason: "opted_out" | "no_opt_in" };

/**
 * Whether a message of `category` may be sent to a contact in `state`.
 *
 * Marketing needs an opt-in; utility is transactional and goes to everyone not opted out (or to opted-out
 * contacts too when the policy says so, since an opt-out of promotions is not an opt-out of receipts);
 * authentication codes and service replies answer the contact's own request, so consent never blocks them.
 */
export function consentAllows(
  state: ConsentState,
  category: ConsentCategory,
  policy: ConsentPolicy = DEFAULT_CONSENT_POLICY,
): ConsentVerdict {
  switch (category) {
    case "MARKETING":
      if (state.kind === "opted_in") return { allowed: true };
      if (state.kind === "opted_out") return { allowed: false, reason: "opted_out" };
      return policy.marketingToUnknown ? { allowed: true } : { allowed: false, reason: "no_opt_in" };
    case "UTILITY":
      return state.kind === "opted_out" && !policy.utilityToOptedOut
        ? { allowed: false, reason: "opted_out" }
        : { allowed: true };
    case "AUTHENTICATION":
    case "SERVICE":
      return { allowed: true };
    default: {
      const unexpected: never = category;
      throw new Error(`unknown category ${String(unexpected)}`);
    }
  }
}
