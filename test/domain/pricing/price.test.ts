import { describe, expect, it } from "vitest";
import {
  formatMicroUsd,
  type PriceQuery,
  priceMessage,
  RATE_CARD_2026_01,
  rateCardAt,
  usdToMicro,
} from "../../../src/domain/pricing/index.js";

const KOREA = "+821012345678";
const US = "+12015550123";
const BEFORE_OCT = Date.UTC(2026, 8, 30, 12);
const AFTER_OCT = Date.UTC(2026, 9, 1, 0, 0, 1);

const query = (changes: Partial<PriceQuery>): PriceQuery => ({
  message: { kind: "template", category: "MARKETING" },
  recipient: KOREA,
  at: BEFORE_OCT,
  delivered: true,
  inServiceWindow: false,
  inFreeEntryPoint: false,
  ...changes,
});

describe("priceMessage", () => {
  it("charges a delivered Korean marketing template the Other rate, $0.0604", () => {
    expect(priceMessage(query({}))).toEqual({
      kind: "charged",
      market: "other",
      rate: "marketing",
      microUsd: 60_400,
      card: "meta-usd-2026-01-01",
    });
  });

  it("charges Korean utility and authentication templates $0.0077", () => {
    const utility = priceMessage(query({ message: { kind: "template", category: "UTILITY" } }));
    const auth = priceMessage(query({ message: { kind: "template", category: "AUTHENTICATION" } }));
    expect(utility.kind === "charged" && utility.microUsd).toBe(7_700);
    expect(auth.kind === "charged" && auth.microUsd).toBe(7_700);
  });

  it("charges North America's marketing rate to a US number", () => {
    const price = priceMessage(query({ recipient: US }));
    expect(price).toMatchObject({ kind: "charged", market: "north_america", microUsd: 25_000 });
  });

  it("does not charge an undelivered message", () => {
    expect(priceMessage(query({ delivered: false }))).toEqual({
      kind: "free",
      reason: "not_delivered",
      market: "other",
    });
  });

  it("does not charge anything inside a free entry point window, marketing included", () => {
    expect(priceMessage(query({ inFreeEntryPoint: true }))).toMatchObject({ kind: "free", reason: "free_entry_point" });
  });

  it("does not charge a utility template inside the service window before 1 October 2026", () => {
    const price = priceMessage(query({ message: { kind: "template", category: "UTILITY" }, inServiceWindow: true }));
    expect(price).toMatchObject({ kind: "free", reason: "utility_in_service_window" });
  });

  it("charges a utility template inside the service window from 1 October 2026 at the utility rate", () => {
    const price = priceMessage(
      query({ message: { kind: "template", category: "UTILITY" }, inServiceWindow: true, at: AFTER_OCT }),
    );
    expect(price).toMatchObject({ kind: "charged", rate: "utility", microUsd: 7_700 });
  });

  it("charges a marketing template inside the service window", () => {
    expect(priceMessage(query({ inServiceWindow: true })).kind).toBe("charged");
  });

  it("does not charge service messages before 1 October 2026", () => {
    expect(priceMessage(query({ message: { kind: "service" }, inServiceWindow: true }))).toMatchObject({
      kind: "free",
      reason: "service_message",
    });
  });

  it("gives 1,000 free service messages a month from 1 October 2026, then charges the utility rate", () => {
    const service = (count: number) =>
      priceMessage(
        query({ message: { kind: "service" }, at: AFTER_OCT, inServiceWindow: true, serviceMessagesThisMonth: count }),
      );
    expect(service(999)).toMatchObject({ kind: "free", reason: "service_allowance" });
    expect(service(1_000)).toMatchObject({ kind: "charged", rate: "utility", microUsd: 7_700 });
  });

  it("takes the switch dates and allowance from configuration", () => {
    const data = {
      cards: [RATE_CARD_2026_01],
      markets: [],
      rules: { utilityInWindowChargedFrom: 0, serviceChargedFrom: 0, freeServiceMessagesPerMonth: 0 },
    };
    const price = priceMessage(query({ message: { kind: "service" }, serviceMessagesThisMonth: 0 }), data);
    expect(price).toMatchObject({ kind: "charged", market: "other", rate: "utility" });
  });

  it("uses the authentication-international rate where the card has one, else the authentication rate", () => {
    const india = priceMessage(
      query({
        recipient: "+919876543210",
        message: { kind: "template", category: "AUTHENTICATION", authenticationInternational: true },
      }),
    );
    expect(india).toMatchObject({ kind: "charged", rate: "authenticationInternational", microUsd: 28_000 });
    const korea = priceMessage(
      query({ message: { kind: "template", category: "AUTHENTICATION", authenticationInternational: true } }),
    );
    expect(korea).toMatchObject({ kind: "charged", microUsd: 7_700 });
  });

  it("reports a market without a loaded rate as unpriced instead of guessing", () => {
    expect(priceMessage(query({ recipient: "+33612345678" }))).toEqual({
      kind: "unpriced",
      market: "france",
      reason: "no_rate_for_market",
    });
  });

  it("reports a date before the first card as unpriced", () => {
    expect(priceMessage(query({ at: Date.UTC(2025, 11, 31) }))).toMatchObject({
      kind: "unpriced",
      reason: "no_card_for_date",
    });
  });
});

describe("rate cards", () => {
  it("keeps Meta's four-decimal prices exact in micro-dollars", () => {
    expect(usdToMicro(0.0604)).toBe(60_400);
    expect(usdToMicro(0.0077)).toBe(7_700);
    expect(RATE_CARD_2026_01.markets.other).toEqual({ marketing: 60_400, utility: 7_700, authentication: 7_700 });
  });

  it("picks the latest card in force on a date", () => {
    const later = { ...RATE_CARD_2026_01, id: "later", effectiveFrom: Date.UTC(2026, 3, 1) };
    const cards = [later, RATE_CARD_2026_01];
    expect(rateCardAt(cards, Date.UTC(2026, 2, 31))?.id).toBe("meta-usd-2026-01-01");
    expect(rateCardAt(cards, Date.UTC(2026, 3, 1))?.id).toBe("later");
  });

  it("formats micro-dollars", () => {
    expect(formatMicroUsd(60_400)).toBe("$0.0604");
    expect(formatMicroUsd(50_000_000)).toBe("$50.00");
    expect(formatMicroUsd(5_000)).toBe("$0.005");
  });
});
