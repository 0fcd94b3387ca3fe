import { CompiledQuery, type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { type DialectAdapter, dialectOf, type JsonColumn } from "./dialect.js";
import type { Database } from "./schema.js";
import type { MessageStatus, MessagesTable } from "./tables/campaigns.js";

type Db = Kysely<Database> | Transaction<Database>;
export type MessageRow = Selectable<MessagesTable>;

/** A message row to insert (launch, test send, reply). */
export type NewMessage = Omit<
  MessageRow,
  | "attempts"
  | "lease_owner"
  | "lease_until"
  | "provider_message_id"
  | "error_code"
  | "error_message"
  | "sent_at"
  | "delivered_at"
  | "read_at"
  | "failed_at"
  | "pricing_category"
  | "billable"
  | "replied_at"
>;

/** The columns a new row sets (the rest take their defaults: attempts 0, everything else null). */
const NEW_COLUMNS: JsonColumn[] = [
  { name: "id", type: "text" },
  { name: "campaign_id", type: "text" },
  { name: "contact_seq", type: "bigint" },
  { name: "sender_id", type: "text" },
  { name: "to_phone", type: "text" },
  { name: "origin", type: "text" },
  { name: "category", type: "text" },
  { name: "payload", type: "text" },
  { name: "status", type: "text" },
  { name: "skip_reason", type: "text" },
  { name: "due_at", type: "bigint" },
  { name: "created_at", type: "bigint" },
];
const NEW_NAMES = sql.join(NEW_COLUMNS.map((column) => sql.ref(column.name)));

/** Appends a new row's values to `out` in NEW_COLUMNS order (no array per row on the launch's hot path); returns `out`. */
function pushNewValues(out: unknown[], r: NewMessage): unknown[] {
  out.push(
    r.id,
    r.campaign_id,
    r.contact_seq,
    r.sender_id,
    r.to_phone,
    r.origin,
    r.category,
    r.payload,
    r.status,
    r.skip_reason,
    r.due_at,
    r.created_at,
  );
  return out;
}

/** PostgreSQL: rows per statement, one JSON parameter each (~2 MB at 5,000 campaign rows): no parameter limit applies. */
const INSERT_CHUNK = 5_000;

/** SQLite: rows per multi-row VALUES statement (12 parameters each, far under the 32,766 limit). */
const VALUES_ROWS = 100;
const valuesTexts = new Map<string, string>();

/** The SQLite insert of `rows` rows as bound parameters; one text per (rows, conflict) so the statement is reused. */
function valuesText(rows: number, ignoreDuplicates: boolean): string {
  const key = `${rows} ${ignoreDuplicates}`;
  let text = valuesTexts.get(key);
  if (text === undefined) {
    const tuple = `(${NEW_COLUMNS.map(() => "?").join(", ")})`;
    text =
      `insert into "messages" (${NEW_COLUMNS.map((c) => `"${c.name}"`).join(", ")}) values ` +
      Array.from({ length: rows }, () => tuple).join(", ") +
      (ignoreDuplicates ? " on conflict (campaign_id, contact_seq) do nothing" : "");
    valuesTexts.set(key, text);
  }
  return text;
}

/**
 * Inserts message rows in chunks; the caller's transaction makes it atomic. `ignoreDuplicates` skips rows whose
 * (campaign, contact) already exists (a resumed launch). Kysely's query builder is not used: a 1,000,000-recipient
 * launch spent more time building Kysely's 19,000-value inserts than the database spent storing them. SQLite takes
 * multi-row VALUES statements of fixed texts with bound parameters (prepared once, ~25% less CPU per row than
 * unpacking a JSON parameter with json_each); PostgreSQL takes one JSON parameter per chunk (dialect.jsonRows).
 */
export async function insertMessages(
  db: Db,
  rows: NewMessage[],
  options: { ignoreDuplicates?: boolean } = {},
): Promise<void> {
  const dialect = dialectOf(db);
  const ignore = options.ignoreDuplicates === true;
  if (dialect.name === "sqlite") {
    for (let i = 0; i < rows.length; i += VALUES_ROWS) {
      const end = Math.min(rows.length, i + VALUES_ROWS);
      const parameters: unknown[] = [];
      for (let k = i; k < end; k++) {
        pushNewValues(parameters, rows[k] as NewMessage);
      }
      await db.executeQuery(CompiledQuery.raw(valuesText(end - i, ignore), parameters));
    }
    return;
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const json = JSON.stringify(chunk.map((r) => pushNewValues([], r)));
    const conflict = ignore ? sql` on conflict (campaign_id, contact_seq) do nothing` : sql``;
    await sql`insert into messages (${NEW_NAMES}) select ${NEW_NAMES} from ${dialect.jsonRows(json, NEW_COLUMNS)} as x
      where true${conflict}`.execute(db);
  }
}

/**
 * Claims up to `limit` due queued messages of one sender for `owner`, in one statement: status →
 * `sending`, lease set, attempts + 1. Only messages of running campaigns (or without a campaign)
 * are due, so pause and cancel take effect at the next claim. PostgreSQL: SKIP LOCKED lets several
 * dispatchers claim disjoint rows; SQLite serialises writers, which makes the same statement exclusive.
 */
export async function claimDueMessages(
  db: Db,
  dialect: DialectAdapter,
  input: { senderId: string; owner: string; limit: number; leaseUntil: number },
  now: number,
): Promise<MessageRow[]> {
  const due = db
    .selectFrom("messages")
    .select("messages.id")
    .where("messages.sender_id", "=", input.senderId)
    // Literal: messages_due_idx holds queued rows only (migration 0018).
    .where("messages.status", "=", sql.lit("queued"))
    .where("messages.due_at", "<=", now)
    .where((eb) =>
      eb.or([
        eb("messages.campaign_id", "is", null),
        eb(
          "messages.campaign_id",
          "in",
          eb.selectFrom("campaigns").select("campaigns.id").where("campaigns.status", "=", "running"),
        ),
      ]),
    )
    .orderBy("messages.due_at")
    .orderBy("messages.id")
    .limit(input.limit)
    .$if(dialect.supportsSkipLocked, (q) => q.forUpdate().skipLocked());
  const rows = await db
    .updateTable("messages")
    .set((eb) => ({
      status: "sending",
      lease_owner: input.owner,
      lease_until: input.leaseUntil,
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "in", due)
    .returningAll()
    .execute();
  // RETURNING does not promise the subquery's order: send oldest-due first.
  return rows.sort((a, b) => a.due_at - b.due_at || (a.id < b.id ? -1 : 1));
}

/** What happened to one claimed message. */
export type SendOutcome =
  | { id: string; kind: "sent"; providerMessageId: string; at: number }
  | { id: string; kind: "failed"; code: number; message: string; at: number }
  | { id: string; kind: "retry"; dueAt: number; code: number; message: string }
  | { id: string; kind: "skipped"; reason: string }
  /** Claimed but not sent (the sender's lease ended first): back to `queued`, the attempt not counted. */
  | { id: string; kind: "released" }
  /** Claimed during the recipient's quiet hours: back to `queued`, due when they end, the attempt not counted. */
  | { id: string; kind: "deferred"; dueAt: number };

/** The columns of a batch of `sent` outcomes, bound as one JSON parameter (dialect.jsonRows). */
const SENT_COLUMNS: JsonColumn[] = [
  { name: "id", type: "text" },
  { name: "provider_message_id", type: "text" },
  { name: "sent_at", type: "bigint" },
];
/** Sent outcomes per statement (one JSON parameter of ~100 bytes a row). */
const SENT_CHUNK = 2_000;

/**
 * Records the outcomes of claimed messages, in the caller's transaction (one per batch). Every
 * update requires `status = 'sending' AND lease_owner = owner`: a worker whose lease expired, or a
 * row a status webhook already moved forward, is never overwritten.
 * `sent` outcomes (nearly all of them) are written by one statement per SENT_CHUNK rows: one UPDATE built by
 * Kysely per row cost ~55 µs of CPU a message, the largest share of the dispatcher's (bench campaign --part rate).
 */
export async function finishMessages(db: Db, owner: string, outcomes: SendOutcome[]): Promise<void> {
  const sent: [string, string, number][] = [];
  for (const o of outcomes) if (o.kind === "sent") sent.push([o.id, o.providerMessageId, o.at]);
  for (let i = 0; i < sent.length; i += SENT_CHUNK) await finishSent(db, owner, sent.slice(i, i + SENT_CHUNK));
  for (const o of outcomes) {
    if (o.kind === "sent") continue;
    const base = db
      .updateTable("messages")
      .where("id", "=", o.id)
      .where("status", "=", "sending")
      .where("lease_owner", "=", owner);
    switch (o.kind) {
      case "failed":
        await base
          .set({
            status: "failed",
            error_code: o.code,
            error_message: o.message.slice(0, 500),
            failed_at: o.at,
            lease_owner: null,
            lease_until: null,
          })
          .execute();
        break;
      case "retry":
        await base
          .set({
            status: "queued",
            due_at: o.dueAt,
            error_code: o.code,
            error_message: o.message.slice(0, 500),
            lease_owner: null,
            lease_until: null,
          })
          .execute();
        break;
      case "skipped":
        await base.set({ status: "skipped", skip_reason: o.reason, lease_owner: null, lease_until: null }).execute();
        break;
      case "released":
        await base
          .set((eb) => ({ status: "queued", lease_owner: null, lease_until: null, attempts: eb("attempts", "-", 1) }))
          .execute();
        break;
      case "deferred":
        await base
          .set((eb) => ({
            status: "queued",
            due_at: o.dueAt,
            lease_owner: null,
            lease_until: null,
            attempts: eb("attempts", "-", 1),
          }))
          .execute();
        break;
      default: {
        const never: never = o;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }
}

/** `sent` outcomes of one batch ([id, provider message id, sent at]): two statements whatever their number. */
async function finishSent(db: Db, owner: string, sent: [string, string, number][]): Promise<void> {
  if (sent.length === 0) return;
  const json = JSON.stringify(sent);
  const rows = dialectOf(db).jsonRows(json, SENT_COLUMNS);
  const updated = await sql<{ id: string }>`update messages set status = 'sent',
      provider_message_id = x.provider_message_id, sent_at = x.sent_at, lease_owner = null, lease_until = null
    from ${rows} as x
    where messages.id = x.id and messages.status = 'sending' and messages.lease_owner = ${owner}
    returning messages.id`.execute(db);
  if (updated.rows.length === sent.length) return;
  // A status webhook may have advanced a row before this result was written (it names the row by callback
  // data): keep the provider id from the result if the webhook did not carry it, and the time the request left
  // (the webhook's timestamp is whole seconds, so it would show sends bunched together).
  const done = new Set(updated.rows.map((r) => r.id));
  const rest = sent.filter(([id]) => !done.has(id));
  await sql`update messages set
      provider_message_id = coalesce(messages.provider_message_id, x.provider_message_id), sent_at = x.sent_at
    from ${dialectOf(db).jsonRows(JSON.stringify(rest), SENT_COLUMNS)} as x
    where messages.id = x.id and messages.status in ('sent', 'delivered', 'read', 'failed')`.execute(db);
}

/**
 * Crash recovery (DESIGN invariant 1): messages left in `sending` after their lease expired may or may
 * not have reached the provider. They become `unknown` and are not resent unless an operator asks,
 * so the number of uncertain messages is bounded by the in-flight window. Returns how many.
 */
export async function expireSendingLeases(db: Db, now: number): Promise<number> {
  const result = await db
    .updateTable("messages")
    .set({ status: "unknown", lease_owner: null, lease_until: null })
    // Literal: messages_sending_idx holds in-flight rows only (migration 0018).
    .where("status", "=", sql.lit("sending"))
    .where("lease_until", "<", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * A process that has just taken a sender's lease (DESIGN §5): the sender's messages still `sending`
 * under another owner were claimed by a process that may no longer send for this number (its lease
 * ended, so it stopped sending before this one started). They may or may not have reached the
 * provider: `unknown`, never resent on their own (as after a crash), without waiting for their claim
 * leases to run out. A late status webhook still moves them to the truth. Returns how many.
 */
export async function expireOthersSending(db: Db, senderId: string, owner: string): Promise<number> {
  const result = await db
    .updateTable("messages")
    .set({ status: "unknown", lease_owner: null, lease_until: null })
    .where("sender_id", "=", senderId)
    .where("status", "=", sql.lit("sending"))
    .where("lease_owner", "<>", owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A delivery status from a webhook (whatsapp/webhook StatusUpdate, reduced to what the row keeps). */
export interface StatusChange {
  providerMessageId: string;
  /** Herald's message id, echoed by the provider as callback data; finds the row before its send result is written. */
  messageId: string | undefined;
  status: "sent" | "delivered" | "read" | "failed";
  at: number;
  error: { code: number; message: string } | undefined;
  pricingCategory: string | undefined;
  billable: boolean | undefined;
}

// The statuses each webhook status may move a message from (DESIGN invariant 3: forward only;
// `failed` is terminal; `read` may come without `delivered`). `unknown` rows accept the truth.
export const MOVES_FROM: Record<StatusChange["status"], MessageStatus[]> = {
  sent: ["queued", "sending", "unknown"],
  delivered: ["queued", "sending", "sent", "unknown"],
  read: ["queued", "sending", "sent", "delivered", "unknown"],
  failed: ["queued", "sending", "sent", "unknown"],
};

/**
 * Applies one status webhook to its message, forward only and idempotent: a duplicate or a late
 * `delivered` after `read` changes nothing; times are kept from the first report. Pricing is
 * recorded whenever it comes. Returns false when no message matches (not sent by Herald).
 */
export async function applyMessageStatus(db: Db, change: StatusChange): Promise<boolean> {
  const row = await db
    .selectFrom("messages")
    .select(["id", "status", "provider_message_id"])
    .where((eb) =>
      change.messageId
        ? eb.or([eb("provider_message_id", "=", change.providerMessageId), eb("id", "=", change.messageId)])
        : eb("provider_message_id", "=", change.providerMessageId),
    )
    .executeTakeFirst();
  if (!row) return false;
  const at = change.at;
  if (change.pricingCategory !== undefined || change.billable !== undefined) {
    await db
      .updateTable("messages")
      .set({
        ...(change.pricingCategory !== undefined ? { pricing_category: change.pricingCategory } : {}),
        ...(change.billable !== undefined ? { billable: change.billable ? 1 : 0 } : {}),
      })
      .where("id", "=", row.id)
      .execute();
  }
  const advance = db.updateTable("messages").where("id", "=", row.id).where("status", "in", MOVES_FROM[change.status]);
  const common = {
    provider_message_id: sql<string>`coalesce(provider_message_id, ${change.providerMessageId})`,
    lease_owner: null,
    lease_until: null,
  };
  switch (change.status) {
    case "sent":
      await advance.set({ ...common, status: "sent", sent_at: sql<number>`coalesce(sent_at, ${at})` }).execute();
      break;
    case "delivered":
      await advance
        .set({
          ...common,
          status: "delivered",
          sent_at: sql<number>`coalesce(sent_at, ${at})`,
          delivered_at: sql<number>`coalesce(delivered_at, ${at})`,
        })
        .execute();
      break;
    case "read":
      await advance
        .set({
          ...common,
          status: "read",
          sent_at: sql<number>`coalesce(sent_at, ${at})`,
          delivered_at: sql<number>`coalesce(delivered_at, ${at})`,
          read_at: sql<number>`coalesce(read_at, ${at})`,
        })
        .execute();
      break;
    case "failed":
      await advance
        .set({
          ...common,
          status: "failed",
          error_code: change.error?.code ?? 0,
          error_message: change.error?.message.slice(0, 500) ?? "failed",
          failed_at: sql<number>`coalesce(failed_at, ${at})`,
        })
        .execute();
      break;
  }
  return true;
}

/** Counts of a campaign's messages by status. */
export async function countMessagesByStatus(db: Db, campaignId: string): Promise<Record<MessageStatus, number>> {
  const rows = await db
    .selectFrom("messages")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("campaign_id", "=", campaignId)
    .groupBy("status")
    .execute();
  const counts: Record<MessageStatus, number> = {
    queued: 0,
    sending: 0,
    sent: 0,
    delivered: 0,
    read: 0,
    failed: 0,
    skipped: 0,
    unknown: 0,
  };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/**
 * A campaign's skipped recipients by reason, counted from the rows: the launch's gates and also what was skipped
 * after it (an opt-out that arrived mid-campaign, a cancel), which the launch-time audience counts cannot know.
 */
export async function countSkippedByReason(db: Db, campaignId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("messages")
    .select(["skip_reason", (eb) => eb.fn.countAll<number>().as("n")])
    .where("campaign_id", "=", campaignId)
    .where("status", "=", "skipped")
    .groupBy("skip_reason")
    .execute();
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.skip_reason ?? "unknown"] = Number(r.n);
  return counts;
}

/** A campaign recipient's row as the API lists it (the rendered payload stays internal). */
export interface MessageView {
  id: string;
  contactSeq: number | null;
  to: string;
  status: MessageStatus;
  skipReason: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  attempts: number;
  dueAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
}

/** A campaign's messages, optionally of one status (e.g. `unknown` for the operator), in id order with a cursor. */
export async function listCampaignMessages(
  db: Db,
  campaignId: string,
  query: { status?: MessageStatus; limit: number; after?: string },
): Promise<{ data: MessageView[]; nextCursor: string | null }> {
  const rows = await db
    .selectFrom("messages")
    .selectAll()
    .where("campaign_id", "=", campaignId)
    .$if(query.status !== undefined, (q) => q.where("status", "=", query.status!))
    .$if(query.after !== undefined, (q) => q.where("id", ">", query.after!))
    .orderBy("id")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return {
    data: page.map((r) => ({
      id: r.id,
      contactSeq: r.contact_seq,
      to: `+${r.to_phone}`,
      status: r.status,
      skipReason: r.skip_reason,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      attempts: r.attempts,
      dueAt: r.due_at,
      sentAt: r.sent_at,
      deliveredAt: r.delivered_at,
      readAt: r.read_at,
      failedAt: r.failed_at,
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
