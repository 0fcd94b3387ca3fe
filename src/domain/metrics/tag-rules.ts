/**
 * Automatic tag rules as pure evaluators: each says whether a contact gets the tag now, and why, in a sentence a
 * contact page can show ("why this contact has this tag", issue 4).
 */
import { evaluateSegment, type SegmentSubject } from "../segment/evaluate.js";
import type { SegmentNode } from "../segment/tree.js";
import { formatMoney } from "./money.js";
import { DAY_MS, type OrderRecord, paidOrders } from "./orders.js";

export interface TagVerdict {
  applies: boolean;
  explanation: string;
}

export type TagRule =
  /** At least one paid order in each of the last `periods` periods of `periodDays` days. */
  | { kind: "high_frequency"; tag: string; periods: number; periodDays: number }
  /** Among the top `share` (0–1) of buyers by 365-day spend. */
  | { kind: "top_spenders"; tag: string; share: number }
  /** Any segment rule tree. */
  | { kind: "segment"; tag: string; rules: SegmentNode; description: string };

/** Issue 4's "high-frequency": a paid order in each of the last three 30-day months. */
export const HIGH_FREQUENCY_RULE: TagRule = {
  kind: "high_frequency",
  tag: "high-frequency",
  periods: 3,
  periodDays: 30,
};

/** Issue 4's "VIP": the top 10% of buyers by 365-day spend. */
export const VIP_RULE: TagRule = { kind: "top_spenders", tag: "vip", share: 0.1 };

/**
 * Whether each of the last `periods` windows (now − periodDays·i, now − periodDays·(i−1)] holds a paid order.
 * The explanation lists the order count of every window, newest first.
 */
export function evaluateHighFrequency(
  orders: readonly OrderRecord[],
  now: number,
  periods = 3,
  periodDays = 30,
): TagVerdict {
  const paid = paidOrders(orders, now);
  const counts = Array.from({ length: periods }, (_, index) => {
    const end = now - index * periodDays * DAY_MS;
    const start = end - periodDays * DAY_MS;
    return paid.filter((order) => order.placedAt > start && order.placedAt <= end).length;
  });
  const applies = counts.every((count) => count > 0);
  const list = counts.map((count, index) => `${index * periodDays}–${(index + 1) * periodDays} days ago: ${count}`);
  const verdict = applies ? "has" : "does not have";
  return {
    applies,
    explanation: `${verdict[0]?.toUpperCase()}${verdict.slice(1)} a paid order in each of the last ${periods} ${periodDays}-day periods (${list.join("; ")}).`,
  };
}

/**
 * The smallest 365-day spend that is in the top `share` of buyers, from their spends sorted ascending; null when
 * there are no buyers. Contacts tied with the cut-off are all in, so the group can be slightly larger than `share`.
 */
export function topShareThreshold(sortedSpends: readonly number[], share: number): number | null {
  const n = sortedSpends.length;
  if (n === 0) return null;
  const size = Math.max(1, Math.ceil(n * share));
  return sortedSpends[n - size] ?? null;
}

/** Whether a contact's 365-day spend reaches the top-`share` threshold computed over `buyers` buyers. */
export function evaluateTopSpender(
  spent365d: number,
  threshold: number | null,
  context: { share: number; buyers: number; currency: string },
): TagVerdict {
  const percent = `${Math.round(context.share * 100)}%`;
  const spent = formatMoney(spent365d, context.currency);
  if (threshold === null || spent365d <= 0) {
    return { applies: false, explanation: `Spent ${spent} in the last 365 days; the top ${percent} needs a purchase.` };
  }
  const cut = formatMoney(threshold, context.currency);
  const applies = spent365d >= threshold;
  return {
    applies,
    explanation: `Spent ${spent} in the last 365 days; the top ${percent} of ${context.buyers} buyers starts at ${cut}.`,
  };
}

/** Whether a contact matches a segment-style tag rule; the explanation restates the rule's description. */
export function evaluateSegmentTag(
  rules: SegmentNode,
  description: string,
  subject: SegmentSubject,
  now: number,
): TagVerdict {
  const applies = evaluateSegment(rules, subject, now);
  return { applies, explanation: `${applies ? "Matches" : "Does not match"} the rule: ${description}.` };
}

/** What `evaluateTagRule` may need about a contact and, for top-spender rules, the population. */
export interface TagFacts {
  now: number;
  orders: readonly OrderRecord[];
  spent365d: number;
  currency: string;
  subject: SegmentSubject;
  /** The top-share threshold and buyer count for the rule's share, computed over the population; null if not yet. */
  topSpenders: { threshold: number | null; buyers: number } | null;
}

/** Evaluate any tag rule for one contact. */
export function evaluateTagRule(rule: TagRule, facts: TagFacts): TagVerdict {
  switch (rule.kind) {
    case "high_frequency":
      return evaluateHighFrequency(facts.orders, facts.now, rule.periods, rule.periodDays);
    case "top_spenders":
      if (facts.topSpenders === null) {
        return { applies: false, explanation: "The spend ranking of all buyers has not been computed yet." };
      }
      return evaluateTopSpender(facts.spent365d, facts.topSpenders.threshold, {
        share: rule.share,
        buyers: facts.topSpenders.buyers,
        currency: facts.currency,
      });
    case "segment":
      return evaluateSegmentTag(rule.rules, rule.description, facts.subject, facts.now);
    default: {
      const unexpected: never = rule;
      throw new Error(`unknown tag rule ${JSON.stringify(unexpected)}`);
    }
  }
}
