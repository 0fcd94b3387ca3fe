export {
  type CampaignEstimate,
  countByMarket,
  estimateCampaignCost,
  type MarketEstimate,
} from "./estimate.js";
export {
  buildPricingMarkets,
  MARKET_COUNTRIES,
  OTHER_MARKET,
  PRICING_MARKETS,
  SHARED_CODE_PREFIXES,
} from "./markets.js";
export {
  DEFAULT_PRICING,
  DEFAULT_PRICING_RULES,
  type FreeReason,
  type Price,
  type PricedMessage,
  type PriceQuery,
  type PricingData,
  type PricingRules,
  priceInMarket,
  priceMessage,
  pricingMarketOf,
} from "./price.js";
export { compareProviders, PROVIDER_PLANS, type ProviderCost, type ProviderPlan } from "./providers.js";
export {
  DEFAULT_RATE_CARDS,
  formatMicroUsd,
  type MarketRates,
  RATE_CARD_2026_01,
  type RateCard,
  rateCardAt,
  usdToMicro,
} from "./rate-card.js";
export { marketRatesSchema, pricingRulesSchema, providerPlanSchema, rateCardSchema } from "./schema.js";
