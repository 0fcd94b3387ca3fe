import { type Kysely, sql } from "kysely";

/** Campaigns and the per-recipient outbox, with the invariants written into the schema (STYLE habit 9). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("campaigns")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(sql`status in ('draft', 'scheduled', 'launching', 'running', 'paused', 'completed', 'cancelled')`),
    )
    .addColumn("sender_id", "text", (c) => c.notNull().references("senders.id"))
    .addColumn("template_id", "text", (c) => c.notNull().references("templates.id"))
    .addColumn("segment_id", "text", (c) => c.references("segments.id").onDelete("set null"))
    .addColumn("variables", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("schedule_kind", "text", (c) => c.notNull().check(sql`schedule_kind in ('now', 'at', 'best_hour')`))
    .addColumn("scheduled_at", "bigint")
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("audience", "text")
    .addColumn("estimate", "text")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("launched_at", "bigint")
    .addColumn("completed_at", "bigint")
    .addColumn("cancelled_at", "bigint")
    .addColumn("last_error", "text")
    .addCheckConstraint("campaigns_scheduled_has_time", sql`schedule_kind <> 'at' or scheduled_at is not null`)
    .addCheckConstraint("campaigns_completed_has_time", sql`status <> 'completed' or completed_at is not null`)
    .addCheckConstraint("campaigns_cancelled_has_time", sql`status <> 'cancelled' or cancelled_at is not null`)
    .execute();
  await db.schema.createIndex("campaigns_status_idx").on("campaigns").columns(["status", "scheduled_at"]).execute();

  await db.schema
    .createTable("messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("campaign_id", "text", (c) => c.references("campaigns.id").onDelete("cascade"))
    .addColumn("contact_seq", "integer", (c) => c.references("contacts.seq").onDelete("set null"))
    .addColumn("sender_id", "text", (c) => c.notNull())
    .addColumn("to_phone", "text", (c) => c.notNull())
    .addColumn("origin", "text", (c) => c.notNull().check(sql`origin in ('campaign', 'test', 'auto_reply', 'agent')`))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(sql`status in ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown')`),
    )
    .addColumn("skip_reason", "text")
    .addColumn("due_at", "bigint", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "bigint")
    .addColumn("provider_message_id", "text")
    .addColumn("error_code", "integer")
    .addColumn("error_message", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("sent_at", "bigint")
    .addColumn("delivered_at", "bigint")
    .addColumn("read_at", "bigint")
    .addColumn("failed_at", "bigint")
    .addColumn("pricing_category", "text")
    .addColumn("billable", "integer")
    // Terminal states carry their evidence: a skip its reason, a failure its code, a send its provider id.
    .addCheckConstraint("messages_skipped_has_reason", sql`status <> 'skipped' or skip_reason is not null`)
    .addCheckConstraint("messages_failed_has_code", sql`status <> 'failed' or error_code is not null`)
    .addCheckConstraint(
      "messages_sent_has_id",
      sql`status not in ('sent', 'delivered', 'read') or (provider_message_id is not null and sent_at is not null)`,
    )
    .addCheckConstraint("messages_sending_has_lease", sql`status <> 'sending' or lease_owner is not null`)
    .execute();
  // Invariant 1: at most one message per (campaign, contact). NULL campaign ids (replies) are distinct on both databases.
  await db.schema
    .createIndex("messages_campaign_contact_uq")
    .on("messages")
    .columns(["campaign_id", "contact_seq"])
    .unique()
    .execute();
  await db.schema
    .createIndex("messages_provider_id_uq")
    .on("messages")
    .column("provider_message_id")
    .unique()
    .execute();
  // The dispatcher's claim: due queued rows of one sender, oldest due first.
  await db.schema.createIndex("messages_due_idx").on("messages").columns(["sender_id", "status", "due_at"]).execute();
  await db.schema
    .createIndex("messages_campaign_status_idx")
    .on("messages")
    .columns(["campaign_id", "status"])
    .execute();
  await db.schema.createIndex("messages_contact_idx").on("messages").columns(["contact_seq", "created_at"]).execute();
}

/** Drops the campaign tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("messages").execute();
  await db.schema.dropTable("campaigns").execute();
}
