import { type Kysely, sql } from "kysely";

// The lists are written out here, not imported, so this migration stays as shipped when the code's lists grow.
const STATUSES = [
  "DRAFT",
  "PENDING",
  "APPROVED",
  "REJECTED",
  "PAUSED",
  "DISABLED",
  "IN_APPEAL",
  "PENDING_DELETION",
  "DELETED",
  "FLAGGED",
  "LIMIT_EXCEEDED",
  "ARCHIVED",
  "LOCKED",
];
const QUALITIES = ["GREEN", "YELLOW", "RED", "UNKNOWN"];
const SOURCES = ["create", "submit", "webhook", "sync", "delete"];
const oneOf = (column: string, values: string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;

/** Message templates (one row per WABA, name and language) and their status timeline. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("templates")
    .addColumn("id", "text", (c) => c.primaryKey())
    // '' = a draft not yet tied to a WABA. Not NULL, so the unique index below also keeps two such drafts
    // from sharing a name and language (NULLs are distinct in unique indexes on both databases).
    .addColumn("waba_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("sender_id", "text", (c) => c.references("senders.id").onDelete("set null"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) =>
      c.notNull().check(oneOf("category", ["MARKETING", "UTILITY", "AUTHENTICATION"])),
    )
    .addColumn("parameter_format", "text", (c) => c.notNull().check(oneOf("parameter_format", ["POSITIONAL", "NAMED"])))
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(oneOf("status", STATUSES)))
    .addColumn("rejected_reason", "text")
    .addColumn("quality", "text", (c) => c.notNull().defaultTo("UNKNOWN").check(oneOf("quality", QUALITIES)))
    .addColumn("provider_template_id", "text")
    .addColumn("lint", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("submitted_at", "bigint")
    .addColumn("status_changed_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    // A template that reached Meta has Meta's id; a draft never has a WABA-less provider id.
    .addCheckConstraint("templates_provider_id_has_waba", sql`provider_template_id is null or waba_id <> ''`)
    .addCheckConstraint("templates_draft_not_submitted", sql`status <> 'DRAFT' or submitted_at is null`)
    .execute();
  // Meta keys a template by (WABA, name, language). Deleted rows stay for their history and are left out, so the
  // name can be used again (Meta itself may refuse a deleted name for a while; its error then says so).
  await db.schema
    .createIndex("templates_waba_name_language_uq")
    .on("templates")
    .columns(["waba_id", "name", "language"])
    .unique()
    .where(sql<boolean>`status <> 'DELETED'`)
    .execute();
  await db.schema
    .createIndex("templates_provider_id")
    .on("templates")
    .columns(["waba_id", "provider_template_id"])
    .execute();
  await db.schema.createIndex("templates_status").on("templates").columns(["status", "id"]).execute();

  await db.schema
    .createTable("template_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("template_id", "text", (c) => c.notNull().references("templates.id").onDelete("cascade"))
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull().check(oneOf("source", SOURCES)))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(oneOf("status", STATUSES)))
    .addColumn("previous_status", "text")
    .addColumn("reason", "text")
    .addColumn("quality", "text")
    .addColumn("category", "text")
    .execute();
  await db.schema
    .createIndex("template_history_template")
    .on("template_history")
    .columns(["template_id", "at"])
    .execute();
}

/** Drops the template tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("template_history").execute();
  await db.schema.dropTable("templates").execute();
}
