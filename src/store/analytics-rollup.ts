/**
 * Computes a campaign's rollup (domain/analytics/rollup.ts) from its messages, link codes and attributed orders,
 * and stores it. Every query reads one campaign through an index on campaign_id and groups in SQL, so a campaign of
 * 1,000,000 recipients costs a few seconds once per refresh, never per report. docs/analytics.md states each figure.
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import { heatmapCell } from "../domain/analytics/heatmap.js";
import {
  addToBuckets,
  type CampaignRollup,
  emptyRollup,
  HOUR_MS,
  type HourBucket,
} from "../domain/analytics/rollup.js";
import { timeZoneForCountry } from "../domain/phone/index.js";
import { DEFAULT_PRICING, type PricedMessage, priceInMarket, pricingMarketOf } from "../domain/pricing/index.js";
import type { TemplateCategory } from "../domain/template/model.js";
import { getAnalyticsSettings } from "./analytics-settings.js";
import type { Database } from "./schema.js";

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;
/** An answer counts as a reply to a campaign message when it comes within 24 hours of the send. */
export const REPLY_WITHIN_MS = DAY_MS;
/** An opt-out counts against a campaign when it comes within 7 days of the send. */
export const OPT_OUT_WITHIN_MS = 7 * DAY_MS;
/** Meta error 131050: the user stopped marketing messages from the business (a block of marketing). */
export const BLOCK_ERROR = 131_050;
const PREFIX_DIGITS = Math.max(...DEFAULT_PRICING.markets.flatMap((m) => m.prefixes.map((p) => p.length)));

type Db = Kysely<Database>;

const num = (v: unknown): number => Number(v ?? 0);

/**
 * Lets the event loop run (timers, sockets). On SQLite every query runs synchronously on the Node thread and
 * Kysely's promises resolve at once, so a chain of queries never yields: a rollup of 100,000 messages (~12 scans)
 * held the process — webhooks, the API, short-link redirects — for its whole 1–4 s. Between queries it now waits
 * at most one query's time.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Computes the rollup of one campaign now (nothing is written). */
