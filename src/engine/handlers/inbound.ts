import type { Transaction } from "kysely";
import { detectConsentKeyword } from "../../domain/consent/keywords.js";
import type { ConsentEvent } from "../../domain/consent/state.js";
import { normalizePhone } from "../../domain/phone/index.js";
import { recordInbound } from "../../store/contact-metrics.js";
import { changeConsent, findContactByPhone } from "../../store/contacts.js";
import { upsertContacts } from "../../store/contacts-upsert.js";
import type { Database } from "../../store/schema.js";
import type { InboundMessage } from "../../whatsapp/webhook/index.js";
import type { EventHandler } from "../applier.js";
import { notifyInboundMessage } from "../outbound-events.js";

/** Quick-reply payloads that mean "stop marketing" / "start again" (the demo templates' STOP button sends OPT_OUT). */
const OPT_OUT_PAYLOADS = new Set(["OPT_OUT", "STOP", "UNSUBSCRIBE"]);
const OPT_IN_PAYLOADS = new Set(["OPT_IN", "START", "SUBSCRIBE"]);

/** The consent change an inbound message asks for: an opt-out/opt-in word, or an opt-out/opt-in button. */
export function consentRequest(message: InboundMessage, at: number): ConsentEvent | null {
  if (message.type === "text") {
    const match = detectConsentKeyword(message.body);
    if (match.kind === "opt_out") return { kind: "opt_out", reason: "keyword", at, note: match.keyword };
    if (match.kind === "opt_in") return { kind: "opt_in", source: "keyword", at };
    return null;
  }
  const payload =
    message.type === "button" ? message.payload : message.type === "interactive" ? message.reply.id : null;
  if (payload === null) return null;
  const key = payload.trim().toUpperCase();
  if (OPT_OUT_PAYLOADS.has(key)) return { kind: "opt_out", reason: "button", at, note: payload };
  if (OPT_IN_PAYLOADS.has(key)) return { kind: "opt_in", source: "button", at };
  if (message.type === "button") {
    const words = detectConsentKeyword(message.text);
    if (words.kind === "opt_out") return { kind: "opt_out", reason: "button", at, note: message.text };
  }
  return null;
}

async function contactFor(
  trx: Transaction<Database>,
  waId: string,
  name: string | undefined,
  now: number,
): Promise<string | null> {
  const phone = normalizePhone(`+${waId}`);
  if (!phone.ok) return null;
  const existing = await findContactByPhone(trx, phone.e164);
  if (existing) return existing.id;
  const [created] = await upsertContacts(
    trx,
    [{ phone: phone.e164, phoneCountry: phone.country, ...(name ? { name } : {}) }],
    now,
  );
  return created?.id ?? null;
}

/**
 * An inbound message (DESIGN §2 "Webhook"): the contact is found or created by its WhatsApp number
 * (named from the profile), its last inbound time moves (opening the 24-hour customer-service
 * window and warming its heat), and an opt-out or opt-in word or button changes its consent at
 * once — so an opt-out that arrives mid-campaign stops the next send (the dispatcher re-checks).
 * Auto-replies and the inbox (issue 6) build on this; the message itself stays in the stored webhook.
 */
export const inboundMessage: EventHandler<"message"> = async (trx, event, now) => {
  const contactId = await contactFor(trx, event.message.from, event.contact?.name, now);
  if (contactId === null) return;
  await recordInbound(trx, contactId, event.message.timestamp, now);
  await notifyInboundMessage(trx, contactId, event, now);
  const request = consentRequest(event.message, event.message.timestamp);
  if (request) await changeConsent(trx, contactId, request, now);
};

/**
 * WhatsApp's own marketing preference (`user_preferences`): "stop" is an opt-out reported by WhatsApp,
 * "resume" an opt-in by the contact.
 */
export const userPreference: EventHandler<"user_preference"> = async (trx, event, now) => {
  if (event.category !== "marketing_messages") return;
  const contactId = await contactFor(trx, event.waId, undefined, now);
  if (contactId === null) return;
  if (event.value === "stop")
    await changeConsent(trx, contactId, { kind: "opt_out", reason: "whatsapp", at: event.timestamp }, now);
  if (event.value === "resume")
    await changeConsent(trx, contactId, { kind: "opt_in", source: "whatsapp", at: event.timestamp }, now);
};
