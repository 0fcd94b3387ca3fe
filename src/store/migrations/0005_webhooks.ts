import { type Kysely, sql } from "kysely";

/** The durable inbox of webhook POSTs: stored before the 200, applied by the applier, parked after repeated failures. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("webhook_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("received_at", "bigint", (c) => c.notNull())
    .addColumn("sender_id", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'applied', 'parked')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "bigint")
    .addColumn("applied_at", "bigint")
    .addColumn("last_error", "text")
    .addColumn("kinds", "text")
    .addColumn("unhandled", "text")
    // An applied row has its time; a parked row has its error (River's finalized_or_finalized_at_null idea).
    .addCheckConstraint("webhook_events_applied_has_time", sql`status <> 'applied' or applied_at is not null`)
    .addCheckConstraint("webhook_events_parked_has_error", sql`status <> 'parked' or last_error is not null`)
    .execute();
  await db.schema
    .createIndex("webhook_events_due_idx")
    .on("webhook_events")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema.createIndex("webhook_events_received_idx").on("webhook_events").column("received_at").execute();
}

/** Drops the webhook inbox. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("webhook_events").execute();
}
