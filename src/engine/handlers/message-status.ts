import type { StatusChange } from "../../store/messages.js";
import { applyMessageStatuses } from "../../store/messages-status.js";
import { notifyMessageStatuses } from "../../store/webhook-notify.js";
import type { BatchEventHandler } from "../applier.js";

/**
 * Delivery statuses of messages Herald sent, a whole applier batch at once (store/messages-status.ts): each row
 * moves forward (sent → delivered → read, or failed), never back, and records pricing. A row is found by Meta's
 * message id or by our row id echoed as `biz_opaque_callback_data`, so a status that overtakes the send result
 * still lands. `played` (voice) and `deleted` change nothing in a campaign's counts. The messages that moved are
 * reported to outbound webhooks (message.status_changed) in the same transaction.
 */
export const messageStatus: BatchEventHandler<"status"> = {
  async batch(trx, events, now) {
    const changes: StatusChange[] = [];
    for (const { status: s } of events) {
      if (s.status !== "sent" && s.status !== "delivered" && s.status !== "read" && s.status !== "failed") continue;
      const error = s.errors[0];
      changes.push({
        providerMessageId: s.messageId,
        messageId: s.callbackData,
        status: s.status,
        at: s.timestamp,
        error: error ? { code: error.code, message: error.message ?? error.title ?? `error ${error.code}` } : undefined,
        pricingCategory: s.pricing?.category,
        billable: s.pricing?.billable,
      });
    }
    await notifyMessageStatuses(trx, await applyMessageStatuses(trx, changes), now);
  },
};
