/**
 * Whether a rule's trigger fires for one inbound message. Pure: the message, the contact facts the trigger needs
 * and the instant are passed in.
 */
import { localDateTime } from "../consent/local-time.js";
import type { BusinessHours, KeywordMode, Trigger } from "./model.js";
import { containsPhrase, matchText, withoutFiller, words } from "./text.js";

/** What the evaluator knows about the inbound message. */
export interface InboundFacts {
  /** What a person reads (text, button title, caption); null for media without a caption. */
  text: string | null;
  /** A quick-reply payload or an interactive reply id. */
  payload: string | null;
  /** True when Herald never received a message from this contact before. */
  firstMessage: boolean;
  receivedAt: number;
}

export type TriggerResult = { fired: true; detail: string } | { fired: false; detail: string };

// Korean endings users glue to a one-word answer: "할인요", "할인이요", "할인 주세요" (the last is a filler word).
const GLUED_ENDINGS = ["이요", "요", "주세요"];

/** Evaluates one trigger. `regexes` caches compiled patterns by source (rules are evaluated thousands of times). */
export function triggerFires(trigger: Trigger, inbound: InboundFacts, regexes?: Map<string, RegExp>): TriggerResult {
  switch (trigger.kind) {
    case "keyword":
      return keywordFires(trigger.mode, trigger.keywords, inbound.text);
    case "regex": {
      if (inbound.text === null) return { fired: false, detail: "the message has no text" };
      const re = compileRuleRegex(trigger.pattern, regexes);
      const m = re.exec(matchableForRegex(inbound.text));
      return m
        ? { fired: true, detail: `matches /${trigger.pattern}/ at "${m[0]}"` }
        : no(`does not match /${trigger.pattern}/`);
    }
    case "button": {
      if (inbound.payload === null) return no("the message is not a button tap");
      const key = inbound.payload.trim().toUpperCase();
      const hit = trigger.payloads.find((p) => p.trim().toUpperCase() === key);
      return hit
        ? { fired: true, detail: `button payload ${inbound.payload}` }
        : no(`payload ${inbound.payload} is not listed`);
    }
    case "first_message":
      return inbound.firstMessage
        ? { fired: true, detail: "first message from this contact" }
        : no("the contact wrote before");
    case "outside_hours":
      return isOpen(trigger.hours, inbound.receivedAt)
        ? no("inside business hours")
        : {
            fired: true,
            detail: `outside business hours (${trigger.hours.open}–${trigger.hours.close} ${trigger.hours.timeZone})`,
          };
    default: {
      const never: never = trigger;
      return never;
    }
  }
}

function no(detail: string): TriggerResult {
  return { fired: false, detail };
}

function keywordFires(mode: KeywordMode, keywords: readonly string[], text: string | null): TriggerResult {
  if (text === null) return no("the message has no text");
  const folded = matchText(text);
  if (folded === "") return no("the message has no letters or digits");
  const keys = keywords.map((k) => ({ raw: k, folded: matchText(k) })).filter((k) => k.folded !== "");
  switch (mode) {
    case "exact": {
      const core = withoutFiller(folded);
      const candidates = [
        core,
        ...GLUED_ENDINGS.filter((e) => core.endsWith(e) && core.length > e.length).map((e) =>
          core.slice(0, -e.length).trim(),
        ),
      ];
      const hit = keys.find((k) => candidates.includes(k.folded));
      return hit
        ? { fired: true, detail: `the message is "${hit.raw}"` }
        : no("the whole message is none of the keywords");
    }
    case "contains": {
      const hit = keys.find((k) => containsPhrase(folded, k.folded));
      return hit ? { fired: true, detail: `contains "${hit.raw}"` } : no("contains none of the keywords");
    }
    case "any_of": {
      const list = words(folded);
      const hit = keys.find((k) => list.includes(k.folded));
      return hit ? { fired: true, detail: `has the word "${hit.raw}"` } : no("has none of the words");
    }
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/** The text a regex sees: NFKC, lower case, whitespace collapsed (punctuation kept, so patterns may use it). */
export function matchableForRegex(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/** Compiles a rule's pattern with flags i and u; throws a SyntaxError naming the problem for a bad one. */
export function compileRuleRegex(pattern: string, cache?: Map<string, RegExp>): RegExp {
  const hit = cache?.get(pattern);
  if (hit) return hit;
  const re = new RegExp(pattern, "iu");
  cache?.set(pattern, re);
  return re;
}

/** Minutes since midnight of "HH:MM" (validated by the schema). */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Whether `at` falls inside the opening hours (a close before the open wraps midnight). */
export function isOpen(hours: BusinessHours, at: number): boolean {
  const local = localDateTime(at, hours.timeZone);
  if (!hours.days.includes(isoWeekday(local.year, local.month, local.day))) return false;
  return inRange(local.hour * 60 + local.minute, minutesOf(hours.open), minutesOf(hours.close));
}

/** Whether minute-of-day `m` is in [from, to), wrapping midnight when to <= from. */
export function inRange(m: number, from: number, to: number): boolean {
  return from < to ? m >= from && m < to : m >= from || m < to;
}
