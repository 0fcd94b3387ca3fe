/**
 * What one message costs, by Meta's per-message pricing rules (whatsapp-reference.md §6.1–6.2):
 * - only delivered messages are charged;
 * - everything inside an open 72-hour free entry point window is free;
 * - a template is charged by its category and the recipient's market, except a utility template inside an open
 *   customer-service window, which is free until 1 October 2026 and charged at the utility rate from then on;
 * - a service (free-form) message is free until 1 October 2026; from then on it is charged at the market's utility
 *   rate, after a free allowance of 1,000 delivered service messages per business number per calendar month.
 * The two dates and the allowance are *reported* (§6.2: "verify before billing"), so they are configuration.
 * Volume tiers (utility/authentication discounts above monthly thresholds) are not modelled: the thresholds are
 * not published in our sources, so estimates are at the list rate, an upper bound.
 */
import { marketForPhone, type PhoneMarket } from "../phone/market.js";
import type { TemplateCategory } from "../template/model.js";
import { OTHER_MARKET, PRICING_MARKETS } from "./markets.js";
import { DEFAULT_RATE_CARDS, type MarketRates, type RateCard, rateCardAt } from "./rate-card.js";

export interface PricingRules {
  /** From this instant, utility templates inside an open customer-service window are charged. */
  utilityInWindowChargedFrom: number;
  /** From this instant, delivered service (free-form) messages are charged. */
  serviceChargedFrom: number;
  /** Free delivered service messages per business number per calendar month once they are charged. */
  freeServiceMessagesPerMonth: number;
}

export const DEFAULT_PRICING_RULES: PricingRules = {
  utilityInWindowChargedFrom: Date.UTC(2026, 9, 1),
  serviceChargedFrom: Date.UTC(2026, 9, 1),
  freeServiceMessagesPerMonth: 1000,
};

export type PricedMessage =
  | { kind: "template"; category: TemplateCategory; authenticationInternational?: boolean }
  | { kind: "service" };

export interface PriceQuery {
  message: PricedMessage;
  /** The recipient's E.164 number (the market comes from its calling code). */
  recipient: string;
  /** When the message was (or will be) delivered. */
  at: number;
  delivered: boolean;
  inServiceWindow: boolean;
  inFreeEntryPoint: boolean;
  /** Service messages already delivered this month from the same business number (for the free allowance). */
  serviceMessagesThisMonth?: number;
}

export type FreeReason =
  | "not_delivered"
  | "free_entry_point"
  | "utility_in_service_window"
  | "service_message"
  | "service_allowance";

export type Price =
  | { kind: "free"; reason: FreeReason; market: string }
  | { kind: "charged"; market: string; rate: keyof MarketRates; microUsd: number; card: string }
  | { kind: "unpriced"; market: string; reason: "no_card_for_date" | "no_rate_for_market" };

export interface PricingData {
  cards: readonly RateCard[];
  markets: readonly PhoneMarket[];
  rules: PricingRules;
}

export const DEFAULT_PRICING: PricingData = {
  cards: DEFAULT_RATE_CARDS,
  markets: PRICING_MARKETS,
  rules: DEFAULT_PRICING_RULES,
};

/** The pricing market of a number: its longest calling-code prefix, else "other". */
export function pricingMarketOf(recipient: string, markets: readonly PhoneMarket[] = PRICING_MARKETS): string {
  return marketForPhone(recipient, markets) ?? OTHER_MARKET;
}

/** The price of one message under the rules above. */
export function priceMessage(query: PriceQuery, data: PricingData = DEFAULT_PRICING): Price {
  return priceInMarket(pricingMarketOf(query.recipient, data.markets), query, data);
}

/** The price of one message to a recipient in `market` (the recipient's number is not looked at). */
export function priceInMarket(
  market: string,
  query: Omit<PriceQuery, "recipient">,
  data: PricingData = DEFAULT_PRICING,
): Price {
  const free = (reason: FreeReason): Price => ({ kind: "free", reason, market });
  if (!query.delivered) return free("not_delivered");
  if (query.inFreeEntryPoint) return free("free_entry_point");

  const { message, at } = query;
  const { rules } = data;
  let rate: keyof MarketRates;
  switch (message.kind) {
    case "service":
      if (at < rules.serviceChargedFrom) return free("service_message");
      if ((query.serviceMessagesThisMonth ?? 0) < rules.freeServiceMessagesPerMonth) return free("service_allowance");
      rate = "utility";
      break;
    case "template":
      if (message.category === "UTILITY" && query.inServiceWindow && at < rules.utilityInWindowChargedFrom) {
        return free("utility_in_service_window");
      }
      rate = rateFor(message.category, message.authenticationInternational === true);
      break;
    default: {
      const unexpected: never = message;
      throw new Error(`unknown message ${JSON.stringify(unexpected)}`);
    }
  }

  const card = rateCardAt(data.cards, at);
  if (card === null) return { kind: "unpriced", market, reason: "no_card_for_date" };
  const rates = card.markets[market];
  // Authentication-international falls back to the market's authentication rate where the card has none.
  const microUsd =
    rates?.[rate] ?? (rate === "authenticationInternational" ? rates?.authentication : undefined) ?? null;
  if (microUsd === null) return { kind: "unpriced", market, reason: "no_rate_for_market" };
  return { kind: "charged", market, rate, microUsd, card: card.id };
}

function rateFor(category: TemplateCategory, international: boolean): keyof MarketRates {
  switch (category) {
    case "MARKETING":
      return "marketing";
    case "UTILITY":
      return "utility";
    case "AUTHENTICATION":
      return international ? "authenticationInternational" : "authentication";
    default: {
      const unexpected: never = category;
      throw new Error(`unknown category ${String(unexpected)}`);
    }
  }
}