export async function computeCampaignRollup(db: Db, campaignId: string, baseCurrency: string): Promise<CampaignRollup> {
  const r = emptyRollup();
  const buckets = new Map<number, HourBucket>();
  const inCampaign = db.selectFrom("messages").where("campaign_id", "=", campaignId);

  const states = await inCampaign
    .select(["status", "skip_reason", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["status", "skip_reason"])
    .execute();
  await yieldToEventLoop();
  for (const s of states) {
    const n = num(s.n);
    r.audience += n;
    if (s.status === "skipped")
      r.skipped[s.skip_reason ?? "unknown"] = (r.skipped[s.skip_reason ?? "unknown"] ?? 0) + n;
    if (s.status === "failed") r.failed += n;
    if (s.status === "queued" || s.status === "sending" || s.status === "unknown") r.pending += n;
  }

  const hourly = async (
    kind: "sent" | "delivered" | "read" | "replied" | "failed",
    at: RawBuilder<number>,
    extra?: RawBuilder<boolean>,
  ) => {
    const rows = await inCampaign
      .select([sql<number>`${at} / ${sql.lit(HOUR_MS)}`.as("h"), (eb) => eb.fn.countAll<number>().as("n")])
      .where(sql<boolean>`${at} is not null`)
      .$if(extra !== undefined, (q) => q.where(extra!))
      .groupBy(sql`${at} / ${sql.lit(HOUR_MS)}`)
      .execute();
    await yieldToEventLoop();
    let total = 0;
    for (const row of rows) {
      addToBuckets(buckets, kind, num(row.h), num(row.n));
      total += num(row.n);
    }
    return total;
  };
  r.sent = await hourly("sent", sql`sent_at`);
  r.delivered = await hourly("delivered", sql`coalesce(delivered_at, read_at)`);
  r.read = await hourly("read", sql`read_at`);
  r.replied = await hourly("replied", sql`replied_at`, sql`replied_at - sent_at <= ${sql.lit(REPLY_WITHIN_MS)}`);
  await hourly("failed", sql`failed_at`, sql`status = 'failed'`);
  const beforeSend = await inCampaign
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "failed")
    .where("sent_at", "is", null)
    .executeTakeFirst();
  await yieldToEventLoop();
  r.failedBeforeSend = num(beforeSend?.n);

  const errors = await inCampaign
    .select(["error_code", (eb) => eb.fn.countAll<number>().as("n")])
    .where("status", "=", "failed")
    .groupBy("error_code")
    .execute();
  await yieldToEventLoop();
  r.errors = errors
    .map((e) => ({ code: num(e.error_code), count: num(e.n) }))
    .sort((a, b) => b.count - a.count || a.code - b.code);
  r.blocks = r.errors.find((e) => e.code === BLOCK_ERROR)?.count ?? 0;

  await addCost(db, campaignId, r);
  await yieldToEventLoop();
  await addHeatmap(db, campaignId, r);

  // Clicks: a message counts once, at its first human click.
  const firstClicks = await db
    .selectFrom("link_codes")
    .select([(eb) => eb.fn.min("first_click_at").as("t"), (eb) => eb.fn.sum<number>("clicks").as("clicks")])
    .where("campaign_id", "=", campaignId)
    .where("first_click_at", "is not", null)
    .groupBy("message_id")
    .execute();
  await yieldToEventLoop();
  for (const c of firstClicks) {
    r.clicked += 1;
    r.clicks += num(c.clicks);
    addToBuckets(buckets, "clicked", Math.floor(num(c.t) / HOUR_MS), 1);
  }

  const conversions = await db
    .selectFrom("order_attributions")
    .select([
      "message_id",
      "currency",
      (eb) => eb.fn.min("placed_at").as("t"),
      (eb) => eb.fn.countAll<number>().as("n"),
      (eb) => eb.fn.sum<number>("amount").as("amount"),
    ])
    .where("campaign_id", "=", campaignId)
    .groupBy(["message_id", "currency"])
    .execute();
  await yieldToEventLoop();
  const converted = new Map<string, number>();
  for (const c of conversions) {
    r.orders += num(c.n);
    if (c.currency === baseCurrency) r.revenue += num(c.amount);
    else r.foreignOrders += num(c.n);
    converted.set(c.message_id, Math.min(converted.get(c.message_id) ?? Number.POSITIVE_INFINITY, num(c.t)));
  }
  r.converted = converted.size;
  for (const t of converted.values()) addToBuckets(buckets, "converted", Math.floor(t / HOUR_MS), 1);

  const optOuts = await db
    .selectFrom("messages as m")
    .innerJoin("contacts as c", "c.seq", "m.contact_seq")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("m.campaign_id", "=", campaignId)
    .where("m.sent_at", "is not", null)
    .where("c.consent_state", "=", "opted_out")
    .where(sql<boolean>`c.consent_at >= m.sent_at and c.consent_at <= m.sent_at + ${sql.lit(OPT_OUT_WITHIN_MS)}`)
    .executeTakeFirst();
  r.optOuts = num(optOuts?.n);

  r.hourly = [...buckets.values()].sort((a, b) => a.hour - b.hour);
  return r;
}

