/**
 * The inbox's list and one conversation's header, in the order a team works them: high-value customers first
 * (the settings' tag or segment; VIP by default), then the longest waiting, then the most recent. A conversation
 * waiting 2 hours or more is `overdue` (domain/inbox).
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import { HeraldError } from "../domain/errors.js";
import {
  type ConversationStatus,
  isOverdue,
  type WindowState,
  waitingMs,
  windowState,
} from "../domain/inbox/conversation.js";
import type { Database } from "./schema.js";
import { getSegment } from "./segments.js";
import { segmentWhere } from "./segments-query.js";

/** A conversation as the list and the live stream show it. */
export interface ConversationView {
  id: string;
  status: ConversationStatus;
  contact: { id: string; name: string; phone: string; language: string | null };
  sender: { id: string; name: string; displayPhoneNumber: string };
  assignee: { id: string; name: string; email: string } | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  lastMessageAt: number;
  lastPreview: string | null;
  unread: number;
  waitingSince: number | null;
  waitingMs: number;
  /** Unanswered for 2 hours or more. */
  overdue: boolean;
  /** A high-value customer (the settings' tag or segment). */
  priority: boolean;
  window: WindowState;
  updatedAt: number;
}

export interface ConversationFilter {
  status?: ConversationStatus;
  /** `me` (needs `userId`), `unassigned`, or a user id. */
  assigned?: string;
  senderId?: string;
  /** The acting user, for `assigned: "me"`. */
  userId?: string | null;
}

/** The inbox settings: the tag and/or segment that mark high-value customers. */
export interface InboxSettings {
  priorityTag: string | null;
  prioritySegmentId: string | null;
}

export async function getInboxSettings(db: Kysely<Database>): Promise<InboxSettings> {
  const row = await db.selectFrom("inbox_settings").selectAll().where("id", "=", 1).executeTakeFirst();
  return { priorityTag: row?.priority_tag ?? null, prioritySegmentId: row?.priority_segment_id ?? null };
}

/** Changes the high-value tag / segment (a segment must exist: `validation_failed` names `prioritySegmentId`). */
export async function setInboxSettings(
  db: Kysely<Database>,
  settings: InboxSettings,
  now: number,
): Promise<InboxSettings> {
  if (settings.prioritySegmentId !== null) {
    await getSegment(db, settings.prioritySegmentId).catch(() => {
      throw new HeraldError("validation_failed", "no such segment", {
        issues: [{ path: "prioritySegmentId", message: "no such segment" }],
      });
    });
  }
  await db
    .updateTable("inbox_settings")
    .set({
      priority_tag: settings.priorityTag,
      priority_segment_id: settings.prioritySegmentId,
      updated_at: now,
    })
    .where("id", "=", 1)
    .execute();
  return getInboxSettings(db);
}

