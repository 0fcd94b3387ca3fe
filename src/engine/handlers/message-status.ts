import { applyMessageStatus } from "../../store/messages.js";
import type { EventHandler } from "../applier.js";

/**
 * A delivery status of a message Herald sent: moves its row forward (sent → delivered → read, or
 * failed), never back, and records pricing. The row is found by Meta's message id or by our row id
 * echoed as `biz_opaque_callback_data`, so a status that overtakes the send result still lands.
 * `played` (voice) and `deleted` change nothing in a campaign's counts.
 */
export const messageStatus: EventHandler<"status"> = async (trx, event) => {
  const s = event.status;
  if (s.status !== "sent" && s.status !== "delivered" && s.status !== "read" && s.status !== "failed") return;
  const error = s.errors[0];
  await applyMessageStatus(trx, {
    providerMessageId: s.messageId,
    messageId: s.callbackData,
    status: s.status,
    at: s.timestamp,
    error: error ? { code: error.code, message: error.message ?? error.title ?? `error ${error.code}` } : undefined,
    pricingCategory: s.pricing?.category,
    billable: s.pricing?.billable,
  });
};
