/**
 * The analytics reports, read from campaign rollups (a few rows per campaign) plus small indexed queries: every
 * report answers in milliseconds whatever the number of messages. Formulas: domain/analytics, docs/analytics.md.
 */
import type { Kysely } from "kysely";
import { describeRule } from "../domain/analytics/attribution.js";
import { comparedRates, lift, senderWarnings } from "../domain/analytics/compare.js";
import { funnelRates, funnelSteps } from "../domain/analytics/funnel.js";
import { bestHourOf } from "../domain/analytics/heatmap.js";
import { returns } from "../domain/analytics/money.js";
import { type CampaignRollup, emptyRollup, sumRollups } from "../domain/analytics/rollup.js";
import { isMessagingTier, tierLimit } from "../domain/sender/tiers.js";
import { refreshCampaignRollup } from "./analytics-rollup.js";
import { type AnalyticsSettings, getAnalyticsSettings } from "./analytics-settings.js";
import { getCampaign } from "./campaigns.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database>;
const DAY_MS = 86_400_000;

export interface Period {
  from: number;
  to: number;
}

interface CampaignWithRollup {
  id: string;
  name: string;
  templateId: string;
  segmentId: string | null;
  senderId: string;
  launchedAt: number;
  refreshedAt: number;
  rollup: CampaignRollup;
}

/** Launched campaigns in the period (by launch time) with their rollups (a campaign never rolled up reads as zeros). */
export async function campaignsWithRollups(
  db: Db,
  period: Period,
  filter: { senderId?: string; segmentIds?: string[] } = {},
): Promise<CampaignWithRollup[]> {
  const rows = await db
    .selectFrom("campaigns as c")
    .leftJoin("campaign_rollups as r", "r.campaign_id", "c.id")
    .select([
      "c.id",
      "c.name",
      "c.template_id",
      "c.segment_id",
      "c.sender_id",
      "c.launched_at",
      "r.data",
      "r.refreshed_at",
    ])
    .where("c.launched_at", ">=", period.from)
    .where("c.launched_at", "<", period.to)
    .$if(filter.senderId !== undefined, (q) => q.where("c.sender_id", "=", filter.senderId!))
    .$if(filter.segmentIds !== undefined && filter.segmentIds.length > 0, (q) =>
      q.where("c.segment_id", "in", filter.segmentIds!),
    )
    .orderBy("c.launched_at")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    templateId: r.template_id,
    segmentId: r.segment_id,
    senderId: r.sender_id,
    launchedAt: Number(r.launched_at),
    refreshedAt: Number(r.refreshed_at ?? 0),
    rollup: r.data ? (JSON.parse(r.data) as CampaignRollup) : emptyRollup(),
  }));
}

/** The money and rate figures of a (summed) rollup. */
export function figures(r: CampaignRollup, settings: AnalyticsSettings) {
  return {
    rates: funnelRates(r, r.failedBeforeSend),
    money: {
      currency: settings.baseCurrency,
      costMicroUsd: r.costMicroUsd,
      ...returns({
        revenue: r.revenue,
        costMicroUsd: r.costMicroUsd,
        usdRate: settings.usdRate,
        currency: settings.baseCurrency,
        sent: r.sent,
        converted: r.converted,
      }),
    },
  };
}

/** One campaign's report: its funnel, over time, failures, cost against the estimate, revenue and ROI. */
export async function campaignReport(db: Db, campaignId: string, now: number, options: { fresh?: boolean } = {}) {
  const campaign = await getCampaign(db, campaignId);
  const settings = await getAnalyticsSettings(db);
  const stored = await db
    .selectFrom("campaign_rollups")
    .select(["data", "refreshed_at"])
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  let rollup: CampaignRollup;
  let refreshedAt: number;
  if (stored && !options.fresh) {
    rollup = JSON.parse(stored.data) as CampaignRollup;
    refreshedAt = Number(stored.refreshed_at);
  } else {
    rollup = await refreshCampaignRollup(db, campaignId, now);
    refreshedAt = now;
  }
  const estimate = campaign.estimate as { totalMicroUsd?: number } | null;
  return {
    campaign: {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      templateId: campaign.templateId,
      segmentId: campaign.segmentId,
      senderId: campaign.senderId,
      launchedAt: campaign.launchedAt,
      completedAt: campaign.completedAt,
    },
    refreshedAt,
    funnel: funnelSteps(rollup),
    counts: rollup,
    ...figures(rollup, settings),
    estimateMicroUsd: typeof estimate?.totalMicroUsd === "number" ? estimate.totalMicroUsd : null,
    rule: describeRule(settings),
  };
}

