import type { Kysely } from "kysely";

/**
 * A campaign's quiet hours (issue 5): local hours 0–23 in the recipient's time zone, quiet from start up to end
 * (wrapping past midnight when start > end). Both null: no quiet hours — what campaigns made before had.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("campaigns").addColumn("quiet_start_hour", "integer").execute();
  await db.schema.alterTable("campaigns").addColumn("quiet_end_hour", "integer").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("campaigns").dropColumn("quiet_end_hour").execute();
  await db.schema.alterTable("campaigns").dropColumn("quiet_start_hour").execute();
}
