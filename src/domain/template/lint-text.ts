/**
 * Text measurements used by the approval-risk lint: words, links, capitals, emoji.
 */
import { TWO_LABEL_SUFFIXES } from "./lint-data.js";
import { withoutPlaceholders } from "./variables.js";

const CJK_NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/**
 * Words of fixed text (placeholders removed). Whitespace separates words in English and Korean (Korean spaces
 * between eojeol); Chinese and Japanese do not use spaces, so there every two Han/Kana characters count as a word.
 */
export function countWords(text: string): number {
  let words = 0;
  for (const token of withoutPlaceholders(text).split(/\s+/u)) {
    if (!/[\p{L}\p{N}]/u.test(token)) continue;
    const cjk = token.match(CJK_NO_SPACES)?.length ?? 0;
    words += cjk > 0 ? Math.ceil(cjk / 2) : 1;
  }
  return words;
}

/** A link found in text, with its lower-cased host ("bit.ly", "shop.example.co.kr"). */
export interface FoundLink {
  text: string;
  host: string;
}

const LINK = /\b(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:\/[^\s]*)?/giu;

/**
 * Links in text: with a scheme ("https://…"), with "www.", or bare host/path pairs ("bit.ly/x"), which is how
 * shortened links are usually written. A bare "example.com" without a path is not counted: too many false hits
 * ("Node.js", "e.g.").
 */
export function findLinks(text: string): FoundLink[] {
  const links: FoundLink[] = [];
  for (const match of withoutPlaceholders(text).matchAll(LINK)) {
    const raw = match[0].replace(/[).,!?;:'"]+$/u, "");
    const hasScheme = /^https?:\/\//i.test(raw);
    const withoutScheme = raw.replace(/^https?:\/\//i, "");
    const host = (withoutScheme.split(/[/:?#]/u)[0] ?? "").toLowerCase();
    if (hasScheme || host.startsWith("www.") || withoutScheme.includes("/")) links.push({ text: raw, host });
  }
  return links;
}

/** The host of a URL button's URL (its fixed part, before any variable), or null when it does not parse. */
export function hostOfUrl(url: string): string | null {
  try {
    return new URL(url.replace(/\{\{[^{}]*\}\}$/u, "x")).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** The registrable part of a host: "m.shop.example.co.kr" → "example.co.kr", "www.example.com" → "example.com". */
export function siteOf(host: string): string {
  const labels = host.toLowerCase().replace(/\.$/u, "").split(".");
  const keep = TWO_LABEL_SUFFIXES.has(labels.slice(-2).join(".")) ? 3 : 2;
  return labels.slice(-keep).join(".");
}

/** True when `host` is `domain` or one of its subdomains. */
export function hostIs(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** Share of upper-case letters among the Latin letters of the fixed text, and how many Latin letters there are. */
export function capitalShare(text: string): { letters: number; share: number } {
  const letters = withoutPlaceholders(text).match(/[A-Za-z]/gu) ?? [];
  const upper = letters.filter((letter) => letter >= "A" && letter <= "Z").length;
  return { letters: letters.length, share: letters.length === 0 ? 0 : upper / letters.length };
}

/** Number of emoji (extended pictographic characters). */
export function countEmoji(text: string): number {
  return text.match(/\p{Extended_Pictographic}/gu)?.length ?? 0;
}
