import { type SqlBool, sql, type Transaction } from "kysely";
import { detectConsentKeyword } from "../../domain/consent/keywords.js";
import type { ConsentEvent } from "../../domain/consent/state.js";
import { normalizePhone } from "../../domain/phone/index.js";
import { recordInbounds } from "../../store/contact-metrics.js";
import { changeConsent } from "../../store/contacts.js";
import type { ValidContact } from "../../store/contacts-input.js";
import { upsertContacts } from "../../store/contacts-upsert.js";
import { recordConversationInbounds } from "../../store/conversations.js";
import { dialectOf } from "../../store/dialect.js";
import { storeInboundMessages } from "../../store/inbound.js";
import type { Database } from "../../store/schema.js";
import { type InboundMessage, inboundText, type WebhookEvent } from "../../whatsapp/webhook/index.js";
import type { BatchEventHandler, BatchScope, EventHandler } from "../applier.js";
import { notifyInboundMessages } from "../outbound-events.js";

type InboundText = ReturnType<typeof inboundText>;

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

type MessageEvent = Extract<WebhookEvent, { kind: "message" }>;
/** `created`: the contact did not exist before this batch (so it has no history: no tags, messages or runs). */
type Contact = { id: string; seq: number; created: boolean };
type Phone = ReturnType<typeof normalizePhone>;

/**
 * The contacts of a batch's messages by phone (E.164), in two statements: one lookup of all phones, one upsert of
 * the new ones (named from the profile of their first message, as one message at a time would).
 */
async function contactsFor(
  trx: Transaction<Database>,
  events: readonly MessageEvent[],
  phones: readonly Phone[],
  now: number,
): Promise<Map<string, Contact>> {
  const wanted = new Map<string, ValidContact>();
  for (const [index, event] of events.entries()) {
    const phone = phones[index] as Phone;
    if (!phone.ok || wanted.has(phone.e164)) continue;
    const name = event.contact?.name;
    wanted.set(phone.e164, { phone: phone.e164, phoneCountry: phone.country, ...(name ? { name } : {}) });
  }
  const contacts = new Map<string, Contact>();
  if (wanted.size === 0) return contacts;
  const list = dialectOf(trx).jsonValues(JSON.stringify([...wanted.keys()]), "text");
  const rows = await trx
    .selectFrom("contacts")
    .select(["id", "seq", "phone"])
    .where(sql<SqlBool>`phone in ${list}`)
    .execute();
  for (const row of rows) contacts.set(row.phone, { id: row.id, seq: Number(row.seq), created: false });
  const missing = [...wanted.values()].filter((c) => !contacts.has(c.phone));
  const outcomes = await upsertContacts(trx, missing, now);
  missing.forEach((c, index) => {
    const outcome = outcomes[index];
    if (outcome)
      contacts.set(c.phone, { id: outcome.id, seq: Number(outcome.seq), created: outcome.status === "created" });
  });
  return contacts;
}

/** One message of a batch, with what the handler resolved for it. */
interface Entry {
  event: MessageEvent;
  contact: Contact | null;
  senderId: string | null;
  /** The contact was created for this very message (its first in the batch): nothing about it needs reading. */
  newContact: boolean;
}

/**
 * Inbound messages (DESIGN §2 "Webhook"), a whole applier batch at once: the contact is found or created by its
 * WhatsApp number (named from the profile), its last inbound time moves (opening the 24-hour customer-service
 * window and warming its heat), and an opt-out or opt-in word or button changes its consent at once — so an
 * opt-out that arrives mid-campaign stops the next send (the dispatcher re-checks). The message is stored as a row
 * once per wamid (a duplicated delivery changes nothing) and linked to the message it answers, whose `replied_at`
 * it sets; the team inbox's conversation is updated and the auto-replies run (BatchScope.inbound).
 *
 * Set-based (issue 6: the per-message statements were the cost of an auto-reply): the batch is split into rounds
 * holding at most one message per contact — the first message of every contact, then the second… — and each
 * round takes one statement per step for all its messages. Within a contact the messages are applied in arrival
 * order, one round after the other, so the first-message trigger, the reply caps, the loop guard and "opt-out then
 * text" see exactly what they saw one message at a time; messages of different contacts touch different rows.
 */
