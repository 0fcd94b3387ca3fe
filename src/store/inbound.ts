import type { Kysely, Selectable, Transaction } from "kysely";
import { newId } from "../ids.js";
import type { Database } from "./schema.js";
import type { InboundMessagesTable } from "./tables/inbound.js";

type Db = Kysely<Database> | Transaction<Database>;
export type InboundMessageRow = Selectable<InboundMessagesTable>;

/** A reply counts for the message sent to the contact within this long before it (WhatsApp's service window). */
export const REPLY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface NewInboundMessage {
  providerMessageId: string;
  senderId: string | null;
  contactSeq: number | null;
  waId: string;
  type: string;
  text: string | null;
  payload: string | null;
  contextMessageId: string | null;
  /** The typed message, stored as JSON. */
  message: unknown;
  receivedAt: number;
}

/** What storing an inbound message did. */
export interface StoredInbound {
  id: string;
  /** The outbound message it answers (see InboundMessagesTable.reply_to_message_id), if any. */
  replyToMessageId: string | null;
  campaignId: string | null;
  /** True when this answer was the first to that message (its `replied_at` was set now). */
  firstReply: boolean;
}

/**
 * Stores an inbound message once per wamid and links it to the message it answers: the one it quotes, or else
 * the latest message sent to the contact in the 24 hours before it. Returns null for a duplicate delivery.
 */
export async function storeInboundMessage(
  db: Db,
  input: NewInboundMessage,
  now: number,
): Promise<StoredInbound | null> {
  const replied = await repliedMessage(db, input);
  const id = newId(now);
  const inserted = await db
    .insertInto("inbound_messages")
    .values({
      id,
      provider_message_id: input.providerMessageId,
      sender_id: input.senderId,
      contact_seq: input.contactSeq,
      wa_id: input.waId,
      type: input.type,
      text: input.text,
      payload: input.payload,
      context_message_id: input.contextMessageId,
      reply_to_message_id: replied?.id ?? null,
      campaign_id: replied?.campaign_id ?? null,
      message: JSON.stringify(input.message),
      received_at: input.receivedAt,
      created_at: now,
    })
    .onConflict((oc) => oc.column("provider_message_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted === undefined) return null;
  let firstReply = false;
  if (replied) {
    const result = await db
      .updateTable("messages")
      .set({ replied_at: input.receivedAt })
      .where("id", "=", replied.id)
      .where("replied_at", "is", null)
      .executeTakeFirst();
    firstReply = Number(result.numUpdatedRows) > 0;
  }
  return { id, replyToMessageId: replied?.id ?? null, campaignId: replied?.campaign_id ?? null, firstReply };
}

async function repliedMessage(
  db: Db,
  input: NewInboundMessage,
): Promise<{ id: string; campaign_id: string | null } | undefined> {
  if (input.contextMessageId !== null) {
    const quoted = await db
      .selectFrom("messages")
      .select(["id", "campaign_id"])
      .where("provider_message_id", "=", input.contextMessageId)
      .executeTakeFirst();
    if (quoted) return quoted;
  }
  if (input.contactSeq === null) return undefined;
  return db
    .selectFrom("messages")
    .select(["id", "campaign_id"])
    .where("contact_seq", "=", input.contactSeq)
    .where("sent_at", ">=", input.receivedAt - REPLY_WINDOW_MS)
    .where("sent_at", "<=", input.receivedAt)
    .orderBy("sent_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** A contact's inbound messages, newest first. */
export async function listInboundMessages(
  db: Db,
  contactSeq: number,
  options: { limit?: number; before?: number } = {},
): Promise<InboundMessageRow[]> {
  let query = db.selectFrom("inbound_messages").selectAll().where("contact_seq", "=", contactSeq);
  if (options.before !== undefined) query = query.where("received_at", "<", options.before);
  return query
    .orderBy("received_at", "desc")
    .limit(options.limit ?? 50)
    .execute();
}
