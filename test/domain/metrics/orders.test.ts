import { describe, expect, it } from "vitest";
import { type OrderRecord, orderMetrics } from "../../../src/domain/metrics/index.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const order = (daysAgo: number, amount = 10_000, extra: Partial<OrderRecord> = {}): OrderRecord => ({
  amount,
  currency: "KRW",
  placedAt: NOW - daysAgo * DAY,
  status: "paid",
  ...extra,
});

describe("orderMetrics", () => {
  it("counts paid orders in 30, 90 and 365 days", () => {
    const metrics = orderMetrics([order(1), order(29), order(31), order(89), order(200), order(400)], NOW, "KRW");
    expect(metrics).toMatchObject({ orders30d: 2, orders90d: 4, orders365d: 5, ordersTotal: 6 });
  });

  it("treats windows as half-open: an order exactly 30 days ago is outside the 30-day window", () => {
    expect(orderMetrics([order(30)], NOW, "KRW").orders30d).toBe(0);
    expect(orderMetrics([order(30 - 1 / 24)], NOW, "KRW").orders30d).toBe(1);
  });

  it("excludes refunded and cancelled orders everywhere", () => {
    const metrics = orderMetrics(
      [order(1, 50_000, { status: "refunded" }), order(2, 70_000, { status: "cancelled" }), order(3, 10_000)],
      NOW,
      "KRW",
    );
    expect(metrics).toMatchObject({
      orders30d: 1,
      totalSpent: 10_000,
      avgOrderValue: 10_000,
      lastOrderAt: NOW - 3 * DAY,
    });
  });

  it("sums only base-currency orders and counts the others separately", () => {
    const metrics = orderMetrics(
      [order(1, 15_000), order(2, 2_500, { currency: "USD" }), order(3, 25_000)],
      NOW,
      "KRW",
    );
    expect(metrics).toMatchObject({
      orders30d: 3,
      totalSpent: 40_000,
      avgOrderValue: 20_000,
      foreignCurrencyOrders: 1,
    });
  });

  it("rounds the average to a whole minor unit", () => {
    expect(orderMetrics([order(1, 100), order(2, 100), order(3, 101)], NOW, "KRW").avgOrderValue).toBe(100);
    expect(orderMetrics([order(1, 1), order(2, 2)], NOW, "KRW").avgOrderValue).toBe(2);
  });

  it("separates lifetime spend from 365-day spend", () => {
    const metrics = orderMetrics([order(10, 1_000), order(500, 9_000)], NOW, "KRW");
    expect(metrics).toMatchObject({ totalSpent: 10_000, spent365d: 1_000 });
  });

  it("gives first and last order times and nulls for a contact without orders", () => {
    expect(orderMetrics([order(5), order(50)], NOW, "KRW")).toMatchObject({
      firstOrderAt: NOW - 50 * DAY,
      lastOrderAt: NOW - 5 * DAY,
    });
    expect(orderMetrics([], NOW, "KRW")).toMatchObject({ avgOrderValue: null, firstOrderAt: null, lastOrderAt: null });
  });

  it("ignores orders stamped after now", () => {
    expect(orderMetrics([order(-1)], NOW, "KRW").ordersTotal).toBe(0);
  });
});
