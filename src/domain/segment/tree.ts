/**
 * The segment rule tree: a saved audience definition, stored as JSON and compiled to SQL by the store from the
 * field whitelist (fields.ts). User text only ever appears as values, never as SQL.
 */

export type SegmentNode =
  | { kind: "and"; children: SegmentNode[] }
  | { kind: "or"; children: SegmentNode[] }
  | { kind: "not"; child: SegmentNode }
  | Condition;

/** A scalar a condition compares with: text, a number (amounts in minor units, dates in epoch ms) or a boolean. */
export type Scalar = string | number | boolean;

export type ConditionValue = Scalar | Scalar[];

/**
 * One test on one field. `field` is a whitelist id ("metrics.orders_90d", "tags", "attributes.vip_level",
 * "campaign.read"); `value` is absent for is_set / is_not_set.
 */
export interface Condition {
  kind: "condition";
  field: string;
  op: Operator;
  value?: ConditionValue;
}

export const OPERATORS = [
  "eq",
  "neq",
  "in",
  "not_in",
  "gt",
  "gte",
  "lt",
  "lte",
  "between",
  "contains",
  "starts_with",
  "is_set",
  "is_not_set",
  "before",
  "after",
  "within_last_days",
  "older_than_days",
  "has",
  "has_not",
  "has_any",
  "has_all",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** A saved segment: the rules plus the default exclusions marketing audiences get (issue 4), both switchable. */
export interface SegmentDefinition {
  rules: SegmentNode;
  /** Leave out contacts whose heat is "inactive" (no engagement for 90 days). */
  excludeInactive: boolean;
  /** Leave out opted-out contacts. */
  excludeOptedOut: boolean;
}

/**
 * The rules with the segment's default exclusions added, as one tree the store compiles: `rules AND NOT inactive
 * AND NOT opted out` when both switches are on.
 */
export function effectiveRules(definition: SegmentDefinition): SegmentNode {
  const exclusions: SegmentNode[] = [];
  if (definition.excludeInactive) {
    exclusions.push({ kind: "condition", field: "metrics.heat", op: "neq", value: "inactive" });
  }
  if (definition.excludeOptedOut) {
    exclusions.push({ kind: "condition", field: "consent.state", op: "neq", value: "opted_out" });
  }
  return exclusions.length === 0 ? definition.rules : { kind: "and", children: [definition.rules, ...exclusions] };
}

/** Every condition of a tree, depth first. Iterative, so a hostile depth cannot overflow the stack. */
export function conditionsOf(root: SegmentNode): Condition[] {
  const found: Condition[] = [];
  const stack: SegmentNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    switch (node.kind) {
      case "and":
      case "or":
        for (let index = node.children.length - 1; index >= 0; index--) {
          const child = node.children[index];
          if (child !== undefined) stack.push(child);
        }
        break;
      case "not":
        stack.push(node.child);
        break;
      case "condition":
        found.push(node);
        break;
      default: {
        const unexpected: never = node;
        throw new Error(`unknown segment node ${JSON.stringify(unexpected)}`);
      }
    }
  }
  return found;
}
