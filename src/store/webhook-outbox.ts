/**
 * The outbox of outbound webhooks (issue 6): one `webhook_deliveries` row per (event, subscription that wants its
 * type), written by the code that makes the change, in its transaction, so an event exists exactly when its change
 * committed. engine/notifier.ts delivers the rows. Writers pay one statement per batch of events, and nothing at
 * all when no enabled subscription wants the type (the wanted types are cached, see `wantedTypes`).
 */
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { HeraldError } from "../domain/errors.js";
import type { OutboundEvent } from "../domain/webhooks/events.js";
import { newId } from "../ids.js";
import { type DialectAdapter, dialectOf, type JsonColumn } from "./dialect.js";
import type { Database } from "./schema.js";
import type {
  WebhookDeliveriesTable,
  WebhookDeliveryStatus,
  WebhookSubscriptionsTable,
} from "./tables/webhook-subscriptions.js";

type Db = Kysely<Database> | Transaction<Database>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;

/** An event to record: its id is given by the outbox. */
export type NewOutboundEvent = Omit<OutboundEvent, "id"> & { type: OutboundEvent["type"] };

// ---------- which types are wanted (cached) ----------

// How long a process trusts its list of wanted types. A subscription created or changed in this process is seen at
// once (the cache is dropped); one changed in another process (several API/worker processes on PostgreSQL) is seen
// within this time.
const WANTED_TTL_MS = 1_000;
let generation = 0;
// Keyed by the Kysely handle or transaction: a transaction reads the list once however many events it writes, and
// two databases in one process (tests) never share an entry.
const wantedCache = new WeakMap<object, { at: number; generation: number; types: ReadonlySet<string> }>();

/** Drops every cached list of wanted types (after a subscription changed). */
export function forgetSubscriptionCache(): void {
  generation += 1;
}

/** The event types at least one enabled subscription wants. */
export async function wantedTypes(db: Db, now: number): Promise<ReadonlySet<string>> {
  const hit = wantedCache.get(db);
  if (hit && hit.generation === generation && now - hit.at < WANTED_TTL_MS && now >= hit.at) return hit.types;
  const rows = await db
    .selectFrom("webhook_subscription_events as e")
    .innerJoin("webhook_subscriptions as s", "s.id", "e.subscription_id")
    .select("e.event_type")
    .distinct()
    .where("s.enabled", "=", 1)
    .execute();
  const types = new Set(rows.map((r) => r.event_type));
  wantedCache.set(db, { at: now, generation, types });
  return types;
}

// ---------- writing events ----------

const EVENT_COLUMNS: readonly JsonColumn[] = [
  { name: "event_id", type: "text" },
  { name: "event_type", type: "text" },
  { name: "occurred_at", type: "bigint" },
  { name: "data", type: "text" },
  { name: "ord", type: "bigint" },
];
// Events per statement: the JSON parameter of 2,000 status events is ~600 KB.
const EVENTS_PER_STATEMENT = 2_000;

/**
 * Records events for every enabled subscription that wants their type, in the caller's transaction: one
 * INSERT … SELECT per 2,000 events, fanned out to subscriptions by a join. Returns the rows written.
 */
export async function enqueueWebhookEvents(db: Db, events: readonly NewOutboundEvent[], now: number): Promise<number> {
  if (events.length === 0) return 0;
  const wanted = await wantedTypes(db, now);
  if (wanted.size === 0) return 0;
  const chosen = events.filter((e) => wanted.has(e.type) || e.type === "webhook.test");
  if (chosen.length === 0) return 0;
  const dialect = dialectOf(db);
  let written = 0;
  for (let i = 0; i < chosen.length; i += EVENTS_PER_STATEMENT) {
    const part = chosen.slice(i, i + EVENTS_PER_STATEMENT);
    const json = JSON.stringify(part.map((e, i) => [newId(now), e.type, e.occurredAt, JSON.stringify(e.data), i]));
    const source = dialect.jsonRows(json, EVENT_COLUMNS);
    // Ordered by the source's position so `seq` follows the order the events happened in.
    const result = await sql`insert into webhook_deliveries
        (subscription_id, event_id, event_type, occurred_at, data, status, attempts, next_attempt_at, created_at)
      select se.subscription_id, x.event_id, x.event_type, x.occurred_at, x.data, 'pending', 0, ${now}, ${now}
      from ${source} as x
      join webhook_subscription_events se on se.event_type = x.event_type
      join webhook_subscriptions s on s.id = se.subscription_id and s.enabled = 1
      order by x.ord`.execute(db);
    written += Number(result.numAffectedRows ?? 0);
  }
  return written;
}

