import { type Kysely, sql } from "kysely";

/**
 * The team inbox: conversations (one per contact × sender number), first-response records, authors of agent
 * replies, canned replies and the inbox settings row (the high-value tag or segment; VIP by default).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("conversations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("contact_seq", "integer", (c) => c.notNull().references("contacts.seq").onDelete("cascade"))
    .addColumn("sender_id", "text", (c) => c.notNull().references("senders.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open', 'pending', 'closed')`))
    .addColumn("assigned_to", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("last_inbound_at", "bigint")
    .addColumn("last_outbound_at", "bigint")
    .addColumn("last_message_at", "bigint", (c) => c.notNull())
    .addColumn("last_preview", "text")
    .addColumn("unread", "integer", (c) => c.notNull().defaultTo(0).check(sql`unread >= 0`))
    .addColumn("waiting_since", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  // One conversation per contact and number: the inbound handler upserts on it.
  await db.schema
    .createIndex("conversations_contact_sender_uq")
    .on("conversations")
    .columns(["contact_seq", "sender_id"])
    .unique()
    .execute();
  await db.schema
    .createIndex("conversations_status_idx")
    .on("conversations")
    .columns(["status", "waiting_since"])
    .execute();
  await db.schema.createIndex("conversations_updated_idx").on("conversations").columns(["updated_at"]).execute();
  await db.schema
    .createIndex("conversations_assigned_idx")
    .on("conversations")
    .columns(["assigned_to", "status"])
    .execute();

  await db.schema
    .createTable("conversation_responses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id").onDelete("cascade"))
    .addColumn("waiting_since", "bigint", (c) => c.notNull())
    .addColumn("responded_at", "bigint", (c) => c.notNull())
    .addColumn("response_ms", "bigint", (c) => c.notNull().check(sql`response_ms >= 0`))
    .addColumn("responder", "text", (c) => c.notNull().check(sql`responder in ('agent', 'auto')`))
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    // A reply answers at most one waiting period.
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createIndex("conversation_responses_time_idx")
    .on("conversation_responses")
    .columns(["responded_at"])
    .execute();
  await db.schema
    .createIndex("conversation_responses_conversation_idx")
    .on("conversation_responses")
    .columns(["conversation_id", "responded_at"])
    .execute();

  await db.schema
    .createTable("conversation_replies")
    .addColumn("message_id", "text", (c) => c.primaryKey().references("messages.id").onDelete("cascade"))
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("canned_replies")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("shortcut", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("canned_replies_shortcut_uq")
    .on("canned_replies")
    .columns(["shortcut", "language"])
    .unique()
    .execute();

  await db.schema
    .createTable("inbox_settings")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("priority_tag", "text")
    .addColumn("priority_segment_id", "text", (c) => c.references("segments.id").onDelete("set null"))
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await sql`insert into inbox_settings (id, priority_tag, priority_segment_id, updated_at) values (1, 'VIP', null, 0)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("inbox_settings").execute();
  await db.schema.dropTable("canned_replies").execute();
  await db.schema.dropTable("conversation_replies").execute();
  await db.schema.dropTable("conversation_responses").execute();
  await db.schema.dropTable("conversations").execute();
}
