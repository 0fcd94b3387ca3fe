import { API, request } from "./client";

/** The event types a subscription can pick (the server's WEBHOOK_EVENT_TYPES). */
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

export interface WebhookSubscription {
  id: string;
  name: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  holdUntil: number | null;
  consecutiveFailures: number;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  pending: number;
  parked: number;
  createdAt: number;
  updatedAt: number;
}

/** A subscription with its signing secret: only in the answer to create and rotate. */
export interface WebhookSubscriptionWithSecret {
  subscription: WebhookSubscription;
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  type: string;
  occurredAt: number;
  status: "pending" | "delivered" | "parked";
  attempts: number;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  data?: unknown;
}

export interface WebhookSubscriptionInput {
  name: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
}

const BASE = `${API}/webhook-subscriptions`;
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

/** TanStack Query key of the subscription list. */
export const webhookSubscriptionsKey = ["webhook-subscriptions"] as const;
export const webhookDeliveriesKey = (id: string) => ["webhook-subscriptions", id, "deliveries"] as const;

export async function listWebhookSubscriptions(): Promise<WebhookSubscription[]> {
  return (await request<{ data: WebhookSubscription[] }>("GET", BASE)).data;
}

export function createWebhookSubscription(input: WebhookSubscriptionInput): Promise<WebhookSubscriptionWithSecret> {
  return request<WebhookSubscriptionWithSecret>("POST", BASE, input);
}

export function updateWebhookSubscription(
  id: string,
  input: Partial<WebhookSubscriptionInput>,
): Promise<WebhookSubscription> {
  return request<WebhookSubscription>("PATCH", one(id), input);
}

export function deleteWebhookSubscription(id: string): Promise<void> {
  return request<void>("DELETE", one(id));
}

export function rotateWebhookSecret(id: string): Promise<WebhookSubscriptionWithSecret> {
  return request<WebhookSubscriptionWithSecret>("POST", `${one(id)}/rotate-secret`);
}

/** Sends a webhook.test event now; the answer is the logged delivery with the receiver's status code. */
export function sendTestWebhook(id: string): Promise<WebhookDelivery & { durationMs: number }> {
  return request<WebhookDelivery & { durationMs: number }>("POST", `${one(id)}/test`);
}

export async function listWebhookDeliveries(id: string): Promise<WebhookDelivery[]> {
  return (await request<{ data: WebhookDelivery[] }>("GET", `${one(id)}/deliveries?limit=50&data=true`)).data;
}

export function redeliverWebhook(id: string, deliveryId: string): Promise<WebhookDelivery> {
  return request<WebhookDelivery>("POST", `${one(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
}

export function redeliverParkedWebhooks(id: string): Promise<{ requeued: number }> {
  return request<{ requeued: number }>("POST", `${one(id)}/deliveries/redeliver-parked`);
}