// ---------- the notifier's side ----------

/**
 * Claims up to `limit` enabled subscriptions with pending events and no back-off, for `owner` until `leaseUntil`,
 * in one statement. One POST at a time per subscription keeps its events in order; on PostgreSQL, SKIP LOCKED lets
 * several notifiers share the subscriptions.
 */
export async function claimDueSubscriptions(
  db: Db,
  dialect: DialectAdapter,
  input: { owner: string; limit: number; leaseUntil: number },
  now: number,
): Promise<SubscriptionRow[]> {
  const due = db
    .selectFrom("webhook_subscriptions as s")
    .select("s.id")
    .where("s.enabled", "=", 1)
    .where((eb) => eb.or([eb("s.lease_until", "is", null), eb("s.lease_until", "<", now)]))
    .where((eb) => eb.or([eb("s.hold_until", "is", null), eb("s.hold_until", "<=", now)]))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("webhook_deliveries as d")
          .select("d.seq")
          .whereRef("d.subscription_id", "=", "s.id")
          .where("d.status", "=", "pending"),
      ),
    )
    .orderBy("s.id")
    .limit(input.limit)
    .$if(dialect.supportsSkipLocked, (q) => q.forUpdate().skipLocked());
  return db
    .updateTable("webhook_subscriptions")
    .set({ lease_owner: input.owner, lease_until: input.leaseUntil })
    .where("id", "in", due)
    .returningAll()
    .execute();
}

/** The oldest pending events of a subscription, in the order they happened. */
export async function headOfQueue(db: Db, subscriptionId: string, limit: number): Promise<WebhookDeliveryRow[]> {
  return db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .where("status", "=", "pending")
    .orderBy("seq")
    .limit(limit)
    .execute();
}

/** What one POST of a subscription's events came to. */
export type DeliveryResult =
  | { ok: true; statusCode: number; at: number }
  | { ok: false; statusCode: number | null; error: string; at: number; retryAt: number; maxAttempts: number };

/**
 * Records the result of one POST for the events it carried, and releases the subscription, in one transaction.
 * Guarded by the lease: a notifier that lost its lease (it took longer than the lease) writes nothing, and the
 * events are sent again (at least once). On failure, each event's attempt is counted; an event that reached
 * `maxAttempts` is parked, the others wait until `retryAt` (the subscription is held until then, keeping order).
 * Returns false when the lease was lost.
 */
export async function finishDelivery(
  db: Kysely<Database>,
  owner: string,
  subscriptionId: string,
  seqs: readonly number[],
  result: DeliveryResult,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const released = await trx
      .updateTable("webhook_subscriptions")
      .set(
        result.ok
          ? {
              lease_owner: null,
              lease_until: null,
              hold_until: null,
              consecutive_failures: 0,
              last_attempt_at: result.at,
              last_success_at: result.at,
              last_status_code: result.statusCode,
              last_error: null,
            }
          : (eb) => ({
              lease_owner: null,
              lease_until: null,
              hold_until: result.retryAt,
              consecutive_failures: eb("consecutive_failures", "+", 1),
              last_attempt_at: result.at,
              last_status_code: result.statusCode,
              last_error: result.error.slice(0, 500),
            }),
      )
      .where("id", "=", subscriptionId)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    if (Number(released.numUpdatedRows) === 0) return false;
    if (seqs.length === 0) return true;
    const rows = trx
      .updateTable("webhook_deliveries")
      .where("subscription_id", "=", subscriptionId)
      .where("seq", "in", [...seqs])
      .where("status", "=", "pending");
    if (result.ok) {
      await rows
        .set((eb) => ({
          status: "delivered",
          delivered_at: result.at,
          attempts: eb("attempts", "+", 1),
          last_attempt_at: result.at,
          last_status_code: result.statusCode,
          last_error: null,
        }))
        .execute();
    } else {
      await rows
        .set((eb) => ({
          status: sql<WebhookDeliveryStatus>`case when ${eb.ref("attempts")} + 1 >= ${result.maxAttempts} then 'parked' else 'pending' end`,
          attempts: eb("attempts", "+", 1),
          next_attempt_at: result.retryAt,
          last_attempt_at: result.at,
          last_status_code: result.statusCode,
          last_error: result.error.slice(0, 500),
        }))
        .execute();
      // Nothing left waiting: no reason to hold the subscription back.
      const left = await trx
        .selectFrom("webhook_deliveries")
        .select("seq")
        .where("subscription_id", "=", subscriptionId)
        .where("status", "=", "pending")
        .limit(1)
        .executeTakeFirst();
      if (!left)
        await trx
          .updateTable("webhook_subscriptions")
          .set({ hold_until: null })
          .where("id", "=", subscriptionId)
          .execute();
    }
    return true;
  });
}

