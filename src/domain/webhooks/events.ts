/**
 * The events Herald sends to CRMs over outbound webhooks (issue 6, docs/webhooks.md). A subscription picks the
 * types it wants; `webhook.test` is only sent on request ("send test event") and needs no subscription to it.
 */
export const WEBHOOK_EVENT_TYPES = [
  "message.status_changed",
  "message.received",
  "contact.opted_out",
  "contact.opted_in",
  "campaign.started",
  "campaign.completed",
  "template.status_changed",
  "sender.quality_changed",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of the event a "send test event" button sends. */
export const TEST_EVENT_TYPE = "webhook.test";

/** True when `value` names a subscribable event type. */
export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** One event as the outbox stores it and the receiver gets it (`data` is per type; see docs/webhooks.md). */
export interface OutboundEvent {
  /** UUIDv7, the same for every subscription receiving the event: receivers deduplicate on it. */
  id: string;
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  /** Epoch milliseconds of the change. */
  occurredAt: number;
  data: Record<string, unknown>;
}

/**
 * The body of one POST: several events in the order they happened. `deliveryId` names the POST (a retry gets a
 * new one) and `sentAt` is when it left, both covered by the signature so a receiver can refuse replays.
 */
export interface OutboundBody {
  deliveryId: string;
  sentAt: number;
  events: OutboundEvent[];
}
