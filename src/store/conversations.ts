/**
 * Conversations of the team inbox: one per contact × sender number (tables/inbox.ts). The applier's inbound handler
 * calls `recordConversationInbounds` for each batch of new inbound messages; the dispatcher calls `recordConversationReplies`
 * with each batch of send results (so agent and automatic replies end a waiting period and are timed); the API
 * assigns, changes status and marks read. Every change moves `updated_at`, which the live stream follows.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import { HeraldError } from "../domain/errors.js";
import type { ConversationStatus } from "../domain/inbox/conversation.js";
import { newId } from "../ids.js";
import { dialectOf } from "./dialect.js";
import type { SendOutcome } from "./messages.js";
import type { Database } from "./schema.js";

/** Characters of the last message kept for the list. */
const PREVIEW_CHARS = 120;

function preview(text: string | null, type: string): string {
  return (text ?? `[${type}]`).replace(/\s+/g, " ").trim().slice(0, PREVIEW_CHARS);
}

/**
 * An inbound message (already stored in inbound_messages, by id) opens or updates its conversation: unread + 1,
 * the window's last inbound time, the waiting period (kept from the first unanswered message), and a closed or
 * pending conversation opens again. Messages to an unknown sender number or from a non-phone id have none.
 * The batch of one of `recordConversationInbounds` (the demo and tests store messages one at a time).
 */
export async function recordConversationInbound(db: Kysely<Database>, inboundId: string, now: number): Promise<void> {
  const row = await db
    .selectFrom("inbound_messages")
    .select(["sender_id", "contact_seq", "received_at", "text", "type"])
    .where("id", "=", inboundId)
    .executeTakeFirst();
  if (!row) return;
  await recordConversationInbounds(
    db,
    [
      {
        senderId: row.sender_id,
        contactSeq: row.contact_seq,
        receivedAt: row.received_at,
        text: row.text,
        type: row.type,
      },
    ],
    now,
  );
}

/** An inbound message as a conversation sees it. */
export interface ConversationInbound {
  senderId: string | null;
  contactSeq: number | null;
  receivedAt: number;
  text: string | null;
  type: string;
}

/**
 * `recordConversationInbound` for a batch of stored inbound messages, one multi-row upsert per round: messages of
 * the same conversation go to successive rounds, in order, so each conversation changes exactly as if they came
 * one by one (its unread count, waiting period and preview depend on the order).
 */
