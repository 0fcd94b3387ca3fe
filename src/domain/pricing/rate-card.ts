/**
 * Meta's rate card as dated data. Prices are integer micro-dollars (µUSD, millionths of a US dollar): Meta quotes
 * four decimal places (0.0604), which are exact in µUSD (60_400) and not in binary floating point or in cents.
 * A price applies by the date the message was delivered (§6.2), so cards carry the instant they take effect.
 */

/** Micro-dollars per delivered message; null where the card has no value loaded (the lookup reports it unpriced). */
export interface MarketRates {
  marketing: number | null;
  utility: number | null;
  authentication: number | null;
  /** Only for markets with an authentication-international rate (§6.1). */
  authenticationInternational?: number | null;
}

export interface RateCard {
  id: string;
  /** UTC epoch ms from which this card applies, until the next card's. */
  effectiveFrom: number;
  currency: "USD";
  /** Rates per market id (pricing/markets.ts). A market missing here has no rates on this card. */
  markets: Readonly<Record<string, MarketRates>>;
  /** Where the values come from and how sure we are. */
  source: string;
}

/** Convert a dollar figure as Meta prints it (0.0604) to micro-dollars (60400). */
export function usdToMicro(usd: number): number {
  return Math.round(usd * 1_000_000);
}

/** "$0.0604" for 60400 µUSD; at least two and at most six decimals. */
export function formatMicroUsd(micro: number): string {
  const dollars = micro / 1_000_000;
  const text = dollars.toFixed(6).replace(/0+$/u, "");
  const [whole, fraction = ""] = text.split(".");
  return `${micro < 0 ? "-" : ""}$${whole?.replace("-", "")}.${fraction.padEnd(2, "0")}`;
}

const rates = (marketing: number, utility: number, authentication: number, intl?: number): MarketRates => {
  const market: MarketRates = {
    marketing: usdToMicro(marketing),
    utility: usdToMicro(utility),
    authentication: usdToMicro(authentication),
  };
  if (intl !== undefined) market.authenticationInternational = usdToMicro(intl);
  return market;
};

/**
 * Meta's 1 January 2026 USD card, as far as whatsapp-reference.md §6.3 carries it (a third-party transcription
 * cross-checked against the July 2025 card). Markets without values there are left out: their messages come
 * back "unpriced" rather than silently priced as "other". India's authentication-international rate is the
 * 1 April 2026 value (0.0280), the only one known.
 */
export const RATE_CARD_2026_01: RateCard = {
  id: "meta-usd-2026-01-01",
  effectiveFrom: Date.UTC(2026, 0, 1),
  currency: "USD",
  source:
    "Meta per-message rate card effective 2026-01-01 (USD), transcribed in whatsapp-reference.md §6.3; seed data, editable.",
  markets: {
    north_america: rates(0.025, 0.0034, 0.0034),
    india: rates(0.0118, 0.0014, 0.0014, 0.028),
    brazil: rates(0.0625, 0.0068, 0.0068),
    indonesia: rates(0.0411, 0.025, 0.025, 0.136),
    united_kingdom: rates(0.0529, 0.022, 0.022),
    germany: rates(0.1365, 0.055, 0.055),
    rest_of_asia_pacific: rates(0.0732, 0.0113, 0.0113),
    other: rates(0.0604, 0.0077, 0.0077),
    rest_of_western_europe: rates(0.0592, 0.0171, 0.0171),
    mexico: rates(0.0305, 0.0085, 0.0085),
  },
};

export const DEFAULT_RATE_CARDS: readonly RateCard[] = [RATE_CARD_2026_01];

/** The card in force at `at`: the latest whose `effectiveFrom` ≤ at; null before the first card. */
export function rateCardAt(cards: readonly RateCard[], at: number): RateCard | null {
  let chosen: RateCard | null = null;
  for (const card of cards) {
    if (card.effectiveFrom <= at && (chosen === null || card.effectiveFrom > chosen.effectiveFrom)) chosen = card;
  }
  return chosen;
}
