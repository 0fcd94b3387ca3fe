/**
 * Text normalisation shared by keyword matching (consent words here, auto-reply rules later).
 *
 * NFKC folds full-width letters ("ＳＴＯＰ"), compatibility jamo and ligatures into their plain forms, then
 * lower-casing folds case; Hangul has no case, so Korean and English compare the same way.
 */

/** NFKC-normalise, case-fold and collapse whitespace; the form every keyword comparison uses. */
export function foldText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/**
 * Fold and strip everything that is not a letter or a digit at either end ("STOP!!", "“stop”", "수신거부 🙏").
 * Inner punctuation stays, so "don't" keeps its apostrophe.
 */
export function foldForKeyword(text: string): string {
  return foldText(text)
    .replace(/^[^\p{L}\p{N}]+/u, "")
    .replace(/[^\p{L}\p{N}]+$/u, "");
}

/** The comparison key of a keyword: folded, with spaces, hyphens and underscores removed ("opt-out" = "optout"). */
export function keywordKey(text: string): string {
  return foldForKeyword(text).replace(/[\s\-_.·]+/gu, "");
}
