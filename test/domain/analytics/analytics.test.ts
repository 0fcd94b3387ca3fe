import { describe, expect, it } from "vitest";
import { DEFAULT_RULE, lastTouch, type Touch } from "../../../src/domain/analytics/attribution.js";
import {
  isBotClick,
  isTrackedButtonUrl,
  LINK_CODE_PATTERN,
  linkCodeFrom,
} from "../../../src/domain/analytics/clicks.js";
import { bestHourOf, emptyHeatmap, heatmapCell } from "../../../src/domain/analytics/heatmap.js";
import { costInCurrency, returns } from "../../../src/domain/analytics/money.js";
import { ltvReview, monthOf, monthsBetween } from "../../../src/domain/analytics/value.js";

const DAY = 86_400_000;

describe("last-touch attribution", () => {
  const touches: Touch[] = [
    { messageId: "a", campaignId: "A", kind: "read", at: 1_000 },
    { messageId: "b", campaignId: "B", kind: "click", at: 5_000 },
    { messageId: "c", campaignId: "C", kind: "read", at: 9_000 },
  ];
  it("picks the latest touch before the order", () => {
    expect(lastTouch(6_000, touches, DEFAULT_RULE)?.messageId).toBe("b");
    expect(lastTouch(9_000, touches, DEFAULT_RULE)?.messageId).toBe("c");
  });
  it("ignores touches after the order or older than the window", () => {
    expect(lastTouch(500, touches, DEFAULT_RULE)).toBeNull();
    expect(lastTouch(1_000 + 7 * DAY + 1, [touches[0] as Touch], DEFAULT_RULE)).toBeNull();
    expect(lastTouch(1_000 + 7 * DAY, [touches[0] as Touch], DEFAULT_RULE)?.messageId).toBe("a");
  });
  it("counts only clicks under the click rule, and prefers a click on a tie", () => {
    expect(lastTouch(10_000, touches, { windowDays: 7, touches: "click" })?.messageId).toBe("b");
    const tie: Touch[] = [
      { messageId: "z", campaignId: null, kind: "read", at: 10 },
      { messageId: "a", campaignId: null, kind: "click", at: 10 },
    ];
    expect(lastTouch(20, tie, DEFAULT_RULE)?.messageId).toBe("a");
  });
});

describe("click tracking", () => {
  it("treats link previews, crawlers, HEAD and empty agents as bots", () => {
    expect(isBotClick("GET", "WhatsApp/2.23.20.0 A")).toBe(true);
    expect(isBotClick("GET", "facebookexternalhit/1.1")).toBe(true);
    expect(isBotClick("HEAD", "Mozilla/5.0")).toBe(true);
    expect(isBotClick("GET", undefined)).toBe(true);
    expect(isBotClick("GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1")).toBe(false);
  });
  it("makes 10-character base62 codes, rejecting bytes that would bias them", () => {
    const bytes = new Uint8Array([250, 0, 61, 62, 123, 247, 1, 2, 3, 4, 5, 6]);
    const code = linkCodeFrom(bytes);
    // 250 is skipped (≥ 248); 62 and 123 wrap to "0" and "z".
    expect(code).toBe("0z0zz12345");
    expect(code).toMatch(LINK_CODE_PATTERN);
    expect(linkCodeFrom(new Uint8Array([255, 255]))).toBeNull();
  });
  it("recognises a tracked URL button", () => {
    expect(isTrackedButtonUrl("https://herald.example/r/{{1}}")).toBe(true);
    expect(isTrackedButtonUrl("https://shop.example/o/{{1}}")).toBe(false);
  });
});

describe("heatmap", () => {
  it("puts an instant in the recipient's weekday and hour (Monday = 0)", () => {
    const mon0900utc = Date.UTC(2026, 10, 2, 9);
    expect(heatmapCell(mon0900utc, "Asia/Seoul")).toBe(18);
    expect(heatmapCell(mon0900utc, "America/New_York")).toBe(4); // 04:00 Monday (EST)
    expect(heatmapCell(Date.UTC(2026, 10, 1, 23), "Asia/Seoul")).toBe(8); // Sunday 23h UTC = Monday 08h Seoul
  });
  it("gives the best hour only with enough engagement", () => {
    const map = emptyHeatmap();
    map.reads[20] = 20;
    map.replies[24 + 11] = 25;
    expect(bestHourOf(map)).toBe(11);
    expect(bestHourOf(map, 100)).toBeNull();
  });
});

describe("money and value", () => {
  it("converts µUSD into the base currency only with a rate", () => {
    expect(costInCurrency(120_800, 1400, "KRW")).toBe(169);
    expect(costInCurrency(120_800, null, "USD")).toBe(12);
    expect(costInCurrency(120_800, null, "KRW")).toBeNull();
    expect(returns({ revenue: 1000, costMicroUsd: 0, usdRate: 1, currency: "USD", sent: 0, converted: 0 })).toEqual({
      revenue: 1000,
      cost: 0,
      roi: null,
      roiPerMessage: null,
      costPerConversion: null,
      revenuePerMessage: null,
    });
  });
  it("accumulates lifetime value month by month", () => {
    const rows = ltvReview(
      [
        { month: "2026-01", revenue: 100, orders: 2, buyers: 2, newCustomers: 2 },
        { month: "2026-02", revenue: 50, orders: 1, buyers: 1, newCustomers: 0 },
      ],
      { revenue: 0, customers: 0 },
    );
    expect(rows.map((r) => r.ltv)).toEqual([50, 75]);
    expect(monthOf(Date.UTC(2026, 0, 31, 23))).toBe("2026-01");
    expect(monthsBetween("2025-11", "2026-02")).toBe(3);
  });
});
