/**
 * One conversation's history in both directions: the contact's inbound messages to the sender number and every
 * message Herald sent them from it (campaigns, tests, automatic and agent replies) with its delivery status,
 * merged newest-last. Skipped campaign rows were never sent and are left out.
 */
import type { Kysely } from "kysely";
import { fillPlaceholders } from "../domain/template/variables.js";
import type { Database } from "./schema.js";
import type { MessageOrigin, MessageStatus } from "./tables/campaigns.js";

/** One bubble of the thread. */
export type ThreadItem =
  | {
      direction: "in";
      id: string;
      at: number;
      type: string;
      text: string | null;
      payload: string | null;
    }
  | {
      direction: "out";
      id: string;
      at: number;
      origin: MessageOrigin;
      kind: string;
      text: string;
      /** The template's name when it was one. */
      template: string | null;
      status: MessageStatus;
      errorCode: number | null;
      errorMessage: string | null;
      sentAt: number | null;
      deliveredAt: number | null;
      readAt: number | null;
      /** The agent who wrote it (agent replies sent from the dashboard). */
      author: { id: string; name: string } | null;
    };

interface OutboundPayload {
  kind?: string;
  body?: string | { type: string; text?: string; name?: string }[];
  caption?: string;
  name?: string;
  language?: string;
  emoji?: string;
}

/** The newest `limit` messages each way of a contact with a sender number, oldest first. */
export async function conversationThread(
  db: Kysely<Database>,
  conversation: { contactSeq: number; senderId: string; wabaId: string },
  limit = 100,
): Promise<ThreadItem[]> {
  const inbound = await db
    .selectFrom("inbound_messages")
    .select(["id", "received_at", "type", "text", "payload"])
    .where("contact_seq", "=", conversation.contactSeq)
    .where("sender_id", "=", conversation.senderId)
    .orderBy("received_at", "desc")
    .limit(limit)
    .execute();
  const outbound = await db
    .selectFrom("messages as m")
    .leftJoin("conversation_replies as r", "r.message_id", "m.id")
    .leftJoin("users as u", "u.id", "r.user_id")
    .select([
      "m.id",
      "m.origin",
      "m.payload",
      "m.status",
      "m.error_code",
      "m.error_message",
      "m.created_at",
      "m.sent_at",
      "m.delivered_at",
      "m.read_at",
      "u.id as user_id",
      "u.name as user_name",
    ])
    .where("m.contact_seq", "=", conversation.contactSeq)
    .where("m.sender_id", "=", conversation.senderId)
    .where("m.status", "<>", "skipped")
    .orderBy("m.created_at", "desc")
    .limit(limit)
    .execute();
  const templateBodies = new Map<string, string | null>();
  const items: ThreadItem[] = inbound.map((m) => ({
    direction: "in",
    id: m.id,
    at: m.received_at,
    type: m.type,
    text: m.text,
    payload: m.payload,
  }));
  for (const m of outbound) {
    const payload = parse(m.payload);
    let text = "";
    let template: string | null = null;
    if (payload.kind === "template") {
      template = payload.name ?? null;
      text = await templateText(db, conversation.wabaId, payload, templateBodies);
    } else if (typeof payload.body === "string") text = payload.body;
    else if (payload.caption) text = payload.caption;
    else if (payload.emoji) text = payload.emoji;
    items.push({
      direction: "out",
      id: m.id,
      at: m.sent_at ?? m.created_at,
      origin: m.origin,
      kind: payload.kind ?? "text",
      text,
      template,
      status: m.status,
      errorCode: m.error_code,
      errorMessage: m.error_message,
      sentAt: m.sent_at,
      deliveredAt: m.delivered_at,
      readAt: m.read_at,
      author: m.user_id ? { id: m.user_id, name: m.user_name ?? "" } : null,
    });
  }
  return items.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

function parse(json: string): OutboundPayload {
  try {
    return JSON.parse(json) as OutboundPayload;
  } catch {
    return {};
  }
}

/** A template message's body as the customer read it: the stored template's body with the sent parameters. */
async function templateText(
  db: Kysely<Database>,
  wabaId: string,
  payload: OutboundPayload,
  cache: Map<string, string | null>,
): Promise<string> {
  const key = `${payload.name}\u0000${payload.language}`;
  if (!cache.has(key)) {
    const row = await db
      .selectFrom("templates")
      .select("definition")
      .where("waba_id", "=", wabaId)
      .where("name", "=", payload.name ?? "")
      .where("language", "=", payload.language ?? "")
      .executeTakeFirst();
    cache.set(key, row ? ((JSON.parse(row.definition) as { body?: string }).body ?? null) : null);
  }
  const body = cache.get(key) ?? null;
  if (body === null) return `[${payload.name ?? "template"}]`;
  const params = Array.isArray(payload.body) ? payload.body : [];
  return fillPlaceholders(body, (name) => {
    const named = params.find((p) => p.name === name);
    const positional = /^[0-9]+$/.test(name) ? params[Number(name) - 1] : undefined;
    return (named ?? positional)?.text ?? `{{${name}}}`;
  });
}
