/**
 * Click tracking rules. A click counts for rates once per message, and only when a person made it: link-preview
 * fetchers (WhatsApp's own, which fetches a URL when the message is opened), crawlers and HEAD requests are bots.
 */

const BOT_AGENTS =
  /bot|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|whatsapp|telegram|discord|skype|curl|wget|python-requests|httpclient|headless|lighthouse/i;

/** True when a request to a short link came from a machine, not a person. */
export function isBotClick(method: string, userAgent: string | undefined): boolean {
  if (method.toUpperCase() === "HEAD") return true;
  if (!userAgent || userAgent.trim() === "") return true;
  return BOT_AGENTS.test(userAgent);
}

/** Short codes are base62: URL-safe with no escaping, 10 characters ≈ 59.5 bits. */
export const LINK_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const LINK_CODE_LENGTH = 10;
export const LINK_CODE_PATTERN = /^[0-9A-Za-z]{10}$/;

/** A code from random bytes (one byte per character, rejection-sampled so every character is equally likely). */
export function linkCodeFrom(randomBytes: Uint8Array): string | null {
  let out = "";
  for (const b of randomBytes) {
    if (b >= 248) continue; // 248 = 4 × 62: keeps the distribution uniform
    out += LINK_CODE_ALPHABET[b % 62];
    if (out.length === LINK_CODE_LENGTH) return out;
  }
  return null;
}

/** True for an absolute http(s) URL: the only targets a short link may redirect to. */
export function isTrackableUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * A template URL button is tracked when its URL is Herald's short-link route with the code as its variable:
 * `https://herald.example/r/{{1}}`. The campaign maps that variable to the real target; the launcher replaces it
 * with a per-recipient code.
 */
export function isTrackedButtonUrl(url: string): boolean {
  return /\/r\/\{\{[^}]+\}\}$/.test(url);
}
