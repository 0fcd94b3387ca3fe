/**
 * Cost, revenue and ROI. Message costs are priced in micro-US-dollars (domain/pricing); revenue is in minor units of
 * the base currency. The two meet through `usdRate` (base-currency units per US dollar, a setting): without it,
 * cost in the base currency and ROI are null rather than guessed.
 */
import { currencyDigits } from "../metrics/money.js";

/** Cost in minor units of `currency` (rounded to the nearest unit), or null without a rate. */
export function costInCurrency(costMicroUsd: number, usdRate: number | null, currency: string): number | null {
  if (usdRate === null) return currency === "USD" ? Math.round(costMicroUsd / 10_000) : null;
  return Math.round((costMicroUsd / 1_000_000) * usdRate * 10 ** currencyDigits(currency));
}

export interface Returns {
  /** Revenue in minor units of the base currency. */
  revenue: number;
  /** Cost in minor units of the base currency, null when it cannot be converted. */
  cost: number | null;
  /** (revenue − cost) ÷ cost. */
  roi: number | null;
  /** (revenue − cost) ÷ sent messages, in minor units. */
  roiPerMessage: number | null;
  /** cost ÷ conversions, in minor units. */
  costPerConversion: number | null;
  /** revenue ÷ sent messages, in minor units. */
  revenuePerMessage: number | null;
}

/** The money figures of a campaign (or a group of them). */
export function returns(input: {
  revenue: number;
  costMicroUsd: number;
  usdRate: number | null;
  currency: string;
  sent: number;
  converted: number;
}): Returns {
  const cost = costInCurrency(input.costMicroUsd, input.usdRate, input.currency);
  const net = cost === null ? null : input.revenue - cost;
  return {
    revenue: input.revenue,
    cost,
    roi: net === null || cost === null || cost === 0 ? null : net / cost,
    roiPerMessage: net === null || input.sent === 0 ? null : net / input.sent,
    costPerConversion: cost === null || input.converted === 0 ? null : cost / input.converted,
    revenuePerMessage: input.sent === 0 ? null : input.revenue / input.sent,
  };
}
