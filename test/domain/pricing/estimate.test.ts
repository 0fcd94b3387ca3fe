import { describe, expect, it } from "vitest";
import {
  compareProviders,
  countByMarket,
  estimateCampaignCost,
  PROVIDER_PLANS,
} from "../../../src/domain/pricing/index.js";

const WHEN = Date.UTC(2026, 10, 24);

describe("estimateCampaignCost", () => {
  it("multiplies counts per market by the category's price", () => {
    const counts = countByMarket(["+821012345678", "+821098765432", "+12015550123", "+33612345678"]);
    const estimate = estimateCampaignCost(counts, "MARKETING", WHEN);
    expect(estimate).toEqual({
      category: "MARKETING",
      at: WHEN,
      recipients: 4,
      totalMicroUsd: 2 * 60_400 + 25_000,
      byMarket: [
        { market: "france", count: 1, unitMicroUsd: null, subtotalMicroUsd: 0 },
        { market: "north_america", count: 1, unitMicroUsd: 25_000, subtotalMicroUsd: 25_000 },
        { market: "other", count: 2, unitMicroUsd: 60_400, subtotalMicroUsd: 120_800 },
      ],
      unpricedRecipients: 1,
      card: "meta-usd-2026-01-01",
    });
  });

  it("prices 100,000 Korean utility messages at $770", () => {
    const estimate = estimateCampaignCost(new Map([["other", 100_000]]), "UTILITY", WHEN);
    expect(estimate.totalMicroUsd).toBe(770_000_000);
  });
});

describe("compareProviders", () => {
  it("compares monthly costs, cheapest first, without waiving Meta's charges", () => {
    const meta = 100_000 * 60_400; // 100,000 Korean marketing messages: $6,040
    const result = compareProviders(100_000, meta, PROVIDER_PLANS);
    expect(result.map((cost) => [cost.plan.id, cost.providerMicroUsd])).toEqual([
      ["cloud_api", 0],
      ["messagebird", 50_000_000 + 99_000 * 4_500],
      ["twilio", 100_000 * 5_000],
      ["zenvia", 30_000_000 + 99_500 * 6_000],
    ]);
    expect(result[0]?.totalMicroUsd).toBe(meta);
  });

  it("lets free messages cover small volumes", () => {
    const result = compareProviders(500, 0);
    const zenvia = result.find((cost) => cost.plan.id === "zenvia");
    expect(zenvia?.providerMicroUsd).toBe(30_000_000);
    const twilio = result.find((cost) => cost.plan.id === "twilio");
    expect(twilio?.providerMicroUsd).toBe(2_500_000);
  });
});
