// The segment builder's model: the API's rule tree itself, with a group (and/or) at the root. A `not` is shown as a
// "NOT" switch on the item it wraps, so an item's path is its list of child indexes and `not` nodes are transparent.
import type { Scalar, SegmentCondition, SegmentField, SegmentNode, SegmentOperator } from "../../api/types";

export type Group = { kind: "and" | "or"; children: SegmentNode[] };
export type Path = readonly number[];

/** The shape of value an operator takes (as src/domain/segment/operators.ts). */
export type OperandShape = "none" | "scalar" | "list" | "range" | "days";

const SHAPES: Record<SegmentOperator, OperandShape> = {
  eq: "scalar",
  neq: "scalar",
  in: "list",
  not_in: "list",
  gt: "scalar",
  gte: "scalar",
  lt: "scalar",
  lte: "scalar",
  between: "range",
  contains: "scalar",
  starts_with: "scalar",
  is_set: "none",
  is_not_set: "none",
  before: "scalar",
  after: "scalar",
  within_last_days: "days",
  older_than_days: "days",
  has: "scalar",
  has_not: "scalar",
  has_any: "list",
  has_all: "list",
};

export function operandShape(op: SegmentOperator): OperandShape {
  return SHAPES[op];
}

export function isGroup(node: SegmentNode): node is Group {
  return node.kind === "and" || node.kind === "or";
}

/** A loaded tree as the builder edits it: always a group at the root. */
export function toRootGroup(node: SegmentNode): Group {
  return isGroup(node) ? node : { kind: "and", children: [node] };
}

/** An item without its NOT, and whether it had one. */
export function unwrap(node: SegmentNode): { negated: boolean; inner: SegmentNode } {
  return node.kind === "not" ? { negated: true, inner: node.child } : { negated: false, inner: node };
}

export function negate(node: SegmentNode, negated: boolean): SegmentNode {
  const { inner } = unwrap(node);
  return negated ? { kind: "not", child: inner } : inner;
}

/**
 * Replaces the item at `path` (a child of a group, NOT included) with `change(item)`, or removes it when that is
 * null. The root itself is changed with an empty path.
 */
export function updateAt(root: Group, path: Path, change: (node: SegmentNode) => SegmentNode | null): Group {
  if (path.length === 0) {
    const next = change(root);
    return next && isGroup(next) ? next : root;
  }
  const [index, ...rest] = path;
  const children = root.children.flatMap((child, i) => {
    if (i !== index) return [child];
    if (rest.length === 0) {
      const next = change(child);
      return next ? [next] : [];
    }
    const { negated, inner } = unwrap(child);
    if (!isGroup(inner)) return [child];
    return [negate(updateAt(inner, rest, change), negated)];
  });
  return { ...root, children };
}

/** A new condition on `field`, with its first operator and that operator's starting value. */
export function newCondition(field: SegmentField): SegmentCondition {
  const op = field.operators[0] ?? "eq";
  return withOperator({ kind: "condition", field: field.id, op }, field, op);
}

/** The condition with another operator; the value is kept when its shape still fits, else reset. */
export function withOperator(condition: SegmentCondition, field: SegmentField, op: SegmentOperator): SegmentCondition {
  const shape = operandShape(op);
  const sameShape = operandShape(condition.op) === shape && condition.field === field.id;
  const { value: _old, ...rest } = condition;
  if (shape === "none") return { ...rest, op };
  if (sameShape && condition.value !== undefined) return { ...rest, op, value: condition.value };
  return { ...rest, op, ...startValue(field, shape) };
}

function startValue(field: SegmentField, shape: OperandShape): { value?: Scalar | Scalar[] } {
  if (shape === "days") return { value: 30 };
  if (shape === "list") return { value: [] };
  if (field.type === "boolean") return { value: true };
  if (field.type === "enum" && field.values?.[0] !== undefined && shape === "scalar") return { value: field.values[0] };
  return {};
}

/** True when the condition has the value its operator needs, so the server can evaluate it. */
export function conditionComplete(condition: SegmentCondition): boolean {
  const shape = operandShape(condition.op);
  const value = condition.value;
  switch (shape) {
    case "none":
      return true;
    case "days":
      return typeof value === "number" && Number.isInteger(value) && value >= 0;
    case "scalar":
      return value !== undefined && !Array.isArray(value) && value !== "";
    case "list":
      return Array.isArray(value) && value.length > 0;
    case "range":
      return Array.isArray(value) && value.length === 2 && value.every((v) => v !== "" && v !== undefined);
  }
}

/** True when every group has an item and every condition its value: then a preview can be asked for. */
export function treeComplete(node: SegmentNode): boolean {
  const { inner } = unwrap(node);
  if (inner.kind === "condition") return conditionComplete(inner);
  if (inner.kind === "not") return treeComplete(inner);
  return inner.children.length > 0 && inner.children.every(treeComplete);
}

/** Number of conditions in the tree. */
export function countConditions(node: SegmentNode): number {
  const { inner } = unwrap(node);
  if (inner.kind === "condition") return 1;
  if (inner.kind === "not") return countConditions(inner);
  return inner.children.reduce((sum, child) => sum + countConditions(child), 0);
}

/**
 * The builder path a server issue path points at: "rules.children[1].child.value" → "1". `not` steps are
 * transparent, as in the builder. Issues about the whole tree map to "".
 */
export function issueKey(path: string): string | null {
  if (!path.startsWith("rules")) return null;
  const indexes = [...path.matchAll(/children(?:\[(\d+)\]|\.(\d+))/g)].map((match) => match[1] ?? match[2]);
  return indexes.join(".");
}

export function pathKey(path: Path): string {
  return path.join(".");
}
