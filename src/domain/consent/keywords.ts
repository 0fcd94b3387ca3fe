/**
 * Opt-out and opt-in keyword detection, in English and Korean.
 *
 * The rule (exact-message semantics): a message is a consent keyword only when, after folding (NFKC,
 * lower case, surrounding punctuation and emoji removed) and dropping politeness words ("please", "부탁드려요"),
 * what remains is exactly one keyword, where spaces, hyphens and underscores inside it do not count
 * ("opt-out" = "opt out" = "optout", "수신 거부" = "수신거부"). So "STOP", "stop!", "Stop please" and "수신거부요"
 * opt out, while "don't stop", "how do I stop the order?" and "할인 그만" do not: a sentence that merely contains
 * the word is a question for a person, not a withdrawal of consent.
 *
 * CANCEL and END (in Twilio's SMS list) are left out on purpose: in a shop chat "cancel" alone usually means
 * "cancel my order". A business can pass its own lists.
 */
import { foldForKeyword, keywordKey } from "./text.js";

export interface ConsentKeywords {
  optOut: readonly string[];
  optIn: readonly string[];
  /** Words that may surround a keyword without changing its meaning. */
  filler: readonly string[];
}

export const DEFAULT_CONSENT_KEYWORDS: ConsentKeywords = {
  optOut: [
    "stop",
    "stop all",
    "stopall",
    "unsubscribe",
    "opt out",
    "quit",
    "remove me",
    "no more",
    "수신거부",
    "수신 거부",
    "수신거절",
    "광고거부",
    "광고 수신거부",
    "거부",
    "그만",
    "그만해",
    "그만해요",
    "그만하세요",
    "그만 보내",
    "그만 보내세요",
    "보내지 마세요",
    "구독취소",
    "구독 취소",
    "구독해지",
    "해지",
  ],
  optIn: [
    "start",
    "unstop",
    "subscribe",
    "resume",
    "opt in",
    "수신동의",
    "수신 동의",
    "수신허용",
    "광고 수신동의",
    "구독",
    "재구독",
    "다시 받기",
  ],
  filler: [
    "please",
    "pls",
    "plz",
    "thanks",
    "thank you",
    "요",
    "합니다",
    "주세요",
    "해주세요",
    "해 주세요",
    "부탁해요",
    "부탁합니다",
    "부탁드려요",
    "부탁드립니다",
    "감사합니다",
  ],
};

export type KeywordMatch =
  | { kind: "opt_out"; keyword: string }
  | { kind: "opt_in"; keyword: string }
  | { kind: "none" };

/**
 * Detect whether a whole inbound message is an opt-out or opt-in keyword (see the rule above).
 * Opt-out is checked first, so a list that contained a word in both lists would err on the safe side.
 */
export function detectConsentKeyword(text: string, keywords: ConsentKeywords = DEFAULT_CONSENT_KEYWORDS): KeywordMatch {
  const lists = folded(keywords);
  const core = stripFiller(foldForKeyword(text), lists.filler);
  const key = keywordKey(core);
  if (key === "") return { kind: "none" };
  const optOut = lists.optOut.get(key);
  if (optOut !== undefined) return { kind: "opt_out", keyword: optOut };
  const optIn = lists.optIn.get(key);
  if (optIn !== undefined) return { kind: "opt_in", keyword: optIn };
  return { kind: "none" };
}

/** The lists folded once per lists object (folding ~40 words per message cost ~130 µs of every inbound message). */
interface FoldedKeywords {
  /** Folded fillers, longest first. */
  filler: string[];
  /** Each keyword by its comparison key; the first in list order wins, as a search of the list would. */
  optOut: Map<string, string>;
  optIn: Map<string, string>;
}
const foldedCache = new WeakMap<ConsentKeywords, FoldedKeywords>();

function folded(keywords: ConsentKeywords): FoldedKeywords {
  let hit = foldedCache.get(keywords);
  if (hit === undefined) {
    const byKey = (words: readonly string[]) => {
      const map = new Map<string, string>();
      for (const word of words) {
        const key = keywordKey(word);
        if (!map.has(key)) map.set(key, word);
      }
      return map;
    };
    hit = {
      filler: keywords.filler.map((word) => foldForKeyword(word)).sort((a, b) => b.length - a.length),
      optOut: byKey(keywords.optOut),
      optIn: byKey(keywords.optIn),
    };
    foldedCache.set(keywords, hit);
  }
  return hit;
}

/**
 * Remove filler words at either end, repeatedly ("stop please thanks" → "stop"). Korean fillers are suffixes
 * written with or without a space ("수신거부요", "수신거부 해주세요"), so they are stripped as suffixes too, but
 * only when something is left. `words` are folded, longest first.
 */
function stripFiller(folded: string, words: readonly string[]): string {
  let text = folded;
  for (let changed = true; changed; ) {
    changed = false;
    for (const word of words) {
      if (text.startsWith(`${word} `)) {
        text = trimEnds(text.slice(word.length + 1));
        changed = true;
      } else if (text.endsWith(word) && text.length > word.length) {
        const rest = text.slice(0, -word.length);
        // An English filler must be a separate word ("stopplease" is not "stop"); Hangul fillers may be glued on.
        if (rest.endsWith(" ") || isHangul(word)) {
          text = trimEnds(rest);
          changed = true;
        }
      }
    }
  }
  return text;
}

function trimEnds(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+/u, "").replace(/[^\p{L}\p{N}]+$/u, "");
}

function isHangul(word: string): boolean {
  return /^[\p{Script=Hangul}\s]+$/u.test(word);
}