/** The SQL truth of "this conversation's contact is high value", over alias `cv`. */
async function priorityExpression(db: Kysely<Database>, now: number): Promise<RawBuilder<SqlBool>> {
  const settings = await getInboxSettings(db);
  const parts: RawBuilder<SqlBool>[] = [];
  if (settings.priorityTag !== null) {
    parts.push(
      sql<SqlBool>`exists (select 1 from contact_tags pt where pt.contact_seq = cv.contact_seq and pt.tag = ${settings.priorityTag})`,
    );
  }
  if (settings.prioritySegmentId !== null) {
    const segment = await getSegment(db, settings.prioritySegmentId).catch(() => null);
    if (segment) {
      // A probe per listed conversation (tags as EXISTS): the inbox lists hundreds, not the whole base.
      const where = await segmentWhere(db, segment, now, { withExclusions: false, tags: "exists" });
      parts.push(
        sql<SqlBool>`exists (select 1 from contacts c join contact_metrics m on m.contact_seq = c.seq where c.seq = cv.contact_seq and ${where})`,
      );
    }
  }
  return parts.length === 0 ? sql<SqlBool>`(1 = 0)` : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

async function baseQuery(db: Kysely<Database>, now: number) {
  const priority = await priorityExpression(db, now);
  return db
    .selectFrom("conversations as cv")
    .innerJoin("contacts as ct", "ct.seq", "cv.contact_seq")
    .innerJoin("senders as s", "s.id", "cv.sender_id")
    .leftJoin("users as u", "u.id", "cv.assigned_to")
    .select([
      "cv.id",
      "cv.status",
      "cv.assigned_to",
      "cv.last_inbound_at",
      "cv.last_outbound_at",
      "cv.last_message_at",
      "cv.last_preview",
      "cv.unread",
      "cv.waiting_since",
      "cv.updated_at",
      "ct.id as contact_id",
      "ct.name as contact_name",
      "ct.phone as contact_phone",
      "ct.language as contact_language",
      "s.id as sender_id",
      "s.name as sender_name",
      "s.display_phone_number",
      "u.name as assignee_name",
      "u.email as assignee_email",
      sql<number>`case when ${priority} then 1 else 0 end`.as("priority"),
    ]);
}

type Row = Awaited<ReturnType<Awaited<ReturnType<typeof baseQuery>>["execute"]>>[number];

function toView(row: Row, now: number): ConversationView {
  return {
    id: row.id,
    status: row.status,
    contact: { id: row.contact_id, name: row.contact_name, phone: row.contact_phone, language: row.contact_language },
    sender: { id: row.sender_id, name: row.sender_name, displayPhoneNumber: row.display_phone_number },
    assignee:
      row.assigned_to === null
        ? null
        : { id: row.assigned_to, name: row.assignee_name ?? "", email: row.assignee_email ?? "" },
    lastInboundAt: row.last_inbound_at,
    lastOutboundAt: row.last_outbound_at,
    lastMessageAt: row.last_message_at,
    lastPreview: row.last_preview,
    unread: row.unread,
    waitingSince: row.waiting_since,
    waitingMs: waitingMs(row.waiting_since, now),
    overdue: isOverdue(row.waiting_since, now),
    priority: Number(row.priority) === 1,
    window: windowState(row.last_inbound_at, now),
    updatedAt: row.updated_at,
  };
}

/** The inbox list in working order; `offset` pages through it. */
export async function listConversations(
  db: Kysely<Database>,
  filter: ConversationFilter,
  page: { limit: number; offset: number },
  now: number,
): Promise<{ data: ConversationView[]; nextOffset: number | null }> {
  let query = await baseQuery(db, now);
  if (filter.status) query = query.where("cv.status", "=", filter.status);
  if (filter.senderId) query = query.where("cv.sender_id", "=", filter.senderId);
  if (filter.assigned === "unassigned") query = query.where("cv.assigned_to", "is", null);
  else if (filter.assigned === "me") query = query.where("cv.assigned_to", "=", filter.userId ?? "");
  else if (filter.assigned) query = query.where("cv.assigned_to", "=", filter.assigned);
  const rows = await query
    .orderBy(sql`priority`, "desc")
    .orderBy(sql`case when cv.waiting_since is null then 1 else 0 end`)
    .orderBy("cv.waiting_since", "asc")
    .orderBy("cv.last_message_at", "desc")
    .orderBy("cv.id")
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
  const data = rows.slice(0, page.limit).map((r) => toView(r, now));
  return { data, nextOffset: rows.length > page.limit ? page.offset + page.limit : null };
}

/** One conversation's header; `not_found` for an unknown id. */
export async function getConversationView(db: Kysely<Database>, id: string, now: number): Promise<ConversationView> {
  const row = await (await baseQuery(db, now)).where("cv.id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no conversation ${id}`);
  return toView(row, now);
}

/** Conversations changed at or after `since` (the live stream), oldest change first, at most `limit`. */
export async function conversationsChangedSince(
  db: Kysely<Database>,
  since: number,
  now: number,
  limit = 200,
): Promise<ConversationView[]> {
  const rows = await (await baseQuery(db, now))
    .where("cv.updated_at", ">=", since)
    .orderBy("cv.updated_at")
    .limit(limit)
    .execute();
  return rows.map((r) => toView(r, now));
}