export const inboundMessage: BatchEventHandler<"message"> = {
  async batch(trx, events, now, scope) {
    // Parsed once per message (~60–150 µs each: libphonenumber).
    const phones = events.map((event) => normalizePhone(`+${event.message.from}`));
    const contacts = await contactsFor(trx, events, phones, now);
    const senders = new Map<string, string | null>();
    const rounds: Entry[][] = [];
    const seen = new Map<string, number>();
    for (const [index, event] of events.entries()) {
      const phone = phones[index] as Phone;
      const contact = phone.ok ? (contacts.get(phone.e164) ?? null) : null;
      const phoneNumberId = event.source.phoneNumberId;
      let senderId: string | null = null;
      if (phoneNumberId !== undefined) {
        if (!senders.has(phoneNumberId)) senders.set(phoneNumberId, await senderFor(trx, phoneNumberId));
        senderId = senders.get(phoneNumberId) ?? null;
      }
      const key = phone.ok ? phone.e164 : `wa:${event.message.from}`;
      const round = seen.get(key) ?? 0;
      seen.set(key, round + 1);
      let list = rounds[round];
      if (!list) {
        list = [];
        rounds[round] = list;
      }
      list.push({ event, contact, senderId, newContact: contact?.created === true && round === 0 });
    }
    for (const round of rounds) await applyRound(trx, round, now, scope);
  },
};

/** One round: at most one message per contact. */
async function applyRound(trx: Transaction<Database>, round: Entry[], now: number, scope?: BatchScope): Promise<void> {
  const texts = round.map((entry) => inboundText(entry.event.message));
  const stored = await storeInboundMessages(
    trx,
    round.map(({ event, contact, senderId, newContact }, index) => ({
      newContact,
      providerMessageId: event.message.id,
      senderId,
      contactSeq: contact?.seq ?? null,
      waId: event.message.from,
      type: event.message.type,
      text: texts[index]?.text ?? null,
      payload: texts[index]?.payload ?? null,
      contextMessageId: event.message.context?.id ?? null,
      message: event.message,
      receivedAt: event.message.timestamp,
    })),
    now,
  );
  // Skipped: a duplicate delivery, or a number that is not a phone.
  const fresh = round.flatMap((entry, index) => {
    const row = stored[index];
    const { contact } = entry;
    return row && contact ? [{ ...entry, contact, stored: row, ...(texts[index] as InboundText) }] : [];
  });
  if (fresh.length === 0) return;
  await recordInbounds(
    trx,
    fresh.map((f) => ({ contactSeq: f.contact.seq, at: f.event.message.timestamp, newContact: f.newContact })),
    now,
  );
  await notifyInboundMessages(
    trx,
    fresh.map((f) => ({ contactId: f.contact.id, event: f.event })),
    now,
  );
  await recordConversationInbounds(
    trx,
    fresh.map((f) => ({
      senderId: f.senderId,
      contactSeq: f.contact.seq,
      receivedAt: f.event.message.timestamp,
      text: f.text,
      type: f.event.message.type,
    })),
    now,
  ); // the team inbox (store/conversations.ts)
  const consentChanged = new Set<string>();
  for (const f of fresh) {
    const request = consentRequest(f.event.message, f.event.message.timestamp);
    if (request) {
      await changeConsent(trx, f.contact.id, request, now);
      consentChanged.add(f.contact.id);
    }
  }
  await scope?.inbound?.(
    trx,
    fresh.map((f) => ({
      inboundMessageId: f.stored.id,
      contactId: f.contact.id,
      contactSeq: f.contact.seq,
      waId: f.event.message.from,
      phoneNumberId: f.event.source.phoneNumberId,
      text: f.text,
      payload: f.payload,
      receivedAt: f.event.message.timestamp,
      newContact: f.newContact && !consentChanged.has(f.contact.id),
    })),
    now,
  );
}

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
