import { randomBytes } from "node:crypto";
import type { Kysely, Selectable, Transaction } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { isWebhookEventType, type WebhookEventType } from "../domain/webhooks/events.js";
import { webhookUrlIssues } from "../domain/webhooks/url.js";
import { newId } from "../ids.js";
import type { SecretBox } from "../secret-box.js";
import type { Database } from "./schema.js";
import type { WebhookSubscriptionsTable } from "./tables/webhook-subscriptions.js";
import { forgetSubscriptionCache } from "./webhook-outbox.js";

type Db = Kysely<Database> | Transaction<Database>;
type Row = Selectable<WebhookSubscriptionsTable>;

/** A subscription as the API shows it: never its secret. */
export interface WebhookSubscription {
  id: string;
  name: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** Back-off after failures: nothing is sent before this time. */
  holdUntil: number | null;
  consecutiveFailures: number;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  /** Events waiting to be delivered, and parked after the last attempt failed. */
  pending: number;
  parked: number;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookSubscriptionInput {
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
}

/** The associated data the secret is sealed with: it opens only in its own row. */
function secretContext(id: string): string {
  return `webhook_subscriptions:${id}:secret`;
}

/** A fresh signing secret: 256 random bits, prefixed so it is recognisable in a CRM's settings. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

function validate(input: Partial<WebhookSubscriptionInput>): void {
  const issues = input.url === undefined ? [] : webhookUrlIssues(input.url);
  if (input.name !== undefined && input.name.trim() === "") issues.push({ path: "name", message: "must not be empty" });
  if (input.events !== undefined) {
    if (input.events.length === 0) issues.push({ path: "events", message: "pick at least one event type" });
    input.events.forEach((type, i) => {
      if (!isWebhookEventType(type)) issues.push({ path: `events.${i}`, message: `unknown event type ${type}` });
    });
  }
  if (issues.length > 0) throw new HeraldError("validation_failed", issues[0]?.message ?? "invalid", { issues });
}

async function setEvents(db: Db, id: string, events: string[]): Promise<void> {
  await db.deleteFrom("webhook_subscription_events").where("subscription_id", "=", id).execute();
  const unique = [...new Set(events)];
  await db
    .insertInto("webhook_subscription_events")
    .values(unique.map((event_type) => ({ subscription_id: id, event_type })))
    .execute();
}

async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}

/** Creates a subscription with a new signing secret; the secret is returned here once and never again. */
export async function createWebhookSubscription(
  db: Db,
  box: SecretBox,
  input: WebhookSubscriptionInput,
  actor: { userId: string | null },
  now: number,
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  validate(input);
  const id = newId(now);
  const secret = newSigningSecret();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto("webhook_subscriptions")
      .values({
        id,
        name: input.name.trim(),
        url: input.url,
        secret_sealed: box.seal(secret, secretContext(id)),
        enabled: input.enabled ? 1 : 0,
        hold_until: null,
        consecutive_failures: 0,
        lease_owner: null,
        lease_until: null,
        last_attempt_at: null,
        last_success_at: null,
        last_status_code: null,
        last_error: null,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await setEvents(trx, id, input.events);
  });
  forgetSubscriptionCache();
  return { subscription: await getWebhookSubscription(db, id), secret };
}

/** Changes name, URL, events or enabled; fields left out stay. Re-enabling clears the back-off. */
export async function updateWebhookSubscription(
  db: Db,
  id: string,
  input: Partial<WebhookSubscriptionInput>,
  now: number,
): Promise<WebhookSubscription> {
  validate(input);
  await getRow(db, id);
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable("webhook_subscriptions")
      .set({
        updated_at: now,
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.enabled !== undefined
          ? { enabled: input.enabled ? 1 : 0, ...(input.enabled ? { hold_until: null } : {}) }
          : {}),
      })
      .where("id", "=", id)
      .execute();
    if (input.events !== undefined) await setEvents(trx, id, input.events);
  });
  forgetSubscriptionCache();
  return getWebhookSubscription(db, id);
}

/** Replaces the signing secret; the new one is returned once. */
export async function rotateWebhookSecret(
  db: Db,
  box: SecretBox,
  id: string,
  now: number,
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  await getRow(db, id);
  const secret = newSigningSecret();
  await db
    .updateTable("webhook_subscriptions")
    .set({ secret_sealed: box.seal(secret, secretContext(id)), updated_at: now })
    .where("id", "=", id)
    .execute();
  return { subscription: await getWebhookSubscription(db, id), secret };
}

/** Deletes a subscription and its outbox rows (the foreign keys cascade). */
export async function deleteWebhookSubscription(db: Db, id: string): Promise<void> {
  await getRow(db, id);
  await inTransaction(db, async (trx) => {
    // Explicit deletes: SQLite enforces ON DELETE CASCADE only with foreign_keys=ON, which tests may not set.
    await trx.deleteFrom("webhook_deliveries").where("subscription_id", "=", id).execute();
    await trx.deleteFrom("webhook_subscription_events").where("subscription_id", "=", id).execute();
    await trx.deleteFrom("webhook_subscriptions").where("id", "=", id).execute();
  });
  forgetSubscriptionCache();
}

async function getRow(db: Db, id: string): Promise<Row> {
  const row = await db.selectFrom("webhook_subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `webhook subscription ${id} not found`);
  return row;
}

/** The signing secret of a subscription, opened (for the notifier only). */
export function openSigningSecret(box: SecretBox, row: Pick<Row, "id" | "secret_sealed">): string {
  return box.open(row.secret_sealed, secretContext(row.id));
}

async function views(db: Db, rows: Row[]): Promise<WebhookSubscription[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const events = await db
    .selectFrom("webhook_subscription_events")
    .select(["subscription_id", "event_type"])
    .where("subscription_id", "in", ids)
    .execute();
  const counts = await db
    .selectFrom("webhook_deliveries")
    .select(["subscription_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("subscription_id", "in", ids)
    .where("status", "in", ["pending", "parked"])
    .groupBy(["subscription_id", "status"])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    url: r.url,
    events: events
      .filter((e) => e.subscription_id === r.id)
      .map((e) => e.event_type)
      .filter(isWebhookEventType)
      .sort(),
    enabled: r.enabled === 1,
    holdUntil: r.hold_until,
    consecutiveFailures: r.consecutive_failures,
    lastAttemptAt: r.last_attempt_at,
    lastSuccessAt: r.last_success_at,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    pending: Number(counts.find((c) => c.subscription_id === r.id && c.status === "pending")?.n ?? 0),
    parked: Number(counts.find((c) => c.subscription_id === r.id && c.status === "parked")?.n ?? 0),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** One subscription; `not_found` when absent. */
export async function getWebhookSubscription(db: Db, id: string): Promise<WebhookSubscription> {
  const [view] = await views(db, [await getRow(db, id)]);
  if (!view) throw new HeraldError("not_found", `webhook subscription ${id} not found`);
  return view;
}

/** Every subscription, oldest first. */
export async function listWebhookSubscriptions(db: Db): Promise<WebhookSubscription[]> {
  return views(db, await db.selectFrom("webhook_subscriptions").selectAll().orderBy("id").execute());
}
