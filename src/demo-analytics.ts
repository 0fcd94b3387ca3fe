/**
 * Demo analytics history for the first `herald start`: eight past campaigns over the last 70 days, sent by the
 * sandbox number to the demo segments' contacts, with statuses, failures, 24-hour replies, tracked-link clicks,
 * opt-outs and orders that follow reads and clicks (attributed by the analytics loop), plus the sender's quality
 * history. Deterministic (seeded); the analytics loop rolls it up seconds after the server listens, so every chart
 * has data at once. Written in a few batched statements.
 */

import { DEFAULT_QUIET_HOURS } from "./domain/campaign/quiet-hours.js";
import { DAY_MS } from "./domain/metrics/orders.js";
import { countByMarket, estimateCampaignCost } from "./domain/pricing/estimate.js";
import { newId } from "./ids.js";
import { recomputeContactMetrics } from "./store/contact-metrics.js";
import type { Store } from "./store/db.js";
import type { MessagesTable } from "./store/tables/campaigns.js";

const HOUR_MS = 3_600_000;
// `quiet`: the campaign kept Korea's advertising quiet hours (21–8 in each recipient's zone; docs/campaigns.md).
// They launched at 10:00 Seoul, so nothing waited.
const CAMPAIGNS = [
  { name: "가을 신상품 안내", daysAgo: 68, quiet: false },
  { name: "VIP 감사 쿠폰", daysAgo: 58, quiet: false },
  { name: "주말 특가", daysAgo: 47, quiet: true },
  { name: "Back in stock", daysAgo: 38, quiet: false },
  { name: "휴면 고객 웰컴백", daysAgo: 29, quiet: false },
  { name: "블랙프라이데이 예고", daysAgo: 18, quiet: true },
  { name: "블랙프라이데이 본 행사", daysAgo: 9, quiet: true },
  { name: "Weekend flash sale", daysAgo: 3, quiet: false },
];

/** A seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Local (Seoul) hours people read at: a lunch and an evening peak. */
const READ_HOURS = [8, 9, 10, 11, 12, 12, 12, 13, 13, 18, 19, 20, 20, 20, 21, 21, 22];