/** Deletes delivered events older than `before`, at most `limit` per call; returns how many. */
export async function pruneWebhookDeliveries(db: Db, before: number, limit: number): Promise<number> {
  const old = db
    .selectFrom("webhook_deliveries")
    .select("seq")
    .where("status", "=", "delivered")
    .where("delivered_at", "<", before)
    .limit(limit);
  const result = await db.deleteFrom("webhook_deliveries").where("seq", "in", old).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---------- the delivery log ----------

/** One event of a subscription's delivery log. */
export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  type: string;
  occurredAt: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  data?: unknown;
}

function toView(row: WebhookDeliveryRow, withData: boolean): WebhookDeliveryView {
  return {
    id: String(row.seq),
    eventId: row.event_id,
    type: row.event_type,
    occurredAt: row.occurred_at,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    ...(withData ? { data: JSON.parse(row.data) as unknown } : {}),
  };
}

/** A subscription's events, newest first, optionally of one status; cursor = the last id seen. */
export async function listWebhookDeliveries(
  db: Db,
  subscriptionId: string,
  query: { status?: WebhookDeliveryStatus; limit: number; before?: number; withData?: boolean },
): Promise<{ data: WebhookDeliveryView[]; nextCursor: string | null }> {
  const rows = await db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .$if(query.status !== undefined, (q) => q.where("status", "=", query.status!))
    .$if(query.before !== undefined, (q) => q.where("seq", "<", query.before!))
    .orderBy("seq", "desc")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return {
    data: page.map((r) => toView(r, query.withData === true)),
    nextCursor: rows.length > query.limit ? String(page.at(-1)?.seq ?? "") : null,
  };
}

/**
 * Sends one event again (parked after its attempts ran out, or delivered and wanted again): pending, attempts
 * reset, due now. It keeps its place in the queue (its `seq`), so it goes before newer events.
 */
export async function redeliverWebhookDelivery(
  db: Db,
  subscriptionId: string,
  seq: number,
  now: number,
): Promise<WebhookDeliveryView> {
  const row = await db
    .updateTable("webhook_deliveries")
    .set({ status: "pending", attempts: 0, next_attempt_at: now, delivered_at: null })
    .where("subscription_id", "=", subscriptionId)
    .where("seq", "=", seq)
    .where("status", "in", ["parked", "delivered"])
    .returningAll()
    .executeTakeFirst();
  if (row) return toView(row, false);
  const current = await db
    .selectFrom("webhook_deliveries")
    .select("status")
    .where("subscription_id", "=", subscriptionId)
    .where("seq", "=", seq)
    .executeTakeFirst();
  if (!current) throw new HeraldError("not_found", `delivery ${seq} of subscription ${subscriptionId} not found`);
  throw new HeraldError("conflict", `delivery ${seq} is already pending`);
}

/** Puts every parked event of a subscription back in its queue; returns how many. */
export async function redeliverParked(db: Db, subscriptionId: string, now: number): Promise<number> {
  const result = await db
    .updateTable("webhook_deliveries")
    .set({ status: "pending", attempts: 0, next_attempt_at: now })
    .where("subscription_id", "=", subscriptionId)
    .where("status", "=", "parked")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Records an event sent outside the queue (the "send test event" button), with its result, in the log. */
export async function recordSentEvent(
  db: Db,
  subscriptionId: string,
  event: OutboundEvent,
  result: { ok: boolean; statusCode: number | null; error: string | null; at: number },
): Promise<WebhookDeliveryView> {
  const row = await db
    .insertInto("webhook_deliveries")
    .values({
      subscription_id: subscriptionId,
      event_id: event.id,
      event_type: event.type,
      occurred_at: event.occurredAt,
      data: JSON.stringify(event.data),
      status: result.ok ? "delivered" : "parked",
      attempts: 1,
      next_attempt_at: result.at,
      last_attempt_at: result.at,
      last_status_code: result.statusCode,
      last_error: result.ok ? null : (result.error ?? "failed").slice(0, 500),
      delivered_at: result.ok ? result.at : null,
      created_at: result.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toView(row, false);
}
