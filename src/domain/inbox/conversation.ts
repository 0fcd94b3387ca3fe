/**
 * The team inbox's rules (issue 6 "Team inbox"): conversation statuses, when a waiting customer is overdue, how much
 * of the 24-hour customer-service window is left, and what a canned reply's shortcut may look like. Pure: `now` is
 * passed in.
 */
import { windowClosesAt } from "../consent/window.js";

export const CONVERSATION_STATUSES = ["open", "pending", "closed"] as const;
/** `open`: someone should look at it; `pending`: waiting on the customer or on another team; `closed`: done. */
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** A customer unanswered for this long is flagged red (the issue: "unanswered for 2 hours"). */
export const OVERDUE_AFTER_MS = 2 * 60 * 60 * 1000;

/** The first-response target the team metrics report against ("the share answered within 5 minutes"). */
export const FAST_RESPONSE_MS = 5 * 60 * 1000;

/** The tag that marks high-value customers when the settings name none (the demo's top-spender rule applies it). */
export const DEFAULT_PRIORITY_TAG = "VIP";

/** True when the customer's oldest unanswered message is at least OVERDUE_AFTER_MS old. */
export function isOverdue(waitingSince: number | null, now: number): boolean {
  return waitingSince !== null && now - waitingSince >= OVERDUE_AFTER_MS;
}

/** How long the customer has waited for an answer (0 when nothing is waiting). */
export function waitingMs(waitingSince: number | null, now: number): number {
  return waitingSince === null ? 0 : Math.max(0, now - waitingSince);
}

/** The customer-service window as the composer needs it: when it closes and how many ms remain (0 when closed). */
export interface WindowState {
  open: boolean;
  closesAt: number | null;
  remainingMs: number;
}

/** The window opened by the contact's last inbound message to this sender number (Meta counts it per number). */
export function windowState(lastInboundAt: number | null, now: number): WindowState {
  const closesAt = windowClosesAt(lastInboundAt);
  const remainingMs = closesAt === null ? 0 : Math.max(0, closesAt - now);
  return { open: remainingMs > 0, closesAt, remainingMs };
}

/**
 * A canned reply's shortcut, typed after "/" in the composer: lower-case letters, digits, `_` and `-`, 1–32
 * characters, starting with a letter or digit ("/hours" works, "/환불" does not: shortcuts are typed fast on
 * any keyboard layout).
 */
export const SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Normalises what a person typed as a shortcut ("/Hours " → "hours"); null when it cannot be one. */
export function normalizeShortcut(input: string): string | null {
  const value = input.trim().replace(/^\//, "").toLowerCase();
  return SHORTCUT_PATTERN.test(value) ? value : null;
}
