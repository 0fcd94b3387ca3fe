import type { Transaction } from "kysely";
import { detectConsentKeyword } from "../../domain/consent/keywords.js";
import type { ConsentEvent } from "../../domain/consent/state.js";
import { normalizePhone } from "../../domain/phone/index.js";
import { recordInbound } from "../../store/contact-metrics.js";
import { changeConsent } from "../../store/contacts.js";
import { upsertContacts } from "../../store/contacts-upsert.js";
import { recordConversationInbound } from "../../store/conversations.js";
import { storeInboundMessage } from "../../store/inbound.js";
import type { Database } from "../../store/schema.js";
import { type InboundMessage, inboundText } from "../../whatsapp/webhook/index.js";
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

/** The contact a WhatsApp id belongs to, created (named from the profile) when it is new; null for a bad number. */
async function contactFor(
  trx: Transaction<Database>,
  waId: string,
  name: string | undefined,
  now: number,
): Promise<{ id: string; seq: number } | null> {
  const phone = normalizePhone(`+${waId}`);
  if (!phone.ok) return null;
  const find = () =>
    trx.selectFrom("contacts").select(["id", "seq"]).where("phone", "=", phone.e164).executeTakeFirst();
  const existing = await find();
  if (existing) return existing;
  await upsertContacts(trx, [{ phone: phone.e164, phoneCountry: phone.country, ...(name ? { name } : {}) }], now);
  return (await find()) ?? null;
}

/** The sender a webhook was addressed to, by its phone number id. */
async function senderFor(trx: Transaction<Database>, phoneNumberId: string | undefined): Promise<string | null> {
  if (phoneNumberId === undefined) return null;
  const row = await trx
    .selectFrom("senders")
    .select("id")
    .where("phone_number_id", "=", phoneNumberId)
    .orderBy("created_at")
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * An inbound message (DESIGN §2 "Webhook"): the contact is found or created by its WhatsApp number
 * (named from the profile), its last inbound time moves (opening the 24-hour customer-service
 * window and warming its heat), and an opt-out or opt-in word or button changes its consent at
 * once — so an opt-out that arrives mid-campaign stops the next send (the dispatcher re-checks).
 * The message is stored as a row once per wamid (a duplicated delivery changes nothing) and linked to the
 * message it answers, whose `replied_at` it sets. Auto-replies and the inbox build on this.
 */
export const inboundMessage: EventHandler<"message"> = async (trx, event, now, scope) => {
  const contact = await contactFor(trx, event.message.from, event.contact?.name, now);
  const { text, payload } = inboundText(event.message);
  const stored = await storeInboundMessage(
    trx,
    {
      providerMessageId: event.message.id,
      senderId: await senderFor(trx, event.source.phoneNumberId),
      contactSeq: contact?.seq ?? null,
      waId: event.message.from,
      type: event.message.type,
      text,
      payload,
      contextMessageId: event.message.context?.id ?? null,
      message: event.message,
      receivedAt: event.message.timestamp,
    },
    now,
  );
  if (stored === null || contact === null) return; // a duplicate delivery, or a number that is not a phone
  await recordInbound(trx, contact.id, event.message.timestamp, now);
  await notifyInboundMessage(trx, contact.id, event, now);
  await recordConversationInbound(trx, stored.id, now); // the team inbox (store/conversations.ts)
  const request = consentRequest(event.message, event.message.timestamp);
  if (request) await changeConsent(trx, contact.id, request, now);
  await scope?.inbound?.(
    trx,
    {
      inboundMessageId: stored.id,
      contactId: contact.id,
      contactSeq: contact.seq,
      waId: event.message.from,
      phoneNumberId: event.source.phoneNumberId,
      text,
      payload,
      receivedAt: event.message.timestamp,
    },
    now,
  );
};

/**
 * WhatsApp's own marketing preference (`user_preferences`): "stop" is an opt-out reported by WhatsApp,
 * "resume" an opt-in by the contact.
 */
export const userPreference: EventHandler<"user_preference"> = async (trx, event, now) => {
  if (event.category !== "marketing_messages") return;
  const contact = await contactFor(trx, event.waId, undefined, now);
  if (contact === null) return;
  if (event.value === "stop")
    await changeConsent(trx, contact.id, { kind: "opt_out", reason: "whatsapp", at: event.timestamp }, now);
  if (event.value === "resume")
    await changeConsent(trx, contact.id, { kind: "opt_in", source: "whatsapp", at: event.timestamp }, now);
};
