/**
 * Single messages from the API (`POST /api/v1/messages`): the client's idempotency keys and the view
 * of one message's status. The message itself is an ordinary `messages` row (origin `api`), sent by
 * the dispatcher like every other row.
 */
import type { Kysely, Transaction } from "kysely";
import { HeraldError } from "../domain/errors.js";
import type { Database } from "./schema.js";
import type { MessageOrigin, MessageStatus } from "./tables/campaigns.js";

type Db = Kysely<Database> | Transaction<Database>;

/** The message an idempotency key already made, and the hash of the request that made it. */
export async function findMessageRequest(
  db: Db,
  key: string,
): Promise<{ messageId: string; requestHash: string } | undefined> {
  const row = await db
    .selectFrom("message_requests")
    .select(["message_id", "request_hash"])
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row && { messageId: row.message_id, requestHash: row.request_hash };
}

/** Records that `key` made `messageId` (in the transaction that inserts the message; unique on the key). */
export async function insertMessageRequest(
  db: Db,
  input: { key: string; messageId: string; requestHash: string },
  now: number,
): Promise<void> {
  await db
    .insertInto("message_requests")
    .values({
      idempotency_key: input.key,
      message_id: input.messageId,
      request_hash: input.requestHash,
      created_at: now,
    })
    .execute();
}

/** One message's status as the API shows it (any origin: API, campaign, test, reply). */
export interface MessageStatusView {
  id: string;
  status: MessageStatus;
  origin: MessageOrigin;
  /** marketing | utility | authentication | service */
  category: string;
  to: string;
  contactId: string | null;
  senderId: string;
  campaignId: string | null;
  kind: string;
  template: { name: string; language: string } | null;
  idempotencyKey: string | null;
  skipReason: string | null;
  error: { code: number; message: string | null } | null;
  attempts: number;
  providerMessageId: string | null;
  createdAt: number;
  dueAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
}

/** One message with its contact's id and idempotency key; `not_found` when there is none. */
export async function getMessageStatus(db: Db, id: string): Promise<MessageStatusView> {
  const row = await db
    .selectFrom("messages as m")
    .leftJoin("contacts as c", "c.seq", "m.contact_seq")
    .leftJoin("message_requests as r", "r.message_id", "m.id")
    .selectAll("m")
    .select(["c.id as contact_id", "r.idempotency_key"])
    .where("m.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no message with id ${id}`);
  const payload = JSON.parse(row.payload) as { kind?: string; name?: string; language?: string };
  return {
    id: row.id,
    status: row.status,
    origin: row.origin,
    category: row.category,
    to: `+${row.to_phone}`,
    contactId: row.contact_id,
    senderId: row.sender_id,
    campaignId: row.campaign_id,
    kind: payload.kind ?? "unknown",
    template:
      payload.kind === "template" && payload.name && payload.language
        ? { name: payload.name, language: payload.language }
        : null,
    idempotencyKey: row.idempotency_key,
    skipReason: row.skip_reason,
    // A retry keeps the last transient error while queued; only a failure is reported as the error.
    error:
      row.status === "failed" && row.error_code !== null ? { code: row.error_code, message: row.error_message } : null,
    attempts: row.attempts,
    providerMessageId: row.provider_message_id,
    createdAt: row.created_at,
    dueAt: row.due_at,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    failedAt: row.failed_at,
  };
}
