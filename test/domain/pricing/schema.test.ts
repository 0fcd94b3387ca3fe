import { describe, expect, it } from "vitest";
import {
  PROVIDER_PLANS,
  providerPlanSchema,
  RATE_CARD_2026_01,
  rateCardSchema,
} from "../../../src/domain/pricing/index.js";

describe("pricing schemas", () => {
  it("accepts the shipped rate card and provider plans", () => {
    expect(rateCardSchema.safeParse(RATE_CARD_2026_01).success).toBe(true);
    for (const plan of PROVIDER_PLANS) expect(providerPlanSchema.safeParse(plan).success).toBe(true);
  });

  it("refuses fractional micro-dollars (a price typed in dollars by mistake)", () => {
    const card = {
      ...RATE_CARD_2026_01,
      markets: { other: { marketing: 0.0604, utility: null, authentication: null } },
    };
    expect(rateCardSchema.safeParse(card).success).toBe(false);
  });
});
