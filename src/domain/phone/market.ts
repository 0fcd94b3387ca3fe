/**
 * Which pricing market a number belongs to. Meta prices by the recipient's calling code, and several markets
 * share a code (+1 is North America, but +1 876 Jamaica is in "Rest of Latin America"), so the match is on
 * the longest calling-code prefix (whatsapp-platform.md §6).
 */

/** A market as the phone module sees it: an id and the E.164 digit prefixes (no "+") that belong to it. */
export interface PhoneMarket {
  id: string;
  prefixes: readonly string[];
}

/** The id of the market whose prefix is the longest match for `e164`, or null when no prefix matches. */
export function marketForPhone(e164: string, markets: readonly PhoneMarket[]): string | null {
  const digits = e164.startsWith("+") ? e164.slice(1) : e164;
  let best: { id: string; length: number } | null = null;
  for (const market of markets) {
    for (const prefix of market.prefixes) {
      if (digits.startsWith(prefix) && (best === null || prefix.length > best.length)) {
        best = { id: market.id, length: prefix.length };
      }
    }
  }
  return best?.id ?? null;
}