export type GroupBy = "campaign" | "template" | "segment";

/** Revenue, conversion rate, cost and ROI per campaign, template or segment, for campaigns launched in the period. */
export async function attributionReport(db: Db, by: GroupBy, period: Period) {
  const settings = await getAnalyticsSettings(db);
  const campaigns = await campaignsWithRollups(db, period);
  const groups = new Map<string, CampaignRollup[]>();
  for (const c of campaigns) {
    const key = by === "campaign" ? c.id : by === "template" ? c.templateId : (c.segmentId ?? "");
    groups.set(key, [...(groups.get(key) ?? []), c.rollup]);
  }
  const names = await namesOf(db, by, [...groups.keys()], campaigns);
  const rows = [...groups].map(([id, list]) => {
    const sum = sumRollups(list);
    return {
      id: id === "" ? null : id,
      name: names.get(id) ?? null,
      campaigns: list.length,
      sent: sum.sent,
      delivered: sum.delivered,
      converted: sum.converted,
      orders: sum.orders,
      ...figures(sum, settings),
    };
  });
  rows.sort((a, b) => b.money.revenue - a.money.revenue || (a.name ?? "").localeCompare(b.name ?? ""));
  return { by, period, rule: describeRule(settings), windowDays: settings.windowDays, rows };
}

