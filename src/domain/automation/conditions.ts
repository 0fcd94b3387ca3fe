/** Rule conditions: every one must hold for the rule to fire. Pure over the contact facts passed in. */
import { localDateTime } from "../consent/local-time.js";
import type { Condition, ConsentStateKind } from "./model.js";
import { inRange, isoWeekday, minutesOf } from "./triggers.js";

/** What the evaluator knows about the contact (tags and segment memberships already looked up). */
export interface ContactFacts {
  tags: ReadonlySet<string>;
  /** Ids of the segments the contact is in (only the segments some rule names need be looked up). */
  segments: ReadonlySet<string>;
  consent: ConsentStateKind;
}

/** The first condition that fails, with the reason, or null when all hold. */
export function failingCondition(conditions: readonly Condition[], contact: ContactFacts, at: number): string | null {
  for (const c of conditions) {
    const reason = conditionFails(c, contact, at);
    if (reason !== null) return reason;
  }
  return null;
}

function conditionFails(c: Condition, contact: ContactFacts, at: number): string | null {
  switch (c.kind) {
    case "tag": {
      const has = contact.tags.has(c.tag);
      if (c.op === "has") return has ? null : `the contact lacks the tag "${c.tag}"`;
      return has ? `the contact has the tag "${c.tag}"` : null;
    }
    case "segment": {
      const inIt = contact.segments.has(c.segmentId);
      if (c.op === "in") return inIt ? null : "the contact is not in the segment";
      return inIt ? "the contact is in the segment" : null;
    }
    case "consent":
      return c.states.includes(contact.consent) ? null : `the contact's consent is ${contact.consent}`;
    case "time_of_day": {
      const local = localDateTime(at, c.timeZone);
      if (c.days && c.days.length > 0 && !c.days.includes(isoWeekday(local.year, local.month, local.day)))
        return "not on one of the rule's days";
      return inRange(local.hour * 60 + local.minute, minutesOf(c.from), minutesOf(c.to))
        ? null
        : `outside ${c.from}–${c.to} (${c.timeZone})`;
    }
    default: {
      const never: never = c;
      return never;
    }
  }
}
