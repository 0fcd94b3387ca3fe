import type { Kysely } from "kysely";

/**
 * The dispatcher's claim reads a sender's due rows in (due_at, id) order, LIMIT one claim. With the index on
 * (sender_id, status, due_at) the id tie-break needed a sort of every due row of the sender at each claim: a
 * campaign's rows share one due time, so claiming 250 of 100,000 sorted all 100,000 (86 µs of CPU per message
 * on SQLite, more than the send itself; bench campaign --part rate). With `id` in the index the claim reads the
 * first rows in order and stops.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_due_idx").execute();
  await db.schema
    .createIndex("messages_due_idx")
    .on("messages")
    .columns(["sender_id", "status", "due_at", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_due_idx").execute();
  await db.schema.createIndex("messages_due_idx").on("messages").columns(["sender_id", "status", "due_at"]).execute();
}