/** Creates the history; returns a line for the start banner, or null without a sender or template. */
export async function seedAnalyticsDemo(store: Store, senderId: string, now: number): Promise<string | null> {
  const db = store.db;
  const random = prng(7_2026);
  const template = await db.selectFrom("templates").select(["id"]).orderBy("created_at").executeTakeFirst();
  if (!template) return null;
  const segments = await db.selectFrom("segments").select(["id"]).orderBy("created_at").execute();
  const contacts = await db.selectFrom("contacts").select(["seq", "phone", "consent_state"]).orderBy("seq").execute();
  if (contacts.length === 0) return null;
  await db
    .updateTable("analytics_state")
    .set({ usd_rate: 1400 })
    .where("id", "=", 1)
    .where("usd_rate", "is", null)
    .execute();

  const messages: MessagesTable[] = [];
  const links: {
    code: string;
    message_id: string;
    campaign_id: string;
    contact_seq: number;
    url: string;
    created_at: number;
    first_click_at: number | null;
    clicks: number;
  }[] = [];
  const orders: {
    id: string;
    external_id: string;
    contact_seq: number;
    amount: number;
    currency: string;
    placed_at: number;
    status: "paid";
    items: null;
    source: string;
    created_at: number;
    updated_at: number;
  }[] = [];
  const optOuts = new Map<number, number>();
  let orderNo = 0;
  for (const [index, spec] of CAMPAIGNS.entries()) {
    // Launch at 10:00 Seoul (01:00 UTC) on the day.
    const day = Math.floor((now - spec.daysAgo * DAY_MS) / DAY_MS) * DAY_MS;
    const launchedAt = day + HOUR_MS;
    const id = newId(launchedAt);
    const segmentId = segments.length > 0 ? (segments[index % segments.length]?.id ?? null) : null;
    const recipients = contacts.filter(() => random() < 0.6);
    const skipped: Record<string, number> = {};
    const rows: MessagesTable[] = [];
    for (const c of recipients) {
      const at = launchedAt + Math.floor(random() * 20 * 60_000);
      const base: MessagesTable = {
        id: newId(at),
        campaign_id: id,
        contact_seq: c.seq,
        sender_id: senderId,
        to_phone: c.phone.replace(/\D/g, ""),
        origin: "campaign",
        category: "marketing",
        payload: "{}",
        status: "sent",
        skip_reason: null,
        due_at: launchedAt,
        attempts: 1,
        lease_owner: null,
        lease_until: null,
        provider_message_id: null,
        error_code: null,
        error_message: null,
        created_at: launchedAt,
        sent_at: null,
        delivered_at: null,
        read_at: null,
        failed_at: null,
        pricing_category: null,
        billable: null,
        replied_at: null,
      };
      const roll = random();
      if (c.consent_state === "opted_out" || roll < 0.04) {
        const reason = c.consent_state === "opted_out" ? "opted_out" : "frequency_cap";
        skipped[reason] = (skipped[reason] ?? 0) + 1;
        rows.push({ ...base, status: "skipped", skip_reason: reason });
        continue;
      }
      if (roll < 0.07) {
        const code = [131_026, 131_049, 131_050][Math.floor(random() * 3)] ?? 131_026;
        const sentFirst = code !== 131_050;
        rows.push({
          ...base,
          status: "failed",
          error_code: code,
          error_message: "demo",
          ...(sentFirst ? { sent_at: at, provider_message_id: `wamid.demo.${base.id}` } : {}),
          failed_at: at + 60_000,
        });
        continue;
      }
      const sent = {
        ...base,
        sent_at: at,
        provider_message_id: `wamid.demo.${base.id}`,
        pricing_category: "marketing",
        billable: 1,
      };
      if (random() < 0.04) {
        rows.push(sent);
        continue;
      }
      const deliveredAt = at + Math.floor(random() * 120_000);
      // Read rate differs by segment so the comparison shows a spread.
      const readChance = 0.45 + 0.1 * (index % 3);
      if (random() > readChance) {
        rows.push({ ...sent, status: "delivered", delivered_at: deliveredAt });
        continue;
      }
      const hour = READ_HOURS[Math.floor(random() * READ_HOURS.length)] ?? 12;
      const daysLater = random() < 0.7 ? 0 : 1;
      let readAt = day + daysLater * DAY_MS + (hour - 9) * HOUR_MS + Math.floor(random() * HOUR_MS);
      if (readAt <= deliveredAt) readAt = deliveredAt + Math.floor(random() * 3 * HOUR_MS) + 60_000;
      const read = { ...sent, status: "read" as const, delivered_at: deliveredAt, read_at: readAt };
      if (random() < 0.22) read.replied_at = readAt + Math.floor(random() * 40 * 60_000) + 30_000;
      rows.push(read);
      let touch = readAt;
      const code = `D${String(messages.length + rows.length).padStart(9, "0")}`;
      const clicked = random() < 0.3;
      const clickAt = readAt + Math.floor(random() * 10 * 60_000) + 5_000;
      if (clicked) touch = clickAt;
      links.push({
        code,
        message_id: read.id,
        campaign_id: id,
        contact_seq: c.seq,
        url: "https://shop.example.com/sale",
        created_at: launchedAt,
        first_click_at: clicked ? clickAt : null,
        clicks: clicked ? 1 + Math.floor(random() * 2) : 0,
      });
      if (random() < (clicked ? 0.35 : 0.08)) {
        const placedAt = touch + Math.floor(random() * 5 * DAY_MS) + HOUR_MS;
        if (placedAt < now - HOUR_MS) {
          orderNo += 1;
          orders.push({
            id: newId(placedAt),
            external_id: `demo-campaign-order-${orderNo}`,
            contact_seq: c.seq,
            amount: 10_000 * (2 + Math.floor(random() * 12)),
            currency: "KRW",
            placed_at: placedAt,
            status: "paid",
            items: null,
            source: "demo",
            created_at: placedAt,
            updated_at: placedAt,
          });
        }
      }
      if (random() < 0.01 && !optOuts.has(c.seq)) optOuts.set(c.seq, readAt + HOUR_MS);
    }
    messages.push(...rows);
    const queuedPhones = rows.filter((r) => r.status !== "skipped").map((r) => r.to_phone);
    const estimate = estimateCampaignCost(countByMarket(queuedPhones), "MARKETING", launchedAt);
    await db
      .insertInto("campaigns")
      .values({
        id,
        name: spec.name,
        status: "completed",
        sender_id: senderId,
        template_id: template.id,
        segment_id: segmentId,
        variables: "{}",
        schedule_kind: "now",
        scheduled_at: null,
        quiet_start_hour: spec.quiet ? DEFAULT_QUIET_HOURS.startHour : null,
        quiet_end_hour: spec.quiet ? DEFAULT_QUIET_HOURS.endHour : null,
        category: "MARKETING",
        audience: JSON.stringify({ total: rows.length, queued: queuedPhones.length, skipped }),
        estimate: JSON.stringify(estimate),
        created_by: null,
        created_at: launchedAt - HOUR_MS,
        updated_at: launchedAt + 2 * HOUR_MS,
        launched_at: launchedAt,
        completed_at: launchedAt + HOUR_MS,
        cancelled_at: null,
        last_error: null,
      })
      .execute();
  }
  for (let i = 0; i < messages.length; i += 500)
    await db
      .insertInto("messages")
      .values(messages.slice(i, i + 500))
      .execute();
  for (let i = 0; i < links.length; i += 500)
    await db
      .insertInto("link_codes")
      .values(links.slice(i, i + 500))
      .execute();
  for (let i = 0; i < orders.length; i += 500)
    await db
      .insertInto("orders")
      .values(orders.slice(i, i + 500))
      .execute();
  for (const [seq, at] of optOuts) {
    await db
      .updateTable("contacts")
      .set({
        consent_state: "opted_out",
        consent_reason: "keyword",
        consent_source: "whatsapp",
        consent_at: at,
        updated_at: at,
      })
      .where("seq", "=", seq)
      .execute();
  }
  for (const [daysAgo, rating, tier] of [
    [75, "GREEN", "TIER_1K"],
    [44, "YELLOW", "TIER_1K"],
    [36, "GREEN", "TIER_1K"],
    [20, "GREEN", "TIER_10K"],
  ] as const) {
    const at = now - daysAgo * DAY_MS;
    await db
      .insertInto("sender_quality_history")
      .values({ id: newId(at), sender_id: senderId, quality_rating: rating, messaging_tier: tier, recorded_at: at })
      .execute();
  }
  // Only the contacts with new orders need their metrics again; the analytics loop computes every rollup and the
  // customer value within seconds of the server listening, so the first start stays fast.
  await recomputeContactMetrics(db, [...new Set(orders.map((o) => o.contact_seq))], now);
  return `${CAMPAIGNS.length} past campaigns with ${messages.length} messages, ${links.filter((l) => l.first_click_at).length} clicks and ${orders.length} orders for Analytics`;
}
