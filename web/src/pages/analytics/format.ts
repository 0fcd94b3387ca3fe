// Display helpers for the analytics pages: rates, money and lift, with "—" for an unknown value.
import { formatNumber, formatPercent } from "../../lib/format";
import { formatMoney } from "../../lib/money";

/** 0.1234 → "12.3%"; null → "—". */
export function pct(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return value < 0.1 && value > 0 ? `${(value * 100).toFixed(1)}%` : formatPercent(value);
}

/** Minor units → "₩50,000"; null → "—". */
export function money(value: number | null | undefined, currency: string): string {
  return value === null || value === undefined ? "—" : formatMoney(Math.round(value), currency);
}

/** µUSD → "$0.12". */
export function usd(microUsd: number | null | undefined): string {
  return microUsd === null || microUsd === undefined ? "—" : formatMoney(Math.round(microUsd / 10_000), "USD");
}

/** 1.25 → "×1.25"; null → "—". */
export function times(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `×${value.toFixed(2)}`;
}

/** A count or "—". */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : formatNumber(value);
}

export const DAY_MS = 86_400_000;
