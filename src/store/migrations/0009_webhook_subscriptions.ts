import { type Kysely, sql } from "kysely";
import { dialectOf } from "../dialect.js";

/**
 * Outbound webhooks to CRMs (issue 6): subscriptions, the event types each wants, and the durable outbox of
 * events to deliver (one row per event per subscription, written in the transaction of the change it reports).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const key = dialectOf(db).keyType;

  await db.schema
    .createTable("webhook_subscriptions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    // AES-256-GCM under HERALD_SECRET_KEY, bound to this row (src/secret-box.ts); never returned by the API.
    .addColumn("secret_sealed", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1).check(sql`enabled in (0, 1)`))
    // Back-off after a failed POST: nothing is sent to this subscription before this time (keeps its order).
    .addColumn("hold_until", "bigint")
    .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "bigint")
    .addColumn("last_attempt_at", "bigint")
    .addColumn("last_success_at", "bigint")
    .addColumn("last_status_code", "integer")
    .addColumn("last_error", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  // The event filter as rows, so the outbox fan-out is an equality join (no JSON or LIKE in SQL).
  await db.schema
    .createTable("webhook_subscription_events")
    .addColumn("subscription_id", "text", (c) => c.notNull().references("webhook_subscriptions.id").onDelete("cascade"))
    .addColumn("event_type", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("webhook_subscription_events_pk", ["event_type", "subscription_id"])
    .execute();

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("seq", key, (c) => {
      const pk = c.primaryKey();
      return key === "bigint" ? pk.generatedByDefaultAsIdentity() : pk;
    })
    .addColumn("subscription_id", "text", (c) => c.notNull().references("webhook_subscriptions.id").onDelete("cascade"))
    // The event's id, the same for every subscription that receives it (receivers deduplicate on it).
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("occurred_at", "bigint", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'delivered', 'parked')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("last_attempt_at", "bigint")
    .addColumn("last_status_code", "integer")
    .addColumn("last_error", "text")
    .addColumn("delivered_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addCheckConstraint("webhook_deliveries_delivered_has_time", sql`status <> 'delivered' or delivered_at is not null`)
    .addCheckConstraint("webhook_deliveries_parked_has_error", sql`status <> 'parked' or last_error is not null`)
    .execute();
  // The head of each subscription's queue (claim, oldest pending first) and its delivery log (newest first).
  await db.schema
    .createIndex("webhook_deliveries_queue_idx")
    .on("webhook_deliveries")
    .columns(["subscription_id", "status", "seq"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_log_idx")
    .on("webhook_deliveries")
    .columns(["subscription_id", "seq"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_prune_idx")
    .on("webhook_deliveries")
    .columns(["status", "delivered_at"])
    .execute();
}

/** Drops the outbound webhook tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("webhook_deliveries").execute();
  await db.schema.dropTable("webhook_subscription_events").execute();
  await db.schema.dropTable("webhook_subscriptions").execute();
}
