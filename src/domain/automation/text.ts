/**
 * Text folding for rule matching. The base is the consent words' folding (NFKC, lower case, whitespace collapsed:
 * domain/consent/text.ts); on top of it punctuation and symbols become spaces, so "yes!", "YES.", "“yes”" and
 * "Yes 👍" all read "yes", and "할인!!" reads "할인". Inner apostrophes split words ("don't" → "don t"): keywords
 * are folded the same way, so they still compare equal.
 */
import { foldText } from "../consent/text.js";

/** Folded text with every run of non-letter, non-digit characters turned into one space. */
export function matchText(text: string): string {
  return foldText(text)
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, " ")
    .trim();
}

/** The words of folded text. */
export function words(folded: string): string[] {
  return folded === "" ? [] : folded.split(" ");
}

const HANGUL = /\p{Script=Hangul}/u;

/**
 * Whether folded `text` contains folded `phrase`. Latin-script phrases match whole words only ("yes" is not in
 * "yesterday"); a phrase ending in Hangul may be followed by particles glued to it ("할인이요", "할인은요"), and
 * one starting with Hangul may follow a glued prefix ("봄할인") because Korean writes them without spaces.
 */
export function containsPhrase(text: string, phrase: string): boolean {
  if (phrase === "") return false;
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return false;
    const before = at === 0 ? " " : (text[at - 1] ?? " ");
    const after = text[at + phrase.length] ?? " ";
    const startOk = before === " " || HANGUL.test(phrase[0] ?? "");
    const endOk = after === " " || HANGUL.test(phrase[phrase.length - 1] ?? "");
    if (startOk && endOk) return true;
    from = at + 1;
  }
}

/** Words of politeness a user adds around a one-word answer ("YES please", "할인 주세요"); exact matches ignore them. */
export const FILLER_WORDS: readonly string[] = [
  "please",
  "pls",
  "plz",
  "thanks",
  "thank you",
  "요",
  "주세요",
  "좀",
  "해주세요",
  "부탁해요",
  "부탁합니다",
  "부탁드려요",
  "감사합니다",
];

const FOLDED_FILLER = FILLER_WORDS.map(matchText).sort((a, b) => b.length - a.length);

/** Folded text without filler words at either end; never empties the text. */
export function withoutFiller(folded: string): string {
  let text = folded;
  for (let changed = true; changed; ) {
    changed = false;
    for (const word of FOLDED_FILLER) {
      if (text.length > word.length && text.startsWith(`${word} `)) {
        text = text.slice(word.length + 1);
        changed = true;
      } else if (text.length > word.length && text.endsWith(` ${word}`)) {
        text = text.slice(0, -(word.length + 1));
        changed = true;
      }
    }
  }
  return text;
}
