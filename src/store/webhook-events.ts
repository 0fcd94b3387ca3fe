import type { Kysely, Selectable, Transaction } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { newId } from "../ids.js";
import type { DialectAdapter } from "./dialect.js";
import type { Database } from "./schema.js";
import type { WebhookEventsTable } from "./tables/webhooks.js";

type Db = Kysely<Database> | Transaction<Database>;
export type WebhookEventRow = Selectable<WebhookEventsTable>;

/** Stores one verified webhook POST as pending; the caller answers 200 only after this resolves. */
export async function insertWebhookEvent(
  db: Db,
  input: { senderId: string | null; body: string },
  now: number,
): Promise<string> {
  const [id] = await insertWebhookEvents(db, [input], now);
  return id as string;
}

/**
 * Stores several verified POSTs in one statement (the intake's group commit: POSTs that arrive together share one
 * commit instead of one each). Returns their ids in input order; ids rise with the order.
 */
export async function insertWebhookEvents(
  db: Db,
  inputs: readonly { senderId: string | null; body: string }[],
  now: number,
): Promise<string[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((input) => ({
    id: newId(now),
    received_at: now,
    sender_id: input.senderId,
    body: input.body,
    status: "pending" as const,
    attempts: 0,
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
    applied_at: null,
    last_error: null,
    kinds: null,
    unhandled: null,
  }));
  // 13 values a row: 500 rows stay far below SQLite's 32,766 bound parameters per statement.
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("webhook_events")
      .values(rows.slice(i, i + 500))
      .execute();
  return rows.map((r) => r.id);
}

/**
 * Claims up to `limit` due events for `owner` until `leaseUntil`, oldest first, in one statement.
 * On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several appliers claim disjoint batches; SQLite
 * serialises writers, so the same UPDATE … WHERE id IN (SELECT …) is already exclusive there.
 */
export async function claimWebhookEvents(
  db: Db,
  dialect: DialectAdapter,
  input: { owner: string; limit: number; leaseUntil: number },
  now: number,
): Promise<WebhookEventRow[]> {
  const due = db
    .selectFrom("webhook_events")
    .select("id")
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .orderBy("received_at")
    .orderBy("id")
    .limit(input.limit)
    .$if(dialect.supportsSkipLocked, (q) => q.forUpdate().skipLocked());
  return db
    .updateTable("webhook_events")
    .set({ lease_owner: input.owner, lease_until: input.leaseUntil })
    .where("id", "in", due)
    .returningAll()
    .execute();
}

export interface AppliedOutcome {
  id: string;
  kinds: Record<string, number>;
  unhandled: Record<string, number>;
}

/** Marks claimed events applied, in one statement per distinct outcome; only rows this owner still leases. */
export async function markWebhookEventsApplied(
  db: Db,
  owner: string,
  outcomes: AppliedOutcome[],
  now: number,
): Promise<void> {
  // A campaign's status POSTs mostly share one outcome ({"status": n} with the same n): one UPDATE for all of them.
  const groups = new Map<string, { kinds: string; unhandled: string | null; ids: string[] }>();
  for (const o of outcomes) {
    const kinds = JSON.stringify(o.kinds);
    const unhandled = Object.keys(o.unhandled).length > 0 ? JSON.stringify(o.unhandled) : null;
    const key = `${kinds}|${unhandled}`;
    const group = groups.get(key);
    if (group) group.ids.push(o.id);
    else groups.set(key, { kinds, unhandled, ids: [o.id] });
  }
  for (const group of groups.values()) {
    await db
      .updateTable("webhook_events")
      .set({
        status: "applied",
        applied_at: now,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        kinds: group.kinds,
        unhandled: group.unhandled,
      })
      .where("id", "in", group.ids)
      .where("lease_owner", "=", owner)
      .execute();
  }
}

/**
 * Records a failed attempt: retried at `retryAt`, or parked with its error once `park` is true.
 * Only rows this owner still leases are touched, so a late worker cannot overwrite a result.
 */
export async function markWebhookEventFailed(
  db: Db,
  owner: string,
  input: { id: string; error: string; retryAt: number; park: boolean },
): Promise<void> {
  await db
    .updateTable("webhook_events")
    .set((eb) => ({
      status: input.park ? "parked" : "pending",
      attempts: eb("attempts", "+", 1),
      next_attempt_at: input.retryAt,
      last_error: input.error.slice(0, 2000),
      lease_owner: null,
      lease_until: null,
    }))
    .where("id", "=", input.id)
    .where("lease_owner", "=", owner)
    .execute();
}

/** A stored event as the API shows it (the body is included only on request). */
export interface WebhookEventView {
  id: string;
  receivedAt: number;
  senderId: string | null;
  status: WebhookEventsTable["status"];
  attempts: number;
  appliedAt: number | null;
  lastError: string | null;
  kinds: Record<string, number> | null;
  unhandled: Record<string, number> | null;
  body?: unknown;
}

function toView(row: WebhookEventRow, withBody: boolean): WebhookEventView {
  const view: WebhookEventView = {
    id: row.id,
    receivedAt: row.received_at,
    senderId: row.sender_id,
    status: row.status,
    attempts: row.attempts,
    appliedAt: row.applied_at,
    lastError: row.last_error,
    kinds: row.kinds ? (JSON.parse(row.kinds) as Record<string, number>) : null,
    unhandled: row.unhandled ? (JSON.parse(row.unhandled) as Record<string, number>) : null,
  };
  if (withBody) view.body = JSON.parse(row.body) as unknown;
  return view;
}

/** Newest first, optionally only one status or only events with unhandled parts; cursor = the last id seen. */
export async function listWebhookEvents(
  db: Db,
  query: { status?: WebhookEventsTable["status"]; unhandledOnly?: boolean; limit: number; before?: string },
): Promise<{ data: WebhookEventView[]; nextCursor: string | null }> {
  const rows = await db
    .selectFrom("webhook_events")
    .selectAll()
    .$if(query.status !== undefined, (q) => q.where("status", "=", query.status!))
    .$if(query.unhandledOnly === true, (q) => q.where("unhandled", "is not", null))
    .$if(query.before !== undefined, (q) => q.where("id", "<", query.before!))
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return {
    data: page.map((r) => toView(r, false)),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** One stored event with its body; `not_found` when absent. */
export async function getWebhookEvent(db: Db, id: string): Promise<WebhookEventView> {
  const row = await db.selectFrom("webhook_events").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `webhook event ${id} not found`);
  return toView(row, true);
}

/** Puts a parked event back in the queue (after the cause was fixed). */
export async function retryWebhookEvent(db: Db, id: string, now: number): Promise<WebhookEventView> {
  const result = await db
    .updateTable("webhook_events")
    .set({ status: "pending", next_attempt_at: now, lease_owner: null, lease_until: null })
    .where("id", "=", id)
    .where("status", "=", "parked")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    await getWebhookEvent(db, id);
    throw new HeraldError("conflict", `webhook event ${id} is not parked`);
  }
  return getWebhookEvent(db, id);
}
