/**
 * The auto-reply rule model (DESIGN §2 "Auto-reply"): a rule has a priority (its position), a trigger, conditions
 * that must all hold, and actions performed in order when it is the first enabled rule that fires.
 * Tagged unions throughout, so a new kind does not compile until every switch handles it.
 */

/** How keywords compare with a message (both sides folded: see text.ts). */
export type KeywordMode =
  /** The whole message is one of the keywords ("YES", "yes!", "Yes please" with filler words removed). */
  | "exact"
  /** The message contains one of the phrases ("할인 코드 주세요" contains "할인"; Latin words at word boundaries). */
  | "contains"
  /** One of the message's words is one of the keywords ("ok thanks" with any-of [ok, yes, y]). */
  | "any_of";

/** Opening hours in a time zone: days are ISO weekdays (1 = Monday … 7 = Sunday), times "HH:MM" (close exclusive). */
export interface BusinessHours {
  timeZone: string;
  days: number[];
  open: string;
  close: string;
}

export type Trigger =
  | { kind: "keyword"; mode: KeywordMode; keywords: string[] }
  /** A JavaScript regular expression (flags i and u always on) over the folded text. */
  | { kind: "regex"; pattern: string }
  /** A quick-reply button's payload or an interactive reply's id (compared case-insensitively, "OFFER_YES"). */
  | { kind: "button"; payloads: string[] }
  /** The first message Herald ever received from this contact. */
  | { kind: "first_message" }
  /** Any message that arrives outside the business hours. */
  | { kind: "outside_hours"; hours: BusinessHours };

export type TriggerKind = Trigger["kind"];

export type ConsentStateKind = "unknown" | "opted_in" | "opted_out";

export type Condition =
  | { kind: "tag"; op: "has" | "lacks"; tag: string }
  | { kind: "segment"; op: "in" | "not_in"; segmentId: string }
  | { kind: "consent"; states: ConsentStateKind[] }
  /** Local time between `from` and `to` ("22:00"–"08:00" wraps midnight), optionally on some ISO weekdays only. */
  | { kind: "time_of_day"; timeZone: string; from: string; to: string; days?: number[] };

/** Free-form content: only inside the 24-hour customer-service window (Meta error 131047 outside it). */
export type ReplyContent =
  | { kind: "text"; body: string }
  | { kind: "media"; mediaType: "image" | "video" | "document"; link: string; caption?: string }
  | { kind: "buttons"; body: string; buttons: { id: string; title: string }[] };

/** An approved template to send instead when the window is closed; body variables are constants. */
export interface TemplateFallback {
  templateId: string;
  variables: Record<string, string>;
}

export type Action =
  | { kind: "reply"; content: ReplyContent; template: TemplateFallback | null }
  | { kind: "add_tag"; tag: string }
  | { kind: "remove_tag"; tag: string }
  /** Records the opt-out (if the consent-word handler has not already) and confirms it with a text, when given. */
  | { kind: "opt_out"; confirmation: string | null }
  | { kind: "opt_in"; confirmation: string | null }
  /** Hand the conversation to a person: recorded as an open hand-over the inbox shows. */
  | { kind: "handover"; note: string | null };

export type ActionKind = Action["kind"];

/** A rule as the evaluator sees it, in priority order (position 0 is evaluated first). */
export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  trigger: Trigger;
  conditions: Condition[];
  actions: Action[];
}

/** The loop and flood guards (configurable per installation). */
export interface GuardPolicy {
  /** At most this many automatic replies to one contact per rolling hour. */
  maxRepliesPerHour: number;
  /** A burst of this many automatic replies within `loopWindowMinutes` means a loop with another bot: stop. */
  loopMaxReplies: number;
  loopWindowMinutes: number;
}

export const DEFAULT_GUARD_POLICY: GuardPolicy = { maxRepliesPerHour: 10, loopMaxReplies: 3, loopWindowMinutes: 2 };
