import { type Kysely, sql } from "kysely";

/** Keyword auto-replies: rules, guard settings, runs (one per answered inbound message) and hand-overs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("automation_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1).check(sql`enabled in (0, 1)`))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("conditions", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("actions", "text", (c) => c.notNull())
    .addColumn("matches", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("replies", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("last_matched_at", "bigint")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("automation_rules_position_idx").on("automation_rules").column("position").execute();

  await db.schema
    .createTable("automation_settings")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("max_replies_per_hour", "integer", (c) => c.notNull())
    .addColumn("loop_max_replies", "integer", (c) => c.notNull())
    .addColumn("loop_window_minutes", "integer", (c) => c.notNull())
    .addColumn("rules_version", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("automation_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    // The reply is written at most once per inbound message, whatever retries or redeliveries happen.
    .addColumn("inbound_message_id", "text", (c) =>
      c.notNull().unique().references("inbound_messages.id").onDelete("cascade"),
    )
    .addColumn("rule_id", "text", (c) => c.references("automation_rules.id").onDelete("set null"))
    .addColumn("contact_seq", "integer", (c) => c.notNull().references("contacts.seq").onDelete("cascade"))
    .addColumn("sender_id", "text")
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('replied', 'suppressed', 'no_reply')`))
    .addColumn("detail", "text")
    .addColumn("message_id", "text", (c) => c.references("messages.id").onDelete("set null"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addCheckConstraint("automation_runs_replied_has_message", sql`outcome <> 'replied' or message_id is not null`)
    .execute();
  // The guards read a contact's recent automatic replies on every inbound message.
  await db.schema
    .createIndex("automation_runs_contact_idx")
    .on("automation_runs")
    .columns(["contact_seq", "created_at"])
    .execute();
  await db.schema
    .createIndex("automation_runs_rule_idx")
    .on("automation_runs")
    .columns(["rule_id", "created_at"])
    .execute();

  await db.schema
    .createTable("automation_handovers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("contact_seq", "integer", (c) => c.notNull().references("contacts.seq").onDelete("cascade"))
    .addColumn("sender_id", "text")
    .addColumn("inbound_message_id", "text", (c) =>
      c.notNull().unique().references("inbound_messages.id").onDelete("cascade"),
    )
    .addColumn("rule_id", "text", (c) => c.references("automation_rules.id").onDelete("set null"))
    .addColumn("note", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("resolved_at", "bigint")
    .execute();
  await db.schema
    .createIndex("automation_handovers_open_idx")
    .on("automation_handovers")
    .columns(["resolved_at", "created_at"])
    .execute();
  await db.schema
    .createIndex("automation_handovers_contact_idx")
    .on("automation_handovers")
    .columns(["contact_seq", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("automation_handovers").execute();
  await db.schema.dropTable("automation_runs").execute();
  await db.schema.dropTable("automation_settings").execute();
  await db.schema.dropTable("automation_rules").execute();
}
