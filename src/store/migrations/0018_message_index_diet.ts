import { type Kysely, sql } from "kysely";

/**
 * Indexes on `messages` that only hold the rows they are read for (partial indexes), so that a message's later
 * status changes (sent → delivered → read, three per message sent) and a launch's skipped rows write fewer B-trees.
 *
 * - `messages_due_idx`: the dispatcher's claim reads queued rows only; with `status` a key column every change of
 *   status moved the row's entry (three times more after the send). Now (sender_id, due_at, id) of queued rows.
 * - `messages_sending_idx`: rows in flight, for the scheduler's lease expiry (it scanned the whole table every
 *   second: 5 ms at 30,000 rows, linear in the table) and a sender take-over's orphans.
 * - `messages_provider_id_uq`: unique over the provider ids that exist; every queued row used to add a NULL entry
 *   (a million at a 1,000,000-recipient launch).
 *
 * The queries that use them compare `status` with a literal ('queued', 'sending'): a planner uses a partial index
 * only when the query's WHERE implies the index's, which a bound parameter does not.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_due_idx").execute();
  await db.schema
    .createIndex("messages_due_idx")
    .on("messages")
    .columns(["sender_id", "due_at", "id"])
    .where(sql.ref("status"), "=", sql.lit("queued"))
    .execute();
  await db.schema
    .createIndex("messages_sending_idx")
    .on("messages")
    .columns(["sender_id", "lease_until"])
    .where(sql.ref("status"), "=", sql.lit("sending"))
    .execute();
  await db.schema.dropIndex("messages_provider_id_uq").execute();
  await db.schema
    .createIndex("messages_provider_id_uq")
    .on("messages")
    .column("provider_message_id")
    .unique()
    .where(sql.ref("provider_message_id"), "is not", null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_provider_id_uq").execute();
  await db.schema
    .createIndex("messages_provider_id_uq")
    .on("messages")
    .column("provider_message_id")
    .unique()
    .execute();
  await db.schema.dropIndex("messages_sending_idx").execute();
  await db.schema.dropIndex("messages_due_idx").execute();
  await db.schema
    .createIndex("messages_due_idx")
    .on("messages")
    .columns(["sender_id", "status", "due_at", "id"])
    .execute();
}
