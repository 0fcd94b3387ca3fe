/**
 * The messaging windows that decide what may be sent and what it costs (whatsapp-platform.md §5–6).
 */

const HOUR_MS = 3_600_000;

/** The customer-service window: 24 hours from the contact's last message (Meta: "Customer service windows"). */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * HOUR_MS;

/** A business must answer a click-to-WhatsApp ad or Page button within 24 hours for the free entry point to open. */
export const FREE_ENTRY_POINT_REPLY_MS = 24 * HOUR_MS;

/** Once opened by the business's reply, the free entry point window lasts 72 hours, and every message in it is free. */
export const FREE_ENTRY_POINT_WINDOW_MS = 72 * HOUR_MS;

/** When the customer-service window opened by the contact's last inbound message closes, or null if they never wrote. */
export function windowClosesAt(lastInboundAt: number | null): number | null {
  return lastInboundAt === null ? null : lastInboundAt + CUSTOMER_SERVICE_WINDOW_MS;
}

/**
 * Whether free-form (non-template) messages may be sent at `now`: inside 24 hours of the last inbound message,
 * else only templates are allowed (Meta error 131047). The window is half-open: at exactly 24 h it is closed.
 */
export function isWindowOpen(lastInboundAt: number | null, now: number): boolean {
  const closesAt = windowClosesAt(lastInboundAt);
  return closesAt !== null && now < closesAt;
}

/** A conversation that started from a click-to-WhatsApp ad or a Facebook Page call-to-action button. */
export interface FreeEntryPoint {
  /** When the contact's message carrying the ad `referral` arrived. */
  referralAt: number;
  /** When the business first replied to it, or null if it has not yet. */
  firstReplyAt: number | null;
}

/**
 * When the 72-hour free entry point window closes, or null if it never opened (no reply yet, or the reply came
 * more than 24 hours after the referral message). The window runs from the business's first reply.
 */
export function freeEntryPointClosesAt(entry: FreeEntryPoint): number | null {
  if (entry.firstReplyAt === null) return null;
  const repliedInTime =
    entry.firstReplyAt >= entry.referralAt && entry.firstReplyAt - entry.referralAt < FREE_ENTRY_POINT_REPLY_MS;
  return repliedInTime ? entry.firstReplyAt + FREE_ENTRY_POINT_WINDOW_MS : null;
}

/**
 * Whether a message sent at `now` falls in a free entry point window. Before any reply, a message sent within 24 h
 * of the referral is itself the reply that opens the window, so it is free too.
 */
export function isFreeEntryPointOpen(entry: FreeEntryPoint, now: number): boolean {
  if (entry.firstReplyAt === null) {
    return now >= entry.referralAt && now - entry.referralAt < FREE_ENTRY_POINT_REPLY_MS;
  }
  const closesAt = freeEntryPointClosesAt(entry);
  return closesAt !== null && now >= entry.firstReplyAt && now < closesAt;
}