export async function recordConversationInbounds(
  db: Kysely<Database>,
  messages: readonly ConversationInbound[],
  now: number,
): Promise<void> {
  const rounds: ConversationInbound[][] = [];
  const seen = new Map<string, number>();
  for (const message of messages) {
    if (message.senderId === null || message.contactSeq === null) continue;
    const key = `${message.contactSeq}:${message.senderId}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    let list = rounds[round];
    if (!list) {
      list = [];
      rounds[round] = list;
    }
    list.push(message);
  }
  const dialect = dialectOf(db);
  // Typed, so PostgreSQL does not guess `text` inside CASE; excluded.last_message_at is the message's time.
  const atSql = sql<number>`excluded.last_message_at`;
  const parts = rounds.flatMap((round) => {
    const out: ConversationInbound[][] = [];
    for (let start = 0; start < round.length; start += 2_000) out.push(round.slice(start, start + 2_000));
    return out;
  });
  for (const part of parts) {
    await db
      .insertInto("conversations")
      .values(
        part.map((m) => ({
          id: newId(now),
          contact_seq: m.contactSeq as number,
          sender_id: m.senderId as string,
          status: "open" as const,
          assigned_to: null,
          last_inbound_at: m.receivedAt,
          last_outbound_at: null,
          last_message_at: m.receivedAt,
          last_preview: preview(m.text, m.type),
          unread: 1,
          waiting_since: m.receivedAt,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["contact_seq", "sender_id"]).doUpdateSet({
          status: "open",
          unread: sql<number>`conversations.unread + 1`,
          last_inbound_at: dialect.greatest(sql`coalesce(conversations.last_inbound_at, 0)`, atSql),
          last_message_at: dialect.greatest(sql`conversations.last_message_at`, atSql) as RawBuilder<number>,
          last_preview: sql<string>`case when ${atSql} >= conversations.last_message_at then excluded.last_preview else conversations.last_preview end`,
          // Waiting since the first unanswered message: kept while waiting (an older one delivered late moves it
          // back); started by this one unless a reply was already sent after it (a reordered delivery).
          waiting_since: sql<number | null>`case
            when conversations.waiting_since is null then
              case when ${atSql} > coalesce(conversations.last_outbound_at, 0) then ${atSql} else null end
            when ${atSql} < conversations.waiting_since then ${atSql}
            else conversations.waiting_since end`,
          updated_at: now,
        }),
      )
      .execute();
  }
}

/**
 * Send results of a dispatcher batch: the agent and automatic replies among the sent ones end their conversation's
 * waiting period (a first-response record: how long, by whom) and move its last outbound time. Campaign and test
 * messages are ignored. One query finds the replies of the batch; a batch without any does nothing else. The
 * conversations change set-based, a few statements per round whatever the number of replies: replies to the same
 * conversation go to successive rounds, in the order they were sent, so each changes as if they came one by one.
 * Give it a transaction (the dispatcher does) so that a batch of replies is one commit.
 */
export async function recordConversationReplies(
  db: Kysely<Database>,
  outcomes: readonly SendOutcome[],
  now: number,
): Promise<void> {
  const sent = outcomes.filter((o) => o.kind === "sent");
  if (sent.length === 0) return;
  const dialect = dialectOf(db);
  const rows = await db
    .selectFrom("messages as m")
    .leftJoin("conversation_replies as r", "r.message_id", "m.id")
    .select(["m.id", "m.contact_seq", "m.sender_id", "m.origin", "m.sent_at", "m.payload", "r.user_id"])
    .where(sql<SqlBool>`m.id in ${dialect.jsonValues(JSON.stringify(sent.map((o) => o.id)), "text")}`)
    .where("m.origin", "in", ["agent", "auto_reply"])
    .where("m.contact_seq", "is not", null)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const rounds: Reply[][] = [];
  const seen = new Map<string, number>();
  for (const outcome of sent) {
    const row = byId.get(outcome.id);
    if (row === undefined) continue;
    const key = `${row.contact_seq}:${row.sender_id}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    let list = rounds[round];
    if (!list) {
      list = [];
      rounds[round] = list;
    }
    list.push({
      messageId: row.id,
      contactSeq: row.contact_seq as number,
      senderId: row.sender_id,
      by: row.origin === "agent" ? "agent" : "auto",
      userId: row.user_id ?? null,
      at: row.sent_at ?? (outcome.kind === "sent" ? outcome.at : now),
      preview: outboundPreview(row.payload),
    });
  }
  for (const round of rounds) await recordReplies(db, round, now);
}

interface Reply {
  messageId: string;
  contactSeq: number;
  senderId: string;
  by: "agent" | "auto";
  userId: string | null;
  at: number;
  preview: string;
}