async function namesOf(
  db: Db,
  by: GroupBy,
  ids: string[],
  campaigns: CampaignWithRollup[],
): Promise<Map<string, string>> {
  if (by === "campaign") return new Map(campaigns.map((c) => [c.id, c.name]));
  const real = ids.filter((id) => id !== "");
  if (real.length === 0) return new Map();
  const rows =
    by === "template"
      ? await db.selectFrom("templates").select(["id", "name"]).where("id", "in", real).execute()
      : await db.selectFrom("segments").select(["id", "name"]).where("id", "in", real).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Chosen segments side by side over a period, each against the whole base (every campaign in the period). */
export async function segmentComparison(db: Db, segmentIds: string[], period: Period) {
  const settings = await getAnalyticsSettings(db);
  const campaigns = await campaignsWithRollups(db, period);
  const base = sumRollups(campaigns.map((c) => c.rollup));
  const baseRates = comparedRates(base);
  const names = await namesOf(db, "segment", segmentIds, []);
  const segments = segmentIds.map((id) => {
    const sum = sumRollups(campaigns.filter((c) => c.segmentId === id).map((c) => c.rollup));
    const rates = comparedRates(sum);
    const money = figures(sum, settings).money;
    return {
      id,
      name: names.get(id) ?? null,
      sent: sum.sent,
      delivered: sum.delivered,
      ...rates,
      lift: lift(rates, baseRates),
      costPerConversion: money.costPerConversion,
      revenue: money.revenue,
      currency: settings.baseCurrency,
    };
  });
  return {
    period,
    base: { sent: base.sent, delivered: base.delivered, ...baseRates, ...pick(figures(base, settings).money) },
    segments,
  };
}

function pick(m: { costPerConversion: number | null; revenue: number }) {
  return { costPerConversion: m.costPerConversion, revenue: m.revenue };
}

/** Reads and replies by weekday × local hour, for one segment's campaigns (or all) in the period. */
export async function sendTimeHeatmap(db: Db, period: Period, segmentId: string | null) {
  const campaigns = await campaignsWithRollups(db, period, segmentId ? { segmentIds: [segmentId] } : {});
  const sum = sumRollups(campaigns.map((c) => c.rollup));
  return { period, segmentId, heatmap: sum.heatmap, bestHour: bestHourOf(sum.heatmap), campaigns: campaigns.length };
}

/** The best local hour from a segment's campaigns of the last 180 days (null without enough reads and replies). */
export async function segmentBestHour(db: Db, segmentId: string, now: number): Promise<number | null> {
  const { bestHour } = await sendTimeHeatmap(db, { from: now - 180 * DAY_MS, to: now + 1 }, segmentId);
  return bestHour;
}

/** Per sender number: reply rate, blocks and opt-outs after campaigns, quality history, tier and today's use. */
export async function senderHealth(db: Db, now: number, days = 30) {
  const senders = await db
    .selectFrom("senders")
    .select(["id", "name", "display_phone_number", "quality_rating", "messaging_tier"])
    .orderBy("name")
    .execute();
  const period = { from: now - days * DAY_MS, to: now + 1 };
  const out = [];
  for (const s of senders) {
    const sum = sumRollups((await campaignsWithRollups(db, period, { senderId: s.id })).map((c) => c.rollup));
    const replyRate = sum.delivered === 0 ? null : sum.replied / sum.delivered;
    const usage = await db
      .selectFrom("messages")
      .select((eb) => eb.fn.count<number>("to_phone").distinct().as("n"))
      .where("sender_id", "=", s.id)
      .where("created_at", ">", now - DAY_MS)
      .where("origin", "in", ["campaign", "test"])
      .where("status", "in", ["sending", "sent", "delivered", "read", "unknown"])
      .executeTakeFirst();
    const history = await db
      .selectFrom("sender_quality_history")
      .select(["quality_rating", "messaging_tier", "recorded_at"])
      .where("sender_id", "=", s.id)
      .orderBy("recorded_at", "desc")
      .limit(100)
      .execute();
    const limit = isMessagingTier(s.messaging_tier) ? tierLimit(s.messaging_tier) : null;
    const usedToday = Number(usage?.n ?? 0);
    out.push({
      id: s.id,
      name: s.name,
      phone: s.display_phone_number,
      qualityRating: s.quality_rating,
      messagingTier: s.messaging_tier,
      tierLimit: limit === Number.POSITIVE_INFINITY ? null : limit,
      usedToday,
      sent: sum.sent,
      delivered: sum.delivered,
      replied: sum.replied,
      replyRate,
      blockRate: sum.sent + sum.failedBeforeSend === 0 ? null : sum.blocks / (sum.sent + sum.failedBeforeSend),
      optOutRate: sum.sent === 0 ? null : sum.optOuts / sum.sent,
      warnings: senderWarnings({
        replyRate,
        qualityRating: s.quality_rating,
        usedToday,
        tierLimit: limit === Number.POSITIVE_INFINITY ? null : limit,
      }),
      qualityHistory: history.reverse().map((h) => ({
        qualityRating: h.quality_rating,
        messagingTier: h.messaging_tier,
        at: Number(h.recorded_at),
      })),
    });
  }
  return { days, senders: out };
}

/** Records a sender's quality rating and tier when they differ from the last recorded ones. */
export async function snapshotSenderQuality(db: Db, now: number, newId: (now: number) => string): Promise<number> {
  const senders = await db.selectFrom("senders").select(["id", "quality_rating", "messaging_tier"]).execute();
  let added = 0;
  for (const s of senders) {
    const last = await db
      .selectFrom("sender_quality_history")
      .select(["quality_rating", "messaging_tier"])
      .where("sender_id", "=", s.id)
      .orderBy("recorded_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (last && last.quality_rating === s.quality_rating && last.messaging_tier === s.messaging_tier) continue;
    await db
      .insertInto("sender_quality_history")
      .values({
        id: newId(now),
        sender_id: s.id,
        quality_rating: s.quality_rating,
        messaging_tier: s.messaging_tier,
        recorded_at: now,
      })
      .execute();
    added += 1;
  }
  return added;
}
