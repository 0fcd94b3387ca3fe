/**
 * Money formatting for explanations. Amounts are integer minor units (DESIGN §4); how many decimals a currency
 * has comes from Intl (KRW 0, USD 2, KWD 3), which reads locale data, not the clock.
 */

/** Digits after the decimal point for an ISO 4217 currency. */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "₩15,000" for (15000, "KRW"), "$12.34" for (1234, "USD"). */
export function formatMoney(minorUnits: number, currency: string, locale = "en"): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(minorUnits / 10 ** digits);
}
