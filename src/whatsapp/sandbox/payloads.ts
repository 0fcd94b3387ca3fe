// Webhook `changes[]` items the sandbox sends, as Meta-escaped JSON text (whatsapp-platform.md §4, reference
// §4.3–4.6). Statuses are built by string concatenation: they are ~3 per message sent, the bulk of the
// sandbox's output, and every id in them is ASCII we generated.
import { escapeNonAscii, serializeLikeMeta } from "../webhook/serialize.js";
import type { PhoneState } from "./state.js";

const metadataCache = new WeakMap<PhoneState, string>();

/** The `metadata` object of a number's changes, serialised once per number. */
export function metadata(phone: PhoneState): string {
  let m = metadataCache.get(phone);
  if (m === undefined) {
    m = serializeLikeMeta({ display_phone_number: phone.displayPhoneNumber, phone_number_id: phone.id });
    metadataCache.set(phone, m);
  }
  return m;
}

/** Pricing of a status (reference §4.5): category and type by template category and window. */
export interface PricingInfo {
  billable: boolean;
  type: "regular" | "free_customer_service" | "free_entry_point";
  category: string;
}

/** Why a message fails after being accepted (Meta reports these as `failed` status webhooks). */
export interface Failure {
  code: number;
  title: string;
  details: string;
}

const pricingCache = new Map<string, PricingInfo>();
let lastPricing: PricingInfo | undefined;

/** Per-message pricing (since 1 July 2025, reference §6.1), shared objects per (category, free). */
export function pricingOf(category: string, free: boolean): PricingInfo {
  // Statuses of a campaign repeat one (category, free): skip the key string and the map.
  if (lastPricing !== undefined && lastPricing.category === category && lastPricing.billable === !free) {
    return lastPricing;
  }
  const key = free ? `f${category}` : category;
  let p = pricingCache.get(key);
  if (!p) {
    p = { billable: !free, type: free ? "free_customer_service" : "regular", category };
    pricingCache.set(key, p);
  }
  lastPricing = p;
  return p;
}

/** One status to report. */
export interface StatusInfo {
  id: string;
  status: "sent" | "delivered" | "read" | "failed";
  at: number;
  recipientId: string;
  callbackData: string | undefined;
  /** v23 and lower only (v24+ omits it outside free-entry-point windows). */
  conversation: { id: string; category: string; expiresAt: number | undefined } | undefined;
  pricing: PricingInfo | undefined;
  error: Failure | undefined;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The `messages` change carrying one status. */
export function statusChange(phone: PhoneState, s: StatusInfo): string {
  let out = `{"value":{"messaging_product":"whatsapp","metadata":${metadata(phone)},"statuses":[{"id":"${s.id}","status":"${s.status}","timestamp":"${seconds(s.at)}","recipient_id":"${s.recipientId}"`;
  if (s.callbackData !== undefined)
    out += `,"biz_opaque_callback_data":${escapeNonAscii(JSON.stringify(s.callbackData))}`;
  if (s.conversation) {
    // conversation.origin.type uses underscores where pricing.category uses a hyphen (reference §4.5).
    out += `,"conversation":{"id":"${s.conversation.id}"`;
    if (s.conversation.expiresAt !== undefined) out += `,"expiration_timestamp":"${seconds(s.conversation.expiresAt)}"`;
    out += `,"origin":{"type":"${s.conversation.category.replace("-", "_")}"}}`;
  }
  if (s.pricing) {
    out += `,"pricing":{"billable":${s.pricing.billable},"pricing_model":"PMP","category":"${s.pricing.category}","type":"${s.pricing.type}"}`;
  }
  if (s.error) {
    const e = s.error;
    out += `,"errors":[${serializeLikeMeta({
      code: e.code,
      title: e.title,
      message: e.title,
      error_data: { details: e.details },
      href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    })}]`;
  }
  return flatten(`${out}}]},"field":"messages"}`);
}

/**
 * Flattens a string built by concatenation. V8 keeps `a + b` as a tree of cons-string nodes; a status waits
 * up to a batch window in memory, and every young-generation GC in between would copy its ~10 nodes. Number()
 * flattens its argument first (the trick of the `flatstr` package used by pino); the NaN is ignored.
 */
export function flatten(s: string): string {
  Number(s);
  return s;
}

/** The `messages` change carrying one inbound message and its sender's profile. */
export function inboundChange(phone: PhoneState, contact: { name: string; waId: string }, message: object): string {
  const contacts = serializeLikeMeta([{ profile: { name: contact.name }, wa_id: contact.waId }]);
  return flatten(
    `{"value":{"messaging_product":"whatsapp","metadata":${metadata(phone)},"contacts":${contacts},"messages":[${serializeLikeMeta(message)}]},"field":"messages"}`,
  );
}

/** Any other field's change (template status, quality, phone-number quality…). */
export function fieldChange(field: string, value: object): string {
  return `{"value":${serializeLikeMeta(value)},"field":"${field}"}`;
}
