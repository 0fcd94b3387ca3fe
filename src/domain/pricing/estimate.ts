/**
 * A campaign's cost before launch: recipients counted per market × the per-message price of the template's
 * category on the send date. It assumes every message is delivered and none falls in a free window, so it is
 * an upper bound (undelivered messages are not charged, and Meta's volume tiers can only lower utility and
 * authentication prices).
 */
import type { PhoneMarket } from "../phone/market.js";
import type { TemplateCategory } from "../template/model.js";
import { PRICING_MARKETS } from "./markets.js";
import { DEFAULT_PRICING, type PricingData, priceInMarket, pricingMarketOf } from "./price.js";

export interface MarketEstimate {
  market: string;
  count: number;
  /** Price per message in µUSD; null when the card has no rate for the market. */
  unitMicroUsd: number | null;
  subtotalMicroUsd: number;
}

export interface CampaignEstimate {
  category: TemplateCategory;
  at: number;
  recipients: number;
  totalMicroUsd: number;
  byMarket: MarketEstimate[];
  /** Recipients whose market has no rate on the card; not in the total. */
  unpricedRecipients: number;
  /** Card used, or null when none applies on that date. */
  card: string | null;
}

/** The longest calling-code prefix of each market list: a number's market depends on that many digits only. */
const longestPrefix = new WeakMap<readonly PhoneMarket[], number>();

function prefixLength(markets: readonly PhoneMarket[]): number {
  let length = longestPrefix.get(markets);
  if (length === undefined) {
    length = Math.max(0, ...markets.flatMap((m) => m.prefixes.map((p) => p.length)));
    longestPrefix.set(markets, length);
  }
  return length;
}

/**
 * Recipient counts per market, from E.164 numbers. The market is looked up once per distinct leading digits (as
 * many as the longest market prefix), not once per recipient: a launch counts up to 1,000,000 numbers.
 */
export function countByMarket(
  recipients: Iterable<string>,
  markets: readonly PhoneMarket[] = PRICING_MARKETS,
): Map<string, number> {
  const counts = new Map<string, number>();
  const byLead = new Map<string, string>();
  const length = prefixLength(markets);
  for (const recipient of recipients) {
    const lead = (recipient.startsWith("+") ? recipient.slice(1) : recipient).slice(0, length);
    let market = byLead.get(lead);
    if (market === undefined) {
      market = pricingMarketOf(lead, markets);
      byLead.set(lead, market);
    }
    counts.set(market, (counts.get(market) ?? 0) + 1);
  }
  return counts;
}

/** Estimate a campaign of `category` templates sent at `at` to `counts` recipients per market. */
export function estimateCampaignCost(
  counts: ReadonlyMap<string, number>,
  category: TemplateCategory,
  at: number,
  data: PricingData = DEFAULT_PRICING,
): CampaignEstimate {
  const byMarket: MarketEstimate[] = [];
  let total = 0;
  let unpriced = 0;
  let recipients = 0;
  let card: string | null = null;
  for (const [market, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    recipients += count;
    const price = priceInMarket(
      market,
      {
        message: { kind: "template", category },
        at,
        delivered: true,
        inServiceWindow: false,
        inFreeEntryPoint: false,
      },
      data,
    );
    const unit = price.kind === "charged" ? price.microUsd : null;
    if (price.kind === "charged") card = price.card;
    if (unit === null) unpriced += count;
    const subtotal = (unit ?? 0) * count;
    total += subtotal;
    byMarket.push({ market, count, unitMicroUsd: unit, subtotalMicroUsd: subtotal });
  }
  return { category, at, recipients, totalMicroUsd: total, byMarket, unpricedRecipients: unpriced, card };
}
