import { type Kysely, type Selectable, type SqlBool, sql, type Transaction } from "kysely";
import { newId } from "../ids.js";
import { dialectOf, type JsonColumn } from "./dialect.js";
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
  /** The contact was created in this transaction (no message was sent to it: no reply link to look up). */
  newContact?: boolean;
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
 * the latest message sent to the contact in the 24 hours before it. Returns null for a duplicate delivery. The
 * batch of one of `storeInboundMessages` (the demo and tests store messages one at a time).
 */
export async function storeInboundMessage(
  db: Db,
  input: NewInboundMessage,
  now: number,
): Promise<StoredInbound | null> {
  return (await storeInboundMessages(db, [input], now))[0] ?? null;
}

/** Columns of a batch insert, in the order of each JSON row. */
const INBOUND_COLUMNS: JsonColumn[] = [
  { name: "id", type: "text" },
  { name: "provider_message_id", type: "text" },
  { name: "sender_id", type: "text" },
  { name: "contact_seq", type: "bigint" },
  { name: "wa_id", type: "text" },
  { name: "type", type: "text" },
  { name: "text", type: "text" },
  { name: "payload", type: "text" },
  { name: "context_message_id", type: "text" },
  { name: "reply_to_message_id", type: "text" },
  { name: "campaign_id", type: "text" },
  { name: "message", type: "text" },
  { name: "received_at", type: "bigint" },
  { name: "created_at", type: "bigint" },
];
const inboundNames = sql.join(INBOUND_COLUMNS.map((column) => sql.ref(column.name)));
/** Rows per statement (one JSON parameter each: ~1 KB per message). */
const INBOUND_PER_STATEMENT = 1_000;

/**
 * `storeInboundMessage` for a whole batch, in a constant number of statements: the messages they answer (one
 * query for the quoted ones, one for the latest sent to each contact), one insert, one `replied_at` update.
 * Returns one result per input, in order (null for a duplicate: a wamid stored before, or earlier in `inputs`).
 * The result is the same as storing them one by one in order, provided no two inputs of one contact are given
 * together (the caller splits a batch into rounds with one message per contact each: the reply link of a later
 * message never depends on an earlier one, but `replied_at` is set by the first answer).
 */
export async function storeInboundMessages(
  db: Db,
  inputs: readonly NewInboundMessage[],
  now: number,
): Promise<(StoredInbound | null)[]> {
  if (inputs.length === 0) return [];
  const replied = await repliedMessages(db, inputs);
  const results: (StoredInbound | null)[] = inputs.map(() => null);
  const seen = new Set<string>();
  const rows: { index: number; id: string; row: unknown[] }[] = [];
  inputs.forEach((input, index) => {
    if (seen.has(input.providerMessageId)) return; // the same wamid twice in one batch: the later is a duplicate
    seen.add(input.providerMessageId);
    const id = newId(now);
    const link = replied[index];
    rows.push({
      index,
      id,
      row: [
        id,
        input.providerMessageId,
        input.senderId,
        input.contactSeq,
        input.waId,
        input.type,
        input.text,
        input.payload,
        input.contextMessageId,
        link?.id ?? null,
        link?.campaign_id ?? null,
        JSON.stringify(input.message),
        input.receivedAt,
        now,
      ],
    });
  });
  const dialect = dialectOf(db);
  const inserted = new Set<string>();
  for (let start = 0; start < rows.length; start += INBOUND_PER_STATEMENT) {
    const part = rows.slice(start, start + INBOUND_PER_STATEMENT);
    const source = dialect.jsonRows(JSON.stringify(part.map((r) => r.row)), INBOUND_COLUMNS);
    const result = await sql<{ id: string }>`insert into inbound_messages (${inboundNames})
      select ${inboundNames} from ${source} as x where true
      on conflict (provider_message_id) do nothing returning id`.execute(db);
    for (const row of result.rows) inserted.add(row.id);
  }
  // replied_at: set by the first answer only (in input order), as one by one would.
  const firstAnswer = new Map<string, { index: number; at: number }>();
  for (const { index, id } of rows) {
    const link = replied[index];
    if (!inserted.has(id) || link === undefined || firstAnswer.has(link.id)) continue;
    firstAnswer.set(link.id, { index, at: (inputs[index] as NewInboundMessage).receivedAt });
  }
  const firsts = new Set<string>();
  if (firstAnswer.size > 0) {
    const pairs = [...firstAnswer].map(([messageId, first]) => [messageId, first.at]);
    const source = dialect.jsonRows(JSON.stringify(pairs), [
      { name: "message_id", type: "text" },
      { name: "at", type: "bigint" },
    ]);
    const updated = await sql<{ id: string }>`update messages set replied_at = x.at from ${source} as x
      where messages.id = x.message_id and messages.replied_at is null returning messages.id`.execute(db);
    for (const row of updated.rows) firsts.add(row.id);
  }
  for (const { index, id } of rows) {
    if (!inserted.has(id)) continue;
    const link = replied[index];
    const firstReply = link !== undefined && firsts.has(link.id) && firstAnswer.get(link.id)?.index === index;
    results[index] = {
      id,
      replyToMessageId: link?.id ?? null,
      campaignId: link?.campaign_id ?? null,
      firstReply,
    };
  }
  return results;
}

type Link = { id: string; campaign_id: string | null };

/**
 * The message each input answers: the one it quotes, or else the latest sent to its contact in the 24 hours before
 * it; in two queries for all inputs (quoted messages; the latest sent to each contact).
 */
async function repliedMessages(db: Db, inputs: readonly NewInboundMessage[]): Promise<(Link | undefined)[]> {
  const links: (Link | undefined)[] = inputs.map(() => undefined);
  const dialect = dialectOf(db);
  const quotedIds = [...new Set(inputs.flatMap((i) => (i.contextMessageId === null ? [] : [i.contextMessageId])))];
  if (quotedIds.length > 0) {
    const quoted = await db
      .selectFrom("messages")
      .select(["id", "campaign_id", "provider_message_id"])
      .where(sql<SqlBool>`provider_message_id in ${dialect.jsonValues(JSON.stringify(quotedIds), "text")}`)
      .execute();
    const byWamid = new Map(quoted.map((q) => [q.provider_message_id, { id: q.id, campaign_id: q.campaign_id }]));
    inputs.forEach((input, index) => {
      if (input.contextMessageId !== null) links[index] = byWamid.get(input.contextMessageId);
    });
  }
  const open: unknown[][] = [];
  inputs.forEach((input, index) => {
    if (links[index] === undefined && input.contactSeq !== null && input.newContact !== true)
      open.push([index, input.contactSeq, input.receivedAt - REPLY_WINDOW_MS, input.receivedAt]);
  });
  if (open.length > 0) {
    const source = dialect.jsonRows(JSON.stringify(open), [
      { name: "i", type: "bigint" },
      { name: "seq", type: "bigint" },
      { name: "lo", type: "bigint" },
      { name: "hi", type: "bigint" },
    ]);
    const found = await sql<{ i: number; id: string; campaign_id: string | null }>`select x.i as i, m.id, m.campaign_id
      from ${source} as x inner join messages as m on m.id = (select m2.id from messages as m2
        where m2.contact_seq = x.seq and m2.sent_at >= x.lo and m2.sent_at <= x.hi order by m2.sent_at desc limit 1)`.execute(
      db,
    );
    for (const row of found.rows) links[Number(row.i)] = { id: row.id, campaign_id: row.campaign_id };
  }
  return links;
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
