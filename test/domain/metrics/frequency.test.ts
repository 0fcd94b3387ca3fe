import { describe, expect, it } from "vitest";
import { median, type OrderRecord, purchaseFrequency } from "../../../src/domain/metrics/index.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const at = (daysAgo: number, status: OrderRecord["status"] = "paid"): OrderRecord => ({
  amount: 10_000,
  currency: "KRW",
  placedAt: NOW - daysAgo * DAY,
  status,
});
const every = (gapDays: number, count: number, startDaysAgo = 1) =>
  Array.from({ length: count }, (_, index) => at(startDaysAgo + index * gapDays));

describe("purchaseFrequency", () => {
  it("is none for a contact who never paid", () => {
    expect(purchaseFrequency([at(3, "refunded")], NOW).frequencyClass).toBe("none");
  });

  it("is occasional with a single purchase in the year", () => {
    expect(purchaseFrequency([at(10)], NOW).frequencyClass).toBe("occasional");
  });

  it("is weekly for a purchase every 7 days", () => {
    expect(purchaseFrequency(every(7, 8), NOW)).toMatchObject({ frequencyClass: "weekly", medianGapDays: 7 });
  });

  it("puts a 10-day median in weekly and an 11-day median in monthly", () => {
    expect(purchaseFrequency(every(10, 5), NOW).frequencyClass).toBe("weekly");
    expect(purchaseFrequency(every(11, 5), NOW).frequencyClass).toBe("monthly");
  });

  it("is monthly for a purchase every 30 days and quarterly every 90", () => {
    expect(purchaseFrequency(every(30, 6), NOW).frequencyClass).toBe("monthly");
    expect(purchaseFrequency(every(90, 4), NOW).frequencyClass).toBe("quarterly");
  });

  it("is occasional when purchases are more than 120 days apart", () => {
    expect(purchaseFrequency(every(150, 3), NOW).frequencyClass).toBe("occasional");
  });

  it("merges orders less than 24 hours apart into one purchase", () => {
    const splitCarts = every(30, 4).flatMap((order) => [order, { ...order, placedAt: order.placedAt + 3_600_000 }]);
    expect(purchaseFrequency(splitCarts, NOW)).toMatchObject({ frequencyClass: "monthly", medianGapDays: 30 });
  });

  it("lets a weekly buyer who went quiet for 30 days drift to monthly", () => {
    const result = purchaseFrequency(every(7, 8, 30), NOW);
    expect(result).toMatchObject({ frequencyClass: "monthly", medianGapDays: 7, effectiveGapDays: 15 });
  });

  it("ignores purchases older than 365 days for the gaps", () => {
    expect(purchaseFrequency([at(5), at(400), at(407)], NOW).frequencyClass).toBe("occasional");
  });
});

describe("median", () => {
  it("takes the middle value or the mean of the two middle values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
