/**
 * Last-touch order attribution (domain/analytics/attribution.ts), done in batches by the analytics loop: orders
 * changed since the watermark (and at least SETTLE_MS old, so a read's webhook has arrived) are matched against their
 * contact's reads and human clicks; a refunded or cancelled order loses its attribution.
 */
import { type Kysely, sql } from "kysely";
import { lastTouch, type Touch } from "../domain/analytics/attribution.js";
import { yieldToEventLoop } from "./analytics-rollup.js";
import { getAnalyticsSettings } from "./analytics-settings.js";
import type { Database } from "./schema.js";
import type { OrderAttributionsTable } from "./tables/analytics.js";

// 5,000 orders a batch: one keyset read, one touches read per source, one delete and one insert (SQLite allows
// 32,766 bound parameters; the contact list is the largest).
const BATCH = 5_000;
const DAY_MS = 86_400_000;
/** An order is attributed once it is this old (status webhooks of the reads before it have arrived by then). */
export const SETTLE_MS = 60_000;

export interface AttributionPass {
  orders: number;
  attributed: number;
  /** Campaigns whose attributions changed: their rollups must be refreshed. */
  campaigns: Set<string>;
  /** True when orders remain (the time budget ran out). */
  more: boolean;
}

/** Attributes orders changed since the last pass, for at most `budgetMs`. */
export async function attributeOrders(db: Kysely<Database>, now: number, budgetMs = 5_000): Promise<AttributionPass> {
  const started = Date.now();
  const settings = await getAnalyticsSettings(db);
  const state = await db
    .selectFrom("analytics_state")
    .select("orders_watermark")
    .where("id", "=", 1)
    .executeTakeFirst();
  let watermark = Number(state?.orders_watermark ?? 0);
  // An order last changed before the first campaign was launched was placed before any campaign touch could exist:
  // start there (a fresh install importing years of orders skips them at the cost of one small query).
  const first = await db
    .selectFrom("campaigns")
    .select((eb) => eb.fn.min("launched_at").as("at"))
    .executeTakeFirst();
  if (first?.at !== null && first?.at !== undefined) watermark = Math.max(watermark, Number(first.at) - 1);
  const until = now - SETTLE_MS;
  const pass: AttributionPass = { orders: 0, attributed: 0, campaigns: new Set(), more: false };
  let afterId = "";
  const windowMs = settings.windowDays * DAY_MS;
  for (;;) {
    // Keyset over (updated_at, id): a bulk import gives thousands of orders the same updated_at.
    const orders = await db
      .selectFrom("orders")
      .select(["id", "contact_seq", "placed_at", "amount", "currency", "status", "updated_at"])
      // A row-value comparison walks the (updated_at, id) index on both databases.
      .where(sql<boolean>`(updated_at, id) > (${watermark}, ${afterId})`)
      .where("updated_at", "<=", until)
      .orderBy("updated_at")
      .orderBy("id")
      .limit(BATCH)
      .execute();
    if (orders.length === 0) break;
    const seqs = [...new Set(orders.map((o) => o.contact_seq))];
    const from = Math.min(...orders.map((o) => Number(o.placed_at))) - windowMs;
    const to = Math.max(...orders.map((o) => Number(o.placed_at)));
    const touches = await touchesOf(db, seqs, from, to);
    await yieldToEventLoop();
    const previous = await db
      .selectFrom("order_attributions")
      .select(["order_id", "campaign_id"])
      .where(
        "order_id",
        "in",
        orders.map((o) => o.id),
      )
      .execute();
    for (const p of previous) if (p.campaign_id) pass.campaigns.add(p.campaign_id);
    const rows: OrderAttributionsTable[] = [];
    for (const o of orders) {
      if (o.status !== "paid") continue;
      const touch = lastTouch(Number(o.placed_at), touches.get(o.contact_seq) ?? [], settings);
      if (!touch) continue;
      if (touch.campaignId) pass.campaigns.add(touch.campaignId);
      rows.push({
        order_id: o.id,
        message_id: touch.messageId,
        campaign_id: touch.campaignId,
        contact_seq: o.contact_seq,
        touch: touch.kind,
        touch_at: touch.at,
        placed_at: Number(o.placed_at),
        amount: Number(o.amount),
        currency: o.currency,
      });
    }
    const last = orders.at(-1)!;
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom("order_attributions")
        .where(
          "order_id",
          "in",
          orders.map((o) => o.id),
        )
        .execute();
      if (rows.length > 0) await trx.insertInto("order_attributions").values(rows).execute();
      await trx
        .updateTable("analytics_state")
        .set({ orders_watermark: Number(last.updated_at) })
        .where("id", "=", 1)
        .execute();
    });
    await yieldToEventLoop();
    pass.orders += orders.length;
    pass.attributed += rows.length;
    watermark = Number(last.updated_at);
    afterId = last.id;
    if (orders.length < BATCH) break;
    if (Date.now() - started > budgetMs) {
      pass.more = true;
      break;
    }
  }
  return pass;
}

/** Reads (read_at) and human clicks (first_click_at) of these contacts between `from` and `to`. */
async function touchesOf(
  db: Kysely<Database>,
  seqs: number[],
  from: number,
  to: number,
): Promise<Map<number, Touch[]>> {
  const out = new Map<number, Touch[]>();
  const add = (seq: number | null, t: Touch) => {
    if (seq === null) return;
    const list = out.get(seq) ?? [];
    list.push(t);
    out.set(seq, list);
  };
  const reads = await db
    .selectFrom("messages")
    .select(["id", "campaign_id", "contact_seq", "read_at"])
    .where("contact_seq", "in", seqs)
    .where("read_at", ">=", from)
    .where("read_at", "<=", to)
    .execute();
  for (const r of reads)
    add(r.contact_seq, { messageId: r.id, campaignId: r.campaign_id, kind: "read", at: Number(r.read_at) });
  const clicks = await db
    .selectFrom("link_codes")
    .select(["message_id", "campaign_id", "contact_seq", "first_click_at"])
    .where("contact_seq", "in", seqs)
    .where("first_click_at", ">=", from)
    .where("first_click_at", "<=", to)
    .execute();
  for (const c of clicks) {
    add(c.contact_seq, {
      messageId: c.message_id,
      campaignId: c.campaign_id,
      kind: "click",
      at: Number(c.first_click_at),
    });
  }
  return out;
}
