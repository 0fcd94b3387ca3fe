import { describe, expect, it } from "vitest";
import { seedAnalyticsDemo } from "../../src/demo-analytics.js";
import { seedCustomerDemo } from "../../src/demo-customers.js";
import { isQuietTime } from "../../src/domain/consent/quiet-hours.js";
import { analyticsTick } from "../../src/engine/analytics-refresh.js";
import {
  attributionReport,
  segmentComparison,
  senderHealth,
  sendTimeHeatmap,
} from "../../src/store/analytics-reports.js";
import { customerValueSnapshot } from "../../src/store/analytics-value.js";
import { createSender } from "../../src/store/senders.js";
import { insertTemplate } from "../../src/store/templates.js";
import { box, DAY, template } from "../support/analytics-history.js";
import { sqlite } from "../support/dialects.js";

// Real: SQLite, the demo seeders and the analytics loop's tick. Faked: the clock.
const NOW = Date.UTC(2026, 10, 26, 9);

async function seeded() {
  const store = await sqlite.open();
  await seedCustomerDemo(store, NOW);
  const sender = await createSender(
    store.db,
    box,
    {
      name: "Sandbox number",
      provider: "sandbox",
      phoneNumberId: "106540352242922",
      wabaId: "102290129340398",
      displayPhoneNumber: "+1 555 078 3881",
      apiVersion: "v23.0",
      accessToken: "t".repeat(10),
      appSecret: "s".repeat(10),
      verifyToken: "v".repeat(10),
      mpsLimit: 80,
      messagingTier: "TIER_10K",
      qualityRating: "GREEN",
    },
    NOW,
  );
  await insertTemplate(
    store.db,
    {
      template,
      lint: [],
      wabaId: "102290129340398",
      senderId: sender.id,
      status: "APPROVED",
      createdBy: null,
      source: "create",
      event: "created",
    },
    NOW,
  );
  const line = await seedAnalyticsDemo(store, sender.id, NOW);
  await analyticsTick(store, NOW, { force: true });
  return { store, line };
}

describe("analytics demo data", () => {
  it("gives every report data, the same way on every first start", async () => {
    const a = await seeded();
    const b = await seeded();
    try {
      expect(a.line).toMatch(/^8 past campaigns with \d+ messages, \d+ clicks and \d+ orders for Analytics$/);
      expect(b.line).toBe(a.line);
      // Some demo campaigns kept quiet hours (21–8), and none of their messages went out inside them (Seoul).
      const quiet = await a.store.db
        .selectFrom("messages")
        .innerJoin("campaigns", "campaigns.id", "messages.campaign_id")
        .select(["messages.sent_at"])
        .where("campaigns.quiet_start_hour", "=", 21)
        .where("campaigns.quiet_end_hour", "=", 8)
        .where("messages.sent_at", "is not", null)
        .execute();
      expect(quiet.length).toBeGreaterThan(0);
      for (const m of quiet) expect(isQuietTime(Number(m.sent_at), "Asia/Seoul")).toBe(false);
      const period = { from: NOW - 90 * DAY, to: NOW };
      const byCampaign = await attributionReport(a.store.db, "campaign", period);
      expect(byCampaign.rows).toHaveLength(8);
      for (const row of byCampaign.rows) {
        expect(row.sent).toBeGreaterThan(0);
        expect(row.money.cost).toBeGreaterThan(0);
      }
      expect(byCampaign.rows.filter((r) => r.money.revenue > 0).length).toBeGreaterThanOrEqual(6);
      const other = await attributionReport(b.store.db, "campaign", period);
      expect(other.rows.map((r) => [r.name, r.sent, r.converted, r.money.revenue])).toEqual(
        byCampaign.rows.map((r) => [r.name, r.sent, r.converted, r.money.revenue]),
      );
      const segments = await a.store.db.selectFrom("segments").select("id").execute();
      const cmp = await segmentComparison(
        a.store.db,
        segments.map((s) => s.id),
        period,
      );
      for (const s of cmp.segments) expect(s.delivered).toBeGreaterThan(0);
      const times = await sendTimeHeatmap(a.store.db, period, null);
      expect(times.bestHour).not.toBeNull();
      const health = await senderHealth(a.store.db, NOW, 90);
      expect(health.senders[0]?.qualityHistory.length).toBeGreaterThanOrEqual(4);
      expect(health.senders[0]?.replyRate).toBeGreaterThan(0);
      const value = (await customerValueSnapshot(a.store.db))?.value;
      expect(value?.months.filter((m) => m.revenue > 0).length).toBeGreaterThanOrEqual(10);
      expect(value?.engaged.buyers).toBeGreaterThan(0);
      expect(value?.cohorts.some((c) => c.size > 0)).toBe(true);
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });
});
