import type { Generated } from "kysely";

/**
 * Outbound webhooks to CRMs (issue 6, engine/notifier.ts). Created by migrations/0009_webhook_subscriptions.ts.
 * Named `webhook_subscriptions` / `webhook_deliveries` to stay apart from `webhook_events` (inbound, from Meta).
 */
export interface WebhookSubscriptionsTable {
  id: string;
  name: string;
  url: string;
  /** The signing secret, sealed (SecretBox, bound to `webhook_subscriptions:<id>:secret`). */
  secret_sealed: string;
  enabled: number;
  /** After a failed POST, nothing is sent before this time (exponential back-off, order kept). */
  hold_until: number | null;
  consecutive_failures: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookSubscriptionEventsTable {
  subscription_id: string;
  event_type: string;
}

export type WebhookDeliveryStatus = "pending" | "delivered" | "parked";

/** The outbox: one row per (event, subscription). */
export interface WebhookDeliveriesTable {
  /** Insertion order (the rowid on SQLite, an identity on PostgreSQL): the order events are delivered in. */
  seq: Generated<number>;
  subscription_id: string;
  event_id: string;
  event_type: string;
  occurred_at: number;
  /** JSON of the event's `data`. */
  data: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
}

export interface WebhookSubscriptionTables {
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_subscription_events: WebhookSubscriptionEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
