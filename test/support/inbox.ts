import { SecretBox } from "../../src/secret-box.js";
import { upsertContacts } from "../../src/store/contacts-upsert.js";
import { recordConversationInbound } from "../../src/store/conversations.js";
import type { Store } from "../../src/store/db.js";
import { storeInboundMessage } from "../../src/store/inbound.js";
import { insertMessages } from "../../src/store/messages.js";
import { createSender } from "../../src/store/senders.js";

/** Fixtures for inbox tests: a sandbox sender, contacts, inbound messages and replies written as the engine does. */
export const INBOX_WABA = "102290129340398";
export const INBOX_PHONE_ID = "106540352242922";
const box = new SecretBox(Buffer.alloc(32, 7));
let wamid = 0;

export async function inboxSender(store: Store, now: number): Promise<string> {
  const sender = await createSender(
    store.db,
    box,
    {
      name: "Shop",
      provider: "sandbox",
      phoneNumberId: INBOX_PHONE_ID,
      wabaId: INBOX_WABA,
      displayPhoneNumber: "+1 555-078-3881",
      apiVersion: "v23.0",
      accessToken: "t".repeat(10),
      appSecret: "s".repeat(10),
      verifyToken: "v".repeat(10),
      mpsLimit: 80,
      messagingTier: "TIER_250",
      qualityRating: "GREEN",
    },
    now,
  );
  return sender.id;
}

/** Creates contacts by E.164 phone; returns phone → seq. */
export async function inboxContacts(store: Store, phones: string[], now: number): Promise<Map<string, number>> {
  await upsertContacts(
    store.db,
    phones.map((phone, i) => ({ phone, phoneCountry: "KR", name: `Customer ${i + 1}` })),
    now,
  );
  const rows = await store.db.selectFrom("contacts").select(["seq", "phone"]).execute();
  return new Map(rows.map((r) => [r.phone, r.seq]));
}

/** A customer's message as the inbound handler stores it, with the conversation update. */
export async function customerWrites(
  store: Store,
  input: { senderId: string; seq: number; phone: string; text: string; at: number },
): Promise<void> {
  wamid += 1;
  const stored = await storeInboundMessage(
    store.db,
    {
      providerMessageId: `wamid.test.${wamid}.${input.at}`,
      senderId: input.senderId,
      contactSeq: input.seq,
      waId: input.phone.replace("+", ""),
      type: "text",
      text: input.text,
      payload: null,
      contextMessageId: null,
      message: { type: "text", body: input.text },
      receivedAt: input.at,
    },
    input.at,
  );
  if (stored) await recordConversationInbound(store.db, stored.id, input.at);
}

/** An outbound row already sent (agent, auto_reply or campaign), as the dispatcher leaves it. */
export async function sentMessage(
  store: Store,
  input: {
    id: string;
    senderId: string;
    seq: number;
    phone: string;
    origin: "agent" | "auto_reply" | "campaign";
    text: string;
    at: number;
  },
): Promise<void> {
  await insertMessages(store.db, [
    {
      id: input.id,
      campaign_id: null,
      contact_seq: input.seq,
      sender_id: input.senderId,
      to_phone: input.phone.replace("+", ""),
      origin: input.origin,
      category: "service",
      payload: JSON.stringify({ kind: "text", to: input.phone, body: input.text }),
      status: "queued",
      skip_reason: null,
      due_at: input.at,
      created_at: input.at,
    },
  ]);
  await store.db
    .updateTable("messages")
    .set({ status: "sent", sent_at: input.at, provider_message_id: `wamid.out.${input.id}` })
    .where("id", "=", input.id)
    .execute();
}
