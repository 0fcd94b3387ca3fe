/**
 * Outbound webhook events built from WhatsApp's own events (the ones built from store changes are in
 * store/webhook-notify.ts). Written in the applier's transaction, so an event exists exactly when its change does.
 */
import type { Transaction } from "kysely";
import type { Database } from "../store/schema.js";
import { enqueueWebhookEvents, wantedTypes } from "../store/webhook-outbox.js";
import type { WebhookEvent } from "../whatsapp/webhook/index.js";

/**
 * `message.received`: inbound messages from contacts, each with the message as parsed (docs/webhooks.md), in one
 * statement (in the order given).
 */
export async function notifyInboundMessages(
  trx: Transaction<Database>,
  items: readonly { contactId: string; event: Extract<WebhookEvent, { kind: "message" }> }[],
  now: number,
): Promise<void> {
  if (items.length === 0 || !(await wantedTypes(trx, now)).has("message.received")) return;
  await enqueueWebhookEvents(
    trx,
    items.map(({ contactId, event }) => {
      const { from, timestamp, ...message } = event.message;
      return {
        type: "message.received",
        occurredAt: timestamp,
        data: {
          contactId,
          from: `+${from}`,
          name: event.contact?.name ?? null,
          phoneNumberId: event.source.phoneNumberId ?? null,
          wabaId: event.source.wabaId,
          message,
        },
      };
    }),
    now,
  );
}
