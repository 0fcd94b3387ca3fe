/**
 * Conversion attribution, last touch: an order placed by a contact within `windowDays` after the contact read (or
 * clicked a tracked link in) one of our messages is attributed to the latest such touch before the order.
 * Ties (same instant) go to the click, then to the greater message id, so the answer is deterministic.
 */

export const DEFAULT_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 90;
export const ATTRIBUTION_TOUCHES = ["read_or_click", "click"] as const;
export type AttributionTouches = (typeof ATTRIBUTION_TOUCHES)[number];

export interface AttributionRule {
  windowDays: number;
  touches: AttributionTouches;
}

export const DEFAULT_RULE: AttributionRule = { windowDays: DEFAULT_WINDOW_DAYS, touches: "read_or_click" };

export interface Touch {
  messageId: string;
  campaignId: string | null;
  kind: "read" | "click";
  at: number;
}

const DAY_MS = 86_400_000;

/** The touch an order placed at `placedAt` is attributed to, or null. */
export function lastTouch(placedAt: number, touches: readonly Touch[], rule: AttributionRule): Touch | null {
  const from = placedAt - rule.windowDays * DAY_MS;
  let best: Touch | null = null;
  for (const t of touches) {
    if (rule.touches === "click" && t.kind !== "click") continue;
    if (t.at > placedAt || t.at < from) continue;
    if (best === null || t.at > best.at || (t.at === best.at && better(t, best))) best = t;
  }
  return best;
}

function better(a: Touch, b: Touch): boolean {
  if (a.kind !== b.kind) return a.kind === "click";
  return a.messageId > b.messageId;
}

/** The rule in one sentence, for the dashboard and the API. */
export function describeRule(rule: AttributionRule): string {
  const what = rule.touches === "click" ? "clicking a tracked link in" : "reading or clicking a tracked link in";
  return `An order placed within ${rule.windowDays} day${rule.windowDays === 1 ? "" : "s"} after ${what} a message is attributed to the last such message before it (last touch).`;
}
