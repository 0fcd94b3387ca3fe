import { describe, expect, it } from "vitest";
import {
  evaluateHighFrequency,
  evaluateTagRule,
  evaluateTopSpender,
  formatMoney,
  HIGH_FREQUENCY_RULE,
  type OrderRecord,
  type TagFacts,
  topShareThreshold,
  VIP_RULE,
} from "../../../src/domain/metrics/index.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const at = (daysAgo: number, status: OrderRecord["status"] = "paid"): OrderRecord => ({
  amount: 10_000,
  currency: "KRW",
  placedAt: NOW - daysAgo * DAY,
  status,
});

describe("high-frequency tag", () => {
  it("applies with a paid order in each of the last three 30-day periods", () => {
    const verdict = evaluateHighFrequency([at(5), at(35), at(65)], NOW);
    expect(verdict).toEqual({
      applies: true,
      explanation:
        "Has a paid order in each of the last 3 30-day periods (0–30 days ago: 1; 30–60 days ago: 1; 60–90 days ago: 1).",
    });
  });

  it("does not apply when one period is empty, and says which", () => {
    const verdict = evaluateHighFrequency([at(5), at(6), at(65)], NOW);
    expect(verdict.applies).toBe(false);
    expect(verdict.explanation).toContain("30–60 days ago: 0");
  });

  it("does not count a refunded order", () => {
    expect(evaluateHighFrequency([at(5), at(35, "refunded"), at(65)], NOW).applies).toBe(false);
  });

  it("puts an order exactly 30 days ago in the second period", () => {
    expect(evaluateHighFrequency([at(30), at(59), at(89)], NOW).applies).toBe(false);
    expect(evaluateHighFrequency([at(29), at(30), at(89)], NOW).applies).toBe(true);
  });
});

describe("VIP tag (top 10% by 365-day spend)", () => {
  const spends = Array.from({ length: 100 }, (_, i) => (i + 1) * 1_000); // 1,000 … 100,000

  it("sets the threshold at the smallest spend in the top 10%", () => {
    expect(topShareThreshold(spends, 0.1)).toBe(91_000);
    expect(topShareThreshold([5_000], 0.1)).toBe(5_000);
    expect(topShareThreshold([], 0.1)).toBeNull();
  });

  it("applies at the threshold and explains it in the shop's currency", () => {
    const verdict = evaluateTopSpender(91_000, 91_000, { share: 0.1, buyers: 100, currency: "KRW" });
    expect(verdict).toEqual({
      applies: true,
      explanation: "Spent ₩91,000 in the last 365 days; the top 10% of 100 buyers starts at ₩91,000.",
    });
    expect(evaluateTopSpender(90_000, 91_000, { share: 0.1, buyers: 100, currency: "KRW" }).applies).toBe(false);
  });

  it("never applies to a contact who spent nothing", () => {
    expect(evaluateTopSpender(0, 0, { share: 0.1, buyers: 1, currency: "KRW" }).applies).toBe(false);
  });
});

describe("evaluateTagRule", () => {
  const facts: TagFacts = {
    now: NOW,
    orders: [at(5), at(35), at(65)],
    spent365d: 30_000,
    currency: "KRW",
    subject: { values: { "contact.country": "KR" }, tags: [], campaigns: { received: [], read: [], replied: [] } },
    topSpenders: { threshold: 20_000, buyers: 50 },
  };

  it("dispatches each kind of rule", () => {
    expect(evaluateTagRule(HIGH_FREQUENCY_RULE, facts).applies).toBe(true);
    expect(evaluateTagRule(VIP_RULE, facts).applies).toBe(true);
    const segmentRule = {
      kind: "segment" as const,
      tag: "korea",
      description: "country is KR",
      rules: { kind: "condition" as const, field: "contact.country", op: "eq" as const, value: "KR" },
    };
    expect(evaluateTagRule(segmentRule, facts)).toEqual({
      applies: true,
      explanation: "Matches the rule: country is KR.",
    });
  });

  it("does not tag VIPs before the ranking exists", () => {
    expect(evaluateTagRule(VIP_RULE, { ...facts, topSpenders: null }).applies).toBe(false);
  });
});

describe("formatMoney", () => {
  it("uses the currency's minor units", () => {
    expect(formatMoney(15_000, "KRW")).toBe("₩15,000");
    expect(formatMoney(1_234, "USD")).toBe("$12.34");
  });
});