/** Delivered, billable messages priced at the rate card on their delivery day, grouped by number prefix. */
async function addCost(db: Db, campaignId: string, r: CampaignRollup): Promise<void> {
  const deliveredAt = sql<number>`coalesce(delivered_at, read_at)`;
  const rows = await db
    .selectFrom("messages")
    .select([
      sql<string>`substr(to_phone, 1, ${sql.lit(PREFIX_DIGITS)})`.as("prefix"),
      sql<string>`coalesce(pricing_category, category)`.as("cat"),
      sql<number>`${deliveredAt} / ${sql.lit(DAY_MS)}`.as("day"),
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("campaign_id", "=", campaignId)
    .where(sql<boolean>`${deliveredAt} is not null`)
    .where(sql<boolean>`coalesce(billable, 1) = 1`)
    .groupBy([
      sql`substr(to_phone, 1, ${sql.lit(PREFIX_DIGITS)})`,
      sql`coalesce(pricing_category, category)`,
      sql`${deliveredAt} / ${sql.lit(DAY_MS)}`,
    ])
    .execute();
  for (const row of rows) {
    const price = priceInMarket(pricingMarketOf(row.prefix), {
      message: pricedMessage(row.cat),
      at: num(row.day) * DAY_MS + DAY_MS / 2,
      delivered: true,
      inServiceWindow: false,
      inFreeEntryPoint: false,
    });
    if (price.kind === "charged") r.costMicroUsd += price.microUsd * num(row.n);
    else if (price.kind === "unpriced") r.unpriced += num(row.n);
  }
}

/** Meta's pricing category (`marketing`, `utility`, `authentication`, `authentication_international`, `service`). */
export function pricedMessage(category: string): PricedMessage {
  const c = category.toUpperCase();
  if (c === "AUTHENTICATION_INTERNATIONAL")
    return { kind: "template", category: "AUTHENTICATION", authenticationInternational: true };
  if (c === "MARKETING" || c === "UTILITY" || c === "AUTHENTICATION" || c === "MARKETING_LITE") {
    return { kind: "template", category: (c === "MARKETING_LITE" ? "MARKETING" : c) as TemplateCategory };
  }
  return { kind: "service" };
}

/** Reads and replies by weekday × hour in each recipient's zone (their time_zone, else their country's). */
async function addHeatmap(db: Db, campaignId: string, r: CampaignRollup): Promise<void> {
  for (const [kind, column] of [
    ["reads", "read_at"],
    ["replies", "replied_at"],
  ] as const) {
    const at = sql.ref(`m.${column}`);
    const rows = await db
      .selectFrom("messages as m")
      .leftJoin("contacts as c", "c.seq", "m.contact_seq")
      .select([
        "c.time_zone",
        "c.country",
        sql<number>`${at} / ${sql.lit(QUARTER_MS)}`.as("q"),
        (eb) => eb.fn.countAll<number>().as("n"),
      ])
      .where("m.campaign_id", "=", campaignId)
      .where(at, "is not", null)
      .groupBy(["c.time_zone", "c.country", sql`${at} / ${sql.lit(QUARTER_MS)}`])
      .execute();
    await yieldToEventLoop();
    for (const row of rows) {
      const zone = zoneOf(row.time_zone, row.country);
      const cell = heatmapCell(num(row.q) * QUARTER_MS, zone);
      r.heatmap[kind][cell] = (r.heatmap[kind][cell] ?? 0) + num(row.n);
    }
  }
}

function zoneOf(timeZone: string | null, country: string | null): string {
  if (timeZone) {
    try {
      new Intl.DateTimeFormat("en", { timeZone });
      return timeZone;
    } catch {
      // an unknown zone falls through to the country's
    }
  }
  return (country ? timeZoneForCountry(country) : null) ?? "UTC";
}

/** Computes and stores the rollup of one campaign. */
export async function refreshCampaignRollup(db: Db, campaignId: string, now: number): Promise<CampaignRollup> {
  const { baseCurrency } = await getAnalyticsSettings(db);
  const rollup = await computeCampaignRollup(db, campaignId, baseCurrency);
  const data = JSON.stringify(rollup);
  await db
    .insertInto("campaign_rollups")
    .values({ campaign_id: campaignId, refreshed_at: now, data })
    .onConflict((oc) => oc.column("campaign_id").doUpdateSet({ refreshed_at: now, data }))
    .execute();
  return rollup;
}

/**
 * Campaigns whose rollup is due: launched and still running or paused, finished less than `activeDays` ago, never
 * rolled up, rolled up before the last settings change, or named in `alsoIds` (their attributions changed) —
 * and not refreshed in the last `minAgeMs`.
 */
export async function campaignsDueForRollup(
  db: Db,
  now: number,
  options: { activeDays: number; minAgeMs: number; settingsChangedAt: number; alsoIds?: Iterable<string> },
): Promise<string[]> {
  const recent = now - options.activeDays * DAY_MS;
  const also = [...(options.alsoIds ?? [])];
  const rows = await db
    .selectFrom("campaigns as c")
    .leftJoin("campaign_rollups as r", "r.campaign_id", "c.id")
    .select(["c.id"])
    .where("c.launched_at", "is not", null)
    .where((eb) =>
      eb.or([
        eb("r.campaign_id", "is", null),
        eb("r.refreshed_at", "<", options.settingsChangedAt),
        ...(also.length > 0 ? [eb("c.id", "in", also)] : []),
        eb.and([
          eb("r.refreshed_at", "<", now - options.minAgeMs),
          eb.or([
            eb("c.status", "in", ["launching", "running", "paused"]),
            eb("c.completed_at", ">=", recent),
            eb("c.cancelled_at", ">=", recent),
          ]),
        ]),
      ]),
    )
    .orderBy("c.id")
    .execute();
  return rows.map((r) => r.id);
}
