/**
 * What auto-replies write per inbound message, inside the applier's transaction: the run (unique per inbound
 * message), the reply's `messages` row (origin `auto_reply`, already leased to the dispatcher that sends it), the
 * rule's statistics and hand-overs; and what the evaluator reads about the contact.
 */
import { type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import type { ConsentStateKind } from "../domain/automation/index.js";
import { HeraldError } from "../domain/errors.js";
import { newId } from "../ids.js";
import { dialectOf, type JsonColumn } from "./dialect.js";
import type { MessageRow } from "./messages.js";
import type { Database } from "./schema.js";
import { getSegment } from "./segments.js";
import { segmentWhere } from "./segments-query.js";
import type { AutomationRunOutcome } from "./tables/automation.js";

type Db = Kysely<Database> | Transaction<Database>;

const HOUR_MS = 3_600_000;
const ROWS_PER_STATEMENT = 1_000;

const names = (columns: readonly JsonColumn[]) => sql.join(columns.map((column) => sql.ref(column.name)));
const RUN_COLUMNS: JsonColumn[] = [
  { name: "id", type: "text" },
  { name: "inbound_message_id", type: "text" },
  { name: "rule_id", type: "text" },
  { name: "contact_seq", type: "bigint" },
  { name: "sender_id", type: "text" },
  { name: "outcome", type: "text" },
  { name: "detail", type: "text" },
  { name: "message_id", type: "text" },
  { name: "created_at", type: "bigint" },
];
/** The columns of a new automatic reply that are not null (leasedReplyRow). */
const REPLY_COLUMNS: JsonColumn[] = [
  { name: "id", type: "text" },
  { name: "contact_seq", type: "bigint" },
  { name: "sender_id", type: "text" },
  { name: "to_phone", type: "text" },
  { name: "origin", type: "text" },
  { name: "category", type: "text" },
  { name: "payload", type: "text" },
  { name: "status", type: "text" },
  { name: "due_at", type: "bigint" },
  { name: "attempts", type: "bigint" },
  { name: "lease_owner", type: "text" },
  { name: "lease_until", type: "bigint" },
  { name: "created_at", type: "bigint" },
];

/** The contact facts rules read. */
export interface AutomationContactFacts {
  tags: string[];
  consent: ConsentStateKind;
  /** True when the contact sent nothing before this inbound message. */
  firstMessage: boolean;
  /** Times of the automatic replies written to the contact in the last hour (the guards' input). */
  recentReplies: number[];
}

/** Reads what the rules and guards need about a contact, for one inbound message. */
export async function automationContactFacts(
  db: Db,
  input: { contactSeq: number; inboundMessageId: string; now: number },
): Promise<AutomationContactFacts> {
  const [contact, tags, earlier, replies] = await Promise.all([
    db.selectFrom("contacts").select("consent_state").where("seq", "=", input.contactSeq).executeTakeFirst(),
    db.selectFrom("contact_tags").select("tag").where("contact_seq", "=", input.contactSeq).execute(),
    db
      .selectFrom("inbound_messages")
      .select("id")
      .where("contact_seq", "=", input.contactSeq)
      .where("id", "<>", input.inboundMessageId)
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom("automation_runs")
      .select("created_at")
      .where("contact_seq", "=", input.contactSeq)
      .where("created_at", ">", input.now - HOUR_MS)
      .where("message_id", "is not", null)
      .execute(),
  ]);
  return {
    tags: tags.map((t) => t.tag),
    consent: contact?.consent_state ?? "unknown",
    firstMessage: earlier === undefined,
    recentReplies: replies.map((r) => r.created_at),
  };
}

/**
 * `automationContactFacts` for several inbound messages of distinct contacts, in four queries whatever their
 * number: `firstMessage` is "no other inbound message of the contact than this one", as one at a time.
 */
export async function automationContactFactsBatch(
  db: Db,
  items: readonly { contactSeq: number; inboundMessageId: string }[],
  now: number,
): Promise<Map<number, AutomationContactFacts>> {
  const facts = new Map<number, AutomationContactFacts>();
  if (items.length === 0) return facts;
  const dialect = dialectOf(db);
  const seqs = sql<SqlBool>`in ${dialect.jsonValues(JSON.stringify(items.map((i) => i.contactSeq)), "bigint")}`;
  const pairs = dialect.jsonRows(JSON.stringify(items.map((i) => [i.contactSeq, i.inboundMessageId])), [
    { name: "seq", type: "bigint" },
    { name: "id", type: "text" },
  ]);
  const [contacts, tags, earlier, replies] = await Promise.all([
    db.selectFrom("contacts").select(["seq", "consent_state"]).where(sql<SqlBool>`seq ${seqs}`).execute(),
    db.selectFrom("contact_tags").select(["contact_seq", "tag"]).where(sql<SqlBool>`contact_seq ${seqs}`).execute(),
    sql<{ seq: number }>`select x.seq as seq from ${pairs} as x where exists (select 1 from inbound_messages as i
      where i.contact_seq = x.seq and i.id <> x.id)`.execute(db),
    db
      .selectFrom("automation_runs")
      .select(["contact_seq", "created_at"])
      .where(sql<SqlBool>`contact_seq ${seqs}`)
      .where("created_at", ">", now - HOUR_MS)
      .where("message_id", "is not", null)
      .execute(),
  ]);
  for (const item of items)
    facts.set(item.contactSeq, { tags: [], consent: "unknown", firstMessage: true, recentReplies: [] });
  const of = (seq: number) => facts.get(Number(seq));
  for (const c of contacts) {
    const f = of(c.seq);
    if (f) f.consent = c.consent_state;
  }
  for (const t of tags) of(t.contact_seq)?.tags.push(t.tag);
  for (const e of earlier.rows) {
    const f = of(e.seq);
    if (f) f.firstMessage = false;
  }
  for (const r of replies) of(r.contact_seq)?.recentReplies.push(r.created_at);
  return facts;
}

/** Which of `segmentIds` the contact belongs to (exclusions applied, as in a campaign). */
export async function contactSegments(
  db: Kysely<Database>,
  contactSeq: number,
  segmentIds: readonly string[],
  now: number,
): Promise<Set<string>> {
  const inside = new Set<string>();
  for (const id of segmentIds) {
    let definition: Awaited<ReturnType<typeof getSegment>>;
    try {
      definition = await getSegment(db, id);
    } catch (err) {
      if (err instanceof HeraldError && err.code === "not_found") continue; // a deleted segment holds nobody
      throw err;
    }
    const where = await segmentWhere(db, definition, now);
    const hit = await db
      .selectFrom("contacts as c")
      .innerJoin("contact_metrics as m", "m.contact_seq", "c.seq")
      .select("c.seq")
      .where("c.seq", "=", contactSeq)
      .where(where)
      .executeTakeFirst();
    if (hit) inside.add(id);
  }
  return inside;
}

export interface NewRun {
  inboundMessageId: string;
  ruleId: string;
  contactSeq: number;
  senderId: string | null;
  outcome: AutomationRunOutcome;
  detail: string | null;
  messageId: string | null;
}

/** Records a rule's run for an inbound message; false when one exists already (nothing else must be written). */
export async function claimRun(
  db: Db,
  run: Omit<NewRun, "outcome" | "detail" | "messageId">,
  now: number,
): Promise<string | null> {
  const id = newId(now);
  const inserted = await db
    .insertInto("automation_runs")
    .values({
      id,
      inbound_message_id: run.inboundMessageId,
      rule_id: run.ruleId,
      contact_seq: run.contactSeq,
      sender_id: run.senderId,
      outcome: "no_reply",
      detail: null,
      message_id: null,
      created_at: now,
    })
    .onConflict((oc) => oc.column("inbound_message_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted?.id ?? null;
}

/**
 * Records finished runs (with their outcome) in one statement; returns the inbound message ids whose run already
 * existed (nothing was written for those). The caller writes the runs of inbound messages it stored in the same
 * transaction, so none exists unless the same message is given twice.
 */
export async function insertRuns(db: Db, runs: readonly NewRun[], now: number): Promise<Set<string>> {
  const existing = new Set<string>();
  if (runs.length === 0) return existing;
  const dialect = dialectOf(db);
  const inserted = new Set<string>();
  for (let start = 0; start < runs.length; start += ROWS_PER_STATEMENT) {
    const part = runs.slice(start, start + ROWS_PER_STATEMENT);
    const json = JSON.stringify(
      part.map((run) => [
        newId(now),
        run.inboundMessageId,
        run.ruleId,
        run.contactSeq,
        run.senderId,
        run.outcome,
        run.detail,
        run.messageId,
        now,
      ]),
    );
    const result = await sql<{ inbound_message_id: string }>`insert into automation_runs (${names(RUN_COLUMNS)})
      select ${names(RUN_COLUMNS)} from ${dialect.jsonRows(json, RUN_COLUMNS)} as x where true
      on conflict (inbound_message_id) do nothing returning inbound_message_id`.execute(db);
    for (const row of result.rows) inserted.add(row.inbound_message_id);
  }
  for (const run of runs) if (!inserted.has(run.inboundMessageId)) existing.add(run.inboundMessageId);
  return existing;
}

/** Counts matches (and replies) on the rules' statistics: one statement per rule that matched. */
export async function countRuleMatches(
  db: Db,
  counts: ReadonlyMap<string, { matches: number; replies: number }>,
  now: number,
): Promise<void> {
  for (const [ruleId, count] of counts)
    await db
      .updateTable("automation_rules")
      .set((eb) => ({
        matches: eb("matches", "+", count.matches),
        replies: eb("replies", "+", count.replies),
        last_matched_at: now,
      }))
      .where("id", "=", ruleId)
      .execute();
}

/** Sets a claimed run's outcome. */
export async function finishRun(
  db: Db,
  id: string,
  result: { outcome: AutomationRunOutcome; detail: string | null; messageId: string | null },
): Promise<void> {
  await db
    .updateTable("automation_runs")
    .set({ outcome: result.outcome, detail: result.detail, message_id: result.messageId })
    .where("id", "=", id)
    .execute();
}

/** Counts a match (and a reply) on the rule's statistics. */
export async function countRuleMatch(db: Db, ruleId: string, replied: boolean, now: number): Promise<void> {
  await countRuleMatches(db, new Map([[ruleId, { matches: 1, replies: replied ? 1 : 0 }]]), now);
}

/** An automatic reply to write (see insertLeasedReply). */
export interface LeasedReplyInput {
  senderId: string;
  contactSeq: number;
  toPhone: string;
  category: "service" | "marketing" | "utility";
  payload: string;
  leaseOwner: string;
  leaseUntil: number;
}

/**
 * Writes an automatic reply as a `messages` row already claimed for the dispatcher (`sending`, leased to
 * `leaseOwner`, attempt 1), so the dispatcher can send it at once without a claim round trip. If the process dies
 * before the send, the lease expires and the row becomes `unknown` like any claimed row: never sent twice.
 */
export async function insertLeasedReply(db: Db, input: LeasedReplyInput, now: number): Promise<MessageRow> {
  const row = leasedReplyRow(input, now);
  await insertLeasedReplies(db, [row]);
  return row;
}

/** The `messages` row of an automatic reply, already leased (see insertLeasedReply); not written yet. */
export function leasedReplyRow(input: LeasedReplyInput, now: number): MessageRow {
  return {
    id: newId(now),
    campaign_id: null,
    contact_seq: input.contactSeq,
    sender_id: input.senderId,
    to_phone: input.toPhone,
    origin: "auto_reply",
    category: input.category,
    payload: input.payload,
    status: "sending",
    skip_reason: null,
    due_at: now,
    attempts: 1,
    lease_owner: input.leaseOwner,
    lease_until: input.leaseUntil,
    provider_message_id: null,
    error_code: null,
    error_message: null,
    created_at: now,
    sent_at: null,
    delivered_at: null,
    read_at: null,
    failed_at: null,
    pricing_category: null,
    billable: null,
    replied_at: null,
  };
}

/**
 * Writes reply rows made by `leasedReplyRow`, as one JSON parameter per 1,000 rows (Kysely compiling a 25-column
 * multi-row VALUES cost more than the insert). Only the columns a new reply sets; the others are null.
 */
export async function insertLeasedReplies(db: Db, rows: readonly MessageRow[]): Promise<void> {
  const dialect = dialectOf(db);
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const part = rows.slice(start, start + ROWS_PER_STATEMENT);
    const json = JSON.stringify(part.map((row) => REPLY_COLUMNS.map((c) => row[c.name as keyof MessageRow])));
    await sql`insert into messages (${names(REPLY_COLUMNS)})
      select ${names(REPLY_COLUMNS)} from ${dialect.jsonRows(json, REPLY_COLUMNS)} as x`.execute(db);
  }
}

/** Puts leased replies back in the queue (their sender has no running pump here): the next claim sends them. */
export async function requeueReplies(db: Db, leaseOwner: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("messages")
    .set({ status: "queued", lease_owner: null, lease_until: null, attempts: sql`attempts - 1` })
    .where("id", "in", ids)
    .where("status", "=", "sending")
    .where("lease_owner", "=", leaseOwner)
    .execute();
}

/** Opens a hand-over to a person for an inbound message (once per message). */
export async function openHandover(
  db: Db,
  input: { contactSeq: number; senderId: string | null; inboundMessageId: string; ruleId: string; note: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto("automation_handovers")
    .values({
      id: newId(now),
      contact_seq: input.contactSeq,
      sender_id: input.senderId,
      inbound_message_id: input.inboundMessageId,
      rule_id: input.ruleId,
      note: input.note,
      created_at: now,
      resolved_at: null,
    })
    .onConflict((oc) => oc.column("inbound_message_id").doNothing())
    .execute();
}

/** A hand-over with the contact it concerns. */
export interface Handover {
  id: string;
  contactId: string;
  contactName: string | null;
  phone: string;
  senderId: string | null;
  ruleId: string | null;
  ruleName: string | null;
  note: string | null;
  text: string | null;
  createdAt: number;
  resolvedAt: number | null;
}

/** Hand-overs, oldest open first (`open: false` lists resolved ones, newest first). */
export async function listHandovers(db: Db, options: { open: boolean; limit: number }): Promise<Handover[]> {
  const rows = await db
    .selectFrom("automation_handovers as h")
    .innerJoin("contacts as c", "c.seq", "h.contact_seq")
    .leftJoin("automation_rules as r", "r.id", "h.rule_id")
    .leftJoin("inbound_messages as i", "i.id", "h.inbound_message_id")
    .select([
      "h.id",
      "c.id as contact_id",
      "c.name",
      "c.phone",
      "h.sender_id",
      "h.rule_id",
      "r.name as rule_name",
      "h.note",
      "i.text",
      "h.created_at",
      "h.resolved_at",
    ])
    .where("h.resolved_at", options.open ? "is" : "is not", null)
    .orderBy("h.created_at", options.open ? "asc" : "desc")
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    contactId: r.contact_id,
    contactName: r.name,
    phone: r.phone,
    senderId: r.sender_id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    note: r.note,
    text: r.text,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  }));
}

/** Closes a hand-over (a person took the conversation); `not_found` when absent or already closed. */
export async function resolveHandover(db: Db, id: string, now: number): Promise<void> {
  const result = await db
    .updateTable("automation_handovers")
    .set({ resolved_at: now })
    .where("id", "=", id)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new HeraldError("not_found", `no open hand-over with id ${id}`);
}
