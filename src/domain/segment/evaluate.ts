/**
 * The reference semantics of a rule tree, evaluated on one contact in memory. The store compiles the same tree
 * to SQL for speed; this evaluator is what the compiler is tested against, and what tag rules use for a single
 * contact. Operator semantics (unset fields, day windows) are documented in operators.ts.
 */
import { matchesUnset } from "./operators.js";
import type { Condition, Scalar, SegmentNode } from "./tree.js";

const DAY_MS = 86_400_000;

/** The facts about one contact a rule tree can test. */
export interface SegmentSubject {
  /** Field id → value; missing or null means unset. Custom attributes are under "attributes.<name>". */
  values: Readonly<Record<string, Scalar | null | undefined>>;
  tags: readonly string[];
  /** Campaign ids per interaction. */
  campaigns: { received: readonly string[]; read: readonly string[]; replied: readonly string[] };
}

/** Whether the contact matches the tree at time `now` (used by relative-date operators). */
export function evaluateSegment(node: SegmentNode, subject: SegmentSubject, now: number): boolean {
  switch (node.kind) {
    case "and":
      return node.children.every((child) => evaluateSegment(child, subject, now));
    case "or":
      return node.children.some((child) => evaluateSegment(child, subject, now));
    case "not":
      return !evaluateSegment(node.child, subject, now);
    case "condition":
      return evaluateCondition(node, subject, now);
    default: {
      const unexpected: never = node;
      throw new Error(`unknown segment node ${JSON.stringify(unexpected)}`);
    }
  }
}

function evaluateCondition(condition: Condition, subject: SegmentSubject, now: number): boolean {
  const { op, value } = condition;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];

  if (condition.field === "tags") {
    const has = (tag: Scalar) => subject.tags.includes(String(tag));
    if (op === "has") return has(list[0] ?? "");
    if (op === "has_not") return !has(list[0] ?? "");
    if (op === "has_any") return list.some(has);
    if (op === "has_all") return list.every(has);
    return false;
  }
  if (condition.field.startsWith("campaign.")) {
    const event = condition.field.slice("campaign.".length) as keyof SegmentSubject["campaigns"];
    const ids = subject.campaigns[event] ?? [];
    const did = list.some((id) => ids.includes(String(id)));
    return op === "eq" || op === "in" ? did : !did;
  }

  const actual = subject.values[condition.field];
  if (actual === null || actual === undefined) return matchesUnset(op);
  switch (op) {
    case "eq":
      return actual === value;
    case "neq":
      return actual !== value;
    case "in":
      return list.includes(actual);
    case "not_in":
      return !list.includes(actual);
    case "gt":
    case "after":
      return compare(actual, value) > 0;
    case "gte":
      return compare(actual, value) >= 0;
    case "lt":
    case "before":
      return compare(actual, value) < 0;
    case "lte":
      return compare(actual, value) <= 0;
    case "between":
      return compare(actual, list[0]) >= 0 && compare(actual, list[1]) <= 0;
    case "contains":
      return String(actual).toLowerCase().includes(String(value).toLowerCase());
    case "starts_with":
      return String(actual).toLowerCase().startsWith(String(value).toLowerCase());
    case "is_set":
      return true;
    case "is_not_set":
      return false;
    case "within_last_days":
      return typeof actual === "number" && actual >= now - Number(value) * DAY_MS && actual <= now;
    case "older_than_days":
      return typeof actual === "number" && actual < now - Number(value) * DAY_MS;
    case "has":
    case "has_not":
    case "has_any":
    case "has_all":
      return false;
    default: {
      const unexpected: never = op;
      throw new Error(`unknown operator ${String(unexpected)}`);
    }
  }
}

function compare(actual: Scalar, expected: Scalar | Scalar[] | undefined): number {
  if (typeof actual === "number" && typeof expected === "number") return actual - expected;
  if (typeof actual === "string" && typeof expected === "string")
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  return Number.NaN;
}
