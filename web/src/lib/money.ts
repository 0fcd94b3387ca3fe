// Money from the API is integer minor units plus an ISO 4217 code (₩15,000 is 15000 KRW, $12.34 is 1234 USD).
import { displayLocale } from "./format";

/** How many minor-unit digits a currency has (KRW and JPY 0, USD 2, BHD 3), as Intl knows it. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 1234 USD → "$12.34"; an unknown code falls back to "12.34 XYZ". */
export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const major = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat(displayLocale(), { style: "currency", currency }).format(major);
  } catch {
    return `${major.toFixed(digits)} ${currency}`;
  }
}

/** Major units typed by a person → the API's minor units (rounded to a whole minor unit). */
export function toMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDigits(currency));
}

/** The API's minor units → major units for an input. */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

/** The currency's symbol in the UI language ("₩", "$"), for input prefixes. */
export function currencySymbol(currency: string): string {
  try {
    const parts = new Intl.NumberFormat(displayLocale(), { style: "currency", currency }).formatToParts(0);
    return parts.find((part) => part.type === "currency")?.value ?? currency;
  } catch {
    return currency;
  }
}
