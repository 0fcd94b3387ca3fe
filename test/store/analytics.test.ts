import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyticsTick } from "../../src/engine/analytics-refresh.js";
import { recordClick } from "../../src/store/analytics-links.js";
import {
  attributionReport,
  campaignReport,
  segmentComparison,
  senderHealth,
  sendTimeHeatmap,
} from "../../src/store/analytics-reports.js";
import { refreshCampaignRollup } from "../../src/store/analytics-rollup.js";
import { updateAnalyticsSettings } from "../../src/store/analytics-settings.js";
import { customerValueSnapshot } from "../../src/store/analytics-value.js";
import { refreshAllMetrics } from "../../src/store/contact-metrics-refresh.js";
import type { Store } from "../../src/store/db.js";
import { buildHistory, DAY, type History, HOUR, MIN, T0 } from "../support/analytics-history.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect), the rollup, attribution and report queries. Faked: the clock.
// The history (test/support/analytics-history.ts) is small enough to work every figure out by hand.
const NOW = T0 + 10 * DAY;
// "other" market (Korea) marketing rate on the 2026-01 card: $0.0604 = 60,400 µUSD; 1 USD = 1,400 KRW.
const RATE = 60_400;

for (const dialect of DIALECTS) {
  describe(`analytics reports on ${dialect.name}`, () => {
    let store: Store;
    let h: History;
    beforeEach(async () => {
      store = await dialect.open();
      h = await buildHistory(store.db);
      await recordClick(store.db, "AAAAAAAAA1", { bot: false, userAgent: "Mozilla/5.0", at: T0 + 30 * MIN });
      await recordClick(store.db, "AAAAAAAAA1", { bot: true, userAgent: "WhatsApp/2.23", at: T0 + 31 * MIN });
      await recordClick(store.db, "AAAAAAAAA1", { bot: false, userAgent: "Mozilla/5.0", at: T0 + 40 * MIN });
      await refreshAllMetrics(store.db, NOW);
      await analyticsTick(store, NOW, { force: true });
    });
    afterEach(async () => {
      await store.close();
    });

    it("lets the event loop run between a rollup's queries (SQLite queries are synchronous)", async () => {
      // Before: the ~14 queries of a rollup ran as one chain of resolved promises, so on SQLite no timer, socket or
      // immediate could run until the whole rollup was done (3.8 s of stall measured at 100,000 messages).
      let ticks = 0;
      let running = true;
      const spin = () => {
        if (!running) return;
        ticks++;
        setImmediate(spin);
      };
      setImmediate(spin);
      await refreshCampaignRollup(store.db, h.campaignA, NOW);
      running = false;
      expect(ticks).toBeGreaterThanOrEqual(10);
    });

    it("reports campaign A's funnel, failures, cost, revenue and ROI exactly", async () => {
      const r = await campaignReport(store.db, h.campaignA, NOW);
      expect(r.funnel.map((s) => [s.stage, s.count])).toEqual([
        ["audience", 6],
        ["sent", 4],
        ["delivered", 3],
        ["read", 2],
        ["replied", 1],
        ["clicked", 1],
        ["converted", 1],
      ]);
      expect(r.funnel[2]?.rateOfSent).toBe(3 / 4);
      expect(r.funnel[3]?.stepRate).toBe(2 / 3);
      expect(r.counts.skipped).toEqual({ frequency_cap: 1 });
      expect(r.counts.failed).toBe(2);
      expect(r.counts.failedBeforeSend).toBe(1);
      expect(r.counts.errors).toEqual([
        { code: 131_026, count: 1 },
        { code: 131_050, count: 1 },
      ]);
      expect(r.counts.blocks).toBe(1);
      expect(r.counts.optOuts).toBe(1);
      expect(r.counts.clicks).toBe(2);
      expect(r.rates).toEqual({
        deliveryRate: 3 / 4,
        readRate: 2 / 3,
        replyRate: 1 / 3,
        clickRate: 1 / 3,
        conversionRate: 1 / 3,
        failureRate: 2 / 5,
      });
      // m1 and m2 are delivered and billable; m3 was free (billable = false).
      expect(r.money.costMicroUsd).toBe(2 * RATE);
      expect(r.estimateMicroUsd).toBe(6 * RATE);
      expect(r.money.cost).toBe(169); // 0.1208 USD × 1,400 = 169.12 KRW
      expect(r.money.revenue).toBe(50_000); // o1, by last touch on the click of m1
      expect(r.money.roi).toBeCloseTo((50_000 - 169) / 169, 10);
      expect(r.money.roiPerMessage).toBe((50_000 - 169) / 4);
      expect(r.counts.hourly).toEqual([
        { hour: T0, sent: 4, delivered: 3, read: 1, replied: 1, clicked: 1, converted: 0, failed: 2 },
        { hour: T0 + 2 * HOUR, sent: 0, delivered: 0, read: 1, replied: 0, clicked: 0, converted: 0, failed: 0 },
        { hour: T0 + 2 * DAY, sent: 0, delivered: 0, read: 0, replied: 0, clicked: 0, converted: 1, failed: 0 },
      ]);
    });

    it("attributes by last touch within the window, per campaign, template and segment", async () => {
      const period = { from: T0 - DAY, to: NOW };
      const byCampaign = await attributionReport(store.db, "campaign", period);
      expect(byCampaign.rows.map((r) => [r.name, r.converted, r.money.revenue, r.money.cost])).toEqual([
        ["Autumn A", 1, 50_000, 169],
        ["Autumn B", 1, 20_000, 85], // o3 follows m7's read; o4 was refunded; o2 came 8 days after m2
      ]);
      const byTemplate = await attributionReport(store.db, "template", period);
      expect(byTemplate.rows).toHaveLength(1);
      expect(byTemplate.rows[0]?.money.revenue).toBe(70_000);
      expect(byTemplate.rows[0]?.money.cost).toBe(254); // 3 × 60,400 µUSD × 1,400
      const bySegment = await attributionReport(store.db, "segment", period);
      expect(bySegment.rows.map((r) => [r.name, r.money.revenue])).toEqual([
        ["VIP", 50_000],
        ["Everyone", 20_000],
      ]);

      // A 10-day window reaches o2 (8 days after m2's read) on the next pass.
      await updateAnalyticsSettings(store.db, { windowDays: 10 }, NOW);
      await analyticsTick(store, NOW + 1);
      const wider = await campaignReport(store.db, h.campaignA, NOW + 1);
      expect(wider.money.revenue).toBe(80_000);
      expect(wider.counts.converted).toBe(2);
    });

    it("compares segments against the base, with lift", async () => {
      const c = await segmentComparison(store.db, [h.segmentG], { from: T0 - DAY, to: NOW });
      expect(c.base).toMatchObject({
        delivered: 4,
        readRate: 3 / 4,
        replyRate: 1 / 4,
        conversionRate: 2 / 4,
        revenue: 70_000,
      });
      const g = c.segments[0];
      expect(g).toMatchObject({ name: "VIP", delivered: 3, readRate: 2 / 3, replyRate: 1 / 3, conversionRate: 1 / 3 });
      expect(g?.lift.readRate).toBeCloseTo(2 / 3 / (3 / 4), 12);
      expect(g?.lift.replyRate).toBeCloseTo(1 / 3 / (1 / 4), 12);
      expect(g?.lift.conversionRate).toBeCloseTo(1 / 3 / (1 / 2), 12);
      expect(g?.costPerConversion).toBe(169);
    });

    it("counts reads and replies by weekday and hour in the recipients' zone", async () => {
      const { heatmap } = await sendTimeHeatmap(store.db, { from: T0 - DAY, to: NOW }, h.segmentG);
      const cells = (xs: number[]) => Object.fromEntries(xs.flatMap((n, i) => (n > 0 ? [[i, n]] : [])));
      // Monday 18:10 and 20:00 in Seoul; replies Monday 18:20 and Wednesday 00:00 (30 hours after 18:00 Monday).
      expect(cells(heatmap.reads)).toEqual({ 18: 1, 20: 1 });
      expect(cells(heatmap.replies)).toEqual({ 18: 1, 48: 1 });
      const all = await sendTimeHeatmap(store.db, { from: T0 - DAY, to: NOW }, null);
      expect(cells(all.heatmap.reads)).toEqual({ 18: 1, 20: 1, [3 * 24 + 19]: 1 }); // m7: Thursday 19:00
    });

    it("reports sender health: reply rate, blocks, opt-outs, quality history, today's use", async () => {
      const { senders } = await senderHealth(store.db, NOW, 30);
      expect(senders).toHaveLength(1);
      expect(senders[0]).toMatchObject({
        delivered: 4,
        replied: 1,
        replyRate: 1 / 4,
        blockRate: 1 / 6,
        optOutRate: 1 / 5,
        usedToday: 0,
        tierLimit: 250,
        warnings: [],
        qualityHistory: [{ qualityRating: "GREEN", messagingTier: "TIER_250", at: NOW }],
      });
    });

    it("computes customer value: LTV by month, engaged vs the rest, cohorts", async () => {
      const snap = await customerValueSnapshot(store.db);
      const v = snap?.value;
      expect(v?.currency).toBe("KRW");
      expect(v?.months).toHaveLength(12);
      expect(v?.months.at(-1)).toEqual({
        month: "2026-11",
        revenue: 100_000,
        orders: 3,
        buyers: 2,
        newCustomers: 2,
        customers: 2,
        ltv: 50_000,
        averageOrder: 33_333,
      });
      expect(v?.engaged).toEqual({ customers: 2, buyers: 2, repurchaseRate: 1 / 2, yearlySpend: 50_000 });
      expect(v?.others).toEqual({ customers: 4, buyers: 0, repurchaseRate: null, yearlySpend: null });
      expect(v?.cohorts.at(-1)).toEqual({ cohort: "2026-11", size: 2, active: [2], retention: [1] });
    });
  });
}
