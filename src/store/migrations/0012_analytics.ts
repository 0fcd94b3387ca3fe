import { type Kysely, sql } from "kysely";

/**
 * Analytics (issue 7): per-recipient short links and their clicks, order attribution, the attribution rule,
 * per-campaign rollups kept current by the engine's analytics loop, snapshots of the slower reports, and the
 * history of each sender's quality rating and tier. Everything but links, clicks and settings is derived.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One short code per (message, button): `/r/:code` redirects to `url` and records the click.
  await db.schema
    .createTable("link_codes")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("campaign_id", "text", (c) => c.references("campaigns.id").onDelete("cascade"))
    .addColumn("contact_seq", "integer", (c) => c.references("contacts.seq").onDelete("set null"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    // The first click by a person (bots and link previews excluded): what rates count, once per message.
    .addColumn("first_click_at", "bigint")
    .addColumn("clicks", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("link_codes_campaign_idx").on("link_codes").columns(["campaign_id"]).execute();
  await db.schema.createIndex("link_codes_message_idx").on("link_codes").columns(["message_id"]).execute();
  await db.schema
    .createIndex("link_codes_contact_idx")
    .on("link_codes")
    .columns(["contact_seq", "first_click_at"])
    .execute();

  await db.schema
    .createTable("link_clicks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull().references("link_codes.code").onDelete("cascade"))
    .addColumn("clicked_at", "bigint", (c) => c.notNull())
    .addColumn("bot", "integer", (c) => c.notNull())
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("link_clicks_code_idx").on("link_clicks").columns(["code", "clicked_at"]).execute();

  // Last-touch attribution: one row per attributed order.
  await db.schema
    .createTable("order_attributions")
    .addColumn("order_id", "text", (c) => c.primaryKey().references("orders.id").onDelete("cascade"))
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("campaign_id", "text", (c) => c.references("campaigns.id").onDelete("cascade"))
    .addColumn("contact_seq", "integer", (c) => c.notNull())
    .addColumn("touch", "text", (c) => c.notNull().check(sql`touch in ('read', 'click')`))
    .addColumn("touch_at", "bigint", (c) => c.notNull())
    .addColumn("placed_at", "bigint", (c) => c.notNull())
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("order_attributions_campaign_idx")
    .on("order_attributions")
    .columns(["campaign_id", "message_id"])
    .execute();

  // One row (id = 1): the attribution rule and the loop's progress through orders.
  await db.schema
    .createTable("analytics_state")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("window_days", "integer", (c) => c.notNull())
    .addColumn("touches", "text", (c) => c.notNull())
    .addColumn("usd_rate", "double precision")
    .addColumn("orders_watermark", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db
    .insertInto("analytics_state" as never)
    .values({
      id: 1,
      window_days: 7,
      touches: "read_or_click",
      usd_rate: null,
      orders_watermark: 0,
      updated_at: 0,
    } as never)
    .execute();

  // Per campaign: every figure of its report, recomputed from its messages by the analytics loop.
  await db.schema
    .createTable("campaign_rollups")
    .addColumn("campaign_id", "text", (c) => c.primaryKey().references("campaigns.id").onDelete("cascade"))
    .addColumn("refreshed_at", "bigint", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .execute();

  // Reports over the whole base (customer value), recomputed on a schedule.
  await db.schema
    .createTable("analytics_snapshots")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("computed_at", "bigint", (c) => c.notNull())
    .addColumn("took_ms", "integer", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sender_quality_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("sender_id", "text", (c) => c.notNull().references("senders.id").onDelete("cascade"))
    .addColumn("quality_rating", "text", (c) => c.notNull())
    .addColumn("messaging_tier", "text", (c) => c.notNull())
    .addColumn("recorded_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("sender_quality_history_idx")
    .on("sender_quality_history")
    .columns(["sender_id", "recorded_at"])
    .execute();

  // The loop reads orders changed since its watermark; today's tier usage reads a sender's messages of the last day.
  await db.schema.createIndex("orders_updated_idx").on("orders").columns(["updated_at", "id"]).execute();
  await db.schema
    .createIndex("messages_sender_created_idx")
    .on("messages")
    .columns(["sender_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_sender_created_idx").execute();
  await db.schema.dropIndex("orders_updated_idx").execute();
  for (const t of [
    "sender_quality_history",
    "analytics_snapshots",
    "campaign_rollups",
    "analytics_state",
    "order_attributions",
    "link_clicks",
    "link_codes",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
