import { describe, expect, it } from "vitest";
import { computeContactMetrics, withRfm } from "../../../src/domain/metrics/index.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

describe("computeContactMetrics", () => {
  const activity = {
    createdAt: NOW - 400 * DAY,
    orders: [
      { amount: 30_000, currency: "KRW", placedAt: NOW - 3 * DAY, status: "paid" as const },
      { amount: 20_000, currency: "KRW", placedAt: NOW - 33 * DAY, status: "paid" as const },
    ],
    interactions: [{ kind: "inbound" as const, at: NOW - 2 * DAY }],
  };

  it("combines order, frequency and engagement metrics", () => {
    expect(computeContactMetrics(activity, NOW, "KRW")).toMatchObject({
      currency: "KRW",
      orders30d: 1,
      orders90d: 2,
      totalSpent: 50_000,
      avgOrderValue: 25_000,
      frequencyClass: "monthly",
      medianGapDays: 30,
      effectiveGapDays: 30,
      heat: "active",
      lastInboundAt: NOW - 2 * DAY,
      readRate: null,
      rfmRecency: null,
      computedAt: NOW,
    });
  });

  it("adds RFM scores from the population's breakpoints", () => {
    const metrics = withRfm(computeContactMetrics(activity, NOW, "KRW"), {
      recency: [NOW - 100 * DAY, NOW - 50 * DAY, NOW - 20 * DAY, NOW - 10 * DAY],
      frequency: [1, 1, 2, 3],
      monetary: [10_000, 20_000, 40_000, 80_000],
    });
    expect(metrics).toMatchObject({ rfmRecency: 5, rfmFrequency: 3, rfmMonetary: 4 });
  });
});
