import { type Kysely, sql } from "kysely";

/** Sender numbers: the WhatsApp business phone numbers Herald sends from, with sealed credentials. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("senders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull().check(sql`provider in ('cloud', 'sandbox')`))
    .addColumn("phone_number_id", "text", (c) => c.notNull())
    .addColumn("waba_id", "text", (c) => c.notNull())
    .addColumn("display_phone_number", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("api_origin", "text")
    .addColumn("api_version", "text", (c) => c.notNull())
    // AES-256-GCM sealed (src/secret-box.ts), bound to the row id and column name.
    .addColumn("access_token_sealed", "text", (c) => c.notNull())
    .addColumn("app_secret_sealed", "text", (c) => c.notNull())
    .addColumn("verify_token_sealed", "text", (c) => c.notNull())
    .addColumn("mps_limit", "integer", (c) => c.notNull().check(sql`mps_limit between 1 and 1000`))
    .addColumn("messaging_tier", "text", (c) => c.notNull())
    .addColumn("quality_rating", "text", (c) =>
      c.notNull().check(sql`quality_rating in ('GREEN', 'YELLOW', 'RED', 'UNKNOWN')`),
    )
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0).check(sql`disabled in (0, 1)`))
    .addColumn("last_checked_at", "bigint")
    .addColumn("last_check_error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  // One row per (provider, phone number id): webhooks are routed by phone_number_id.
  await db.schema
    .createIndex("senders_phone_number_uq")
    .on("senders")
    .columns(["provider", "phone_number_id"])
    .unique()
    .execute();
}

/** Drops the senders table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("senders").execute();
}
