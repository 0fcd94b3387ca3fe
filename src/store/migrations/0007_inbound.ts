import { type Kysely, sql } from "kysely";

/**
 * Inbound messages as rows (the inbox, auto-replies, reply rates and "replied to campaign X" read them), and the
 * time a sent message was first answered. The raw webhook stays in webhook_events; a row here is its typed copy.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("inbound_messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    // Meta's wamid: a duplicated webhook delivery finds its row and changes nothing.
    .addColumn("provider_message_id", "text", (c) => c.notNull().unique())
    .addColumn("sender_id", "text")
    .addColumn("contact_seq", "integer", (c) => c.references("contacts.seq").onDelete("cascade"))
    .addColumn("wa_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("text", "text")
    .addColumn("payload", "text")
    .addColumn("context_message_id", "text")
    .addColumn("reply_to_message_id", "text")
    .addColumn("campaign_id", "text", (c) => c.references("campaigns.id").onDelete("set null"))
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("received_at", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("inbound_messages_contact_idx")
    .on("inbound_messages")
    .columns(["contact_seq", "received_at"])
    .execute();
  await db.schema
    .createIndex("inbound_messages_campaign_idx")
    .on("inbound_messages")
    .columns(["campaign_id", "received_at"])
    .execute();
  await db.schema
    .createIndex("inbound_messages_sender_idx")
    .on("inbound_messages")
    .columns(["sender_id", "received_at"])
    .execute();
  await db.schema.alterTable("messages").addColumn("replied_at", "bigint").execute();
  // "Replied to campaign X" and reply rates read replied messages of a campaign.
  await db.schema
    .createIndex("messages_campaign_replied_idx")
    .on("messages")
    .columns(["campaign_id", "replied_at"])
    .where(sql.ref("replied_at"), "is not", null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_campaign_replied_idx").execute();
  await db.schema.alterTable("messages").dropColumn("replied_at").execute();
  await db.schema.dropTable("inbound_messages").execute();
}