/** Replies to distinct conversations: their waits end, their last outbound times move. */
async function recordReplies(db: Kysely<Database>, replies: readonly Reply[], now: number): Promise<void> {
  const dialect = dialectOf(db);
  const pairs = dialect.jsonRows(JSON.stringify(replies.map((r, index) => [index, r.contactSeq, r.senderId])), [
    { name: "i", type: "bigint" },
    { name: "seq", type: "bigint" },
    { name: "sender", type: "text" },
  ]);
  const found = await sql<{ i: number; id: string; waiting_since: number | null; last_message_at: number }>`
    select x.i as i, c.id, c.waiting_since, c.last_message_at from ${pairs} as x
    inner join conversations as c on c.contact_seq = x.seq and c.sender_id = x.sender`.execute(db);
  const conversations = found.rows.map((row) => ({ ...row, reply: replies[Number(row.i)] as Reply }));
  if (conversations.length === 0) return;
  const waits = conversations.filter((c) => c.waiting_since !== null && c.reply.at >= c.waiting_since);
  if (waits.length > 0) {
    const source = dialect.jsonRows(JSON.stringify(waits.map((c) => [c.id, c.waiting_since])), [
      { name: "id", type: "text" },
      { name: "waiting", type: "bigint" },
    ]);
    const ended = await sql<{ id: string }>`update conversations set waiting_since = null from ${source} as x
      where conversations.id = x.id and conversations.waiting_since = x.waiting returning conversations.id`.execute(db);
    const endedIds = new Set(ended.rows.map((row) => row.id));
    const responses = waits.filter((c) => endedIds.has(c.id));
    if (responses.length > 0)
      await db
        .insertInto("conversation_responses")
        .values(
          responses.map((c) => ({
            id: newId(now),
            conversation_id: c.id,
            waiting_since: c.waiting_since as number,
            responded_at: c.reply.at,
            response_ms: c.reply.at - (c.waiting_since as number),
            responder: c.reply.by,
            user_id: c.reply.userId,
            message_id: c.reply.messageId,
          })),
        )
        .onConflict((oc) => oc.column("message_id").doNothing())
        .execute();
  }
  const moves = dialect.jsonRows(
    JSON.stringify(
      conversations.map((c) => [
        c.id,
        c.reply.at,
        c.reply.at >= c.last_message_at ? c.reply.preview : null,
        // A person answering has read the conversation; an automatic reply has not.
        c.reply.by === "agent" ? 1 : 0,
      ]),
    ),
    [
      { name: "id", type: "text" },
      { name: "at", type: "bigint" },
      { name: "preview", type: "text" },
      { name: "agent", type: "bigint" },
    ],
  );
  await sql`update conversations set
      last_outbound_at = ${dialect.greatest(sql`coalesce(conversations.last_outbound_at, 0)`, sql`x.at`)},
      last_message_at = ${dialect.greatest(sql`conversations.last_message_at`, sql`x.at`)},
      last_preview = case when x.preview is null then conversations.last_preview else x.preview end,
      unread = case when x.agent = 1 then 0 else conversations.unread end,
      updated_at = ${now}
    from ${moves} as x where conversations.id = x.id`.execute(db);
}

/** The text of an outbound payload for the list (`[template name]` for a template). */
export function outboundPreview(payload: string): string {
  try {
    const message = JSON.parse(payload) as { kind?: string; body?: string; name?: string; caption?: string };
    if (message.kind === "template") return `[${message.name ?? "template"}]`;
    return preview(message.body ?? message.caption ?? null, message.kind ?? "message");
  } catch {
    return "[message]";
  }
}

/** The id of the conversation of a contact with a sender number, when there is one. */
export async function findConversationId(
  db: Kysely<Database>,
  contactSeq: number,
  senderId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom("conversations")
    .select("id")
    .where("contact_seq", "=", contactSeq)
    .where("sender_id", "=", senderId)
    .executeTakeFirst();
  return row?.id ?? null;
}

async function change(
  db: Kysely<Database>,
  id: string,
  set: Partial<{ status: ConversationStatus; assigned_to: string | null; unread: number }>,
  now: number,
): Promise<void> {
  const result = await db
    .updateTable("conversations")
    .set({ ...set, updated_at: now })
    .where("id", "=", id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new HeraldError("not_found", `no conversation ${id}`);
}

/** Assigns a conversation to an active user (or unassigns it with null); `validation_failed` names `userId`. */
export async function assignConversation(
  db: Kysely<Database>,
  id: string,
  userId: string | null,
  now: number,
): Promise<void> {
  if (userId !== null) {
    const user = await db.selectFrom("users").select(["id", "disabled"]).where("id", "=", userId).executeTakeFirst();
    if (!user || user.disabled === 1) {
      const message = user ? "the user is disabled" : "no such user";
      throw new HeraldError("validation_failed", `cannot assign: ${message}`, {
        issues: [{ path: "userId", message }],
      });
    }
  }
  await change(db, id, { assigned_to: userId }, now);
}

/** Sets open / pending / closed. */
export async function setConversationStatus(
  db: Kysely<Database>,
  id: string,
  status: ConversationStatus,
  now: number,
): Promise<void> {
  await change(db, id, { status }, now);
}

/** Marks everything in it read (unread = 0). */
export async function markConversationRead(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await change(db, id, { unread: 0 }, now);
}

/** Records who wrote an agent reply (the `messages` row carries no user), in the transaction that queues it. */
export async function recordReplyAuthor(
  db: Kysely<Database>,
  input: { messageId: string; conversationId: string; userId: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto("conversation_replies")
    .values({
      message_id: input.messageId,
      conversation_id: input.conversationId,
      user_id: input.userId,
      created_at: now,
    })
    .execute();
}
