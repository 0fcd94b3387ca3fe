/**
 * Validation of a rule tree against the field whitelist and the limits, returning every issue with its path.
 * Two passes: `checkTreeSize` walks raw JSON iteratively (no recursion, so no stack overflow on hostile input)
 * and refuses oversized trees; `validateSegmentRules` then checks each condition's field, operator and value.
 */
import { isCountryCode } from "../phone/normalize.js";
import { type FieldSpec, resolveField, type SegmentContext } from "./fields.js";
import { joinPath, type SegmentIssue, type SegmentIssueCode } from "./issues.js";
import { SEGMENT_LIMITS } from "./limits.js";
import { OPERAND_SHAPES, OPERATORS_BY_TYPE } from "./operators.js";
import type { Condition, ConditionValue, Scalar, SegmentNode } from "./tree.js";

/**
 * Depth, condition and node counts of raw (unparsed) JSON. Reports the first node past the depth limit and the
 * totals past theirs; does not look inside conditions.
 */
export function checkTreeSize(input: unknown, rootPath = "rules"): SegmentIssue[] {
  const issues: SegmentIssue[] = [];
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: input, path: rootPath, depth: 1 }];
  let nodes = 0;
  let conditions = 0;
  let tooDeep = false;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    nodes++;
    if (nodes > SEGMENT_LIMITS.maxNodes) {
      issues.push({
        path: rootPath,
        code: "too_many_nodes",
        message: `More than ${SEGMENT_LIMITS.maxNodes} rule nodes.`,
      });
      break;
    }
    if (item.depth > SEGMENT_LIMITS.maxDepth) {
      if (!tooDeep) {
        issues.push({
          path: item.path,
          code: "too_deep",
          message: `Rules nest more than ${SEGMENT_LIMITS.maxDepth} levels deep here; flatten the groups.`,
        });
      }
      tooDeep = true;
      continue;
    }
    if (typeof item.node !== "object" || item.node === null) continue;
    const record = item.node as Record<string, unknown>;
    if (record.kind === "condition") conditions++;
    if (Array.isArray(record.children)) {
      record.children.forEach((child, index) => {
        stack.push({ node: child, path: joinPath(item.path, "children", index), depth: item.depth + 1 });
      });
    }
    if (record.kind === "not" && "child" in record) {
      stack.push({ node: record.child, path: joinPath(item.path, "child"), depth: item.depth + 1 });
    }
  }
  if (conditions > SEGMENT_LIMITS.maxConditions) {
    issues.push({
      path: rootPath,
      code: "too_many_conditions",
      message: `${conditions} conditions; a segment may have at most ${SEGMENT_LIMITS.maxConditions}.`,
    });
  }
  return issues;
}

/** Every problem with the fields, operators and values of a (shape-valid) rule tree. */
export function validateSegmentRules(root: SegmentNode, context: SegmentContext, rootPath = "rules"): SegmentIssue[] {
  const issues: SegmentIssue[] = [];
  const add = (path: string, code: SegmentIssueCode, message: string) => issues.push({ path, code, message });
  const stack: { node: SegmentNode; path: string }[] = [{ node: root, path: rootPath }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, path } = item;
    switch (node.kind) {
      case "and":
      case "or":
        if (node.children.length === 0) add(path, "empty_group", `An "${node.kind}" group needs at least one rule.`);
        for (let index = node.children.length - 1; index >= 0; index--) {
          const child = node.children[index];
          if (child !== undefined) stack.push({ node: child, path: joinPath(path, "children", index) });
        }
        break;
      case "not":
        stack.push({ node: node.child, path: joinPath(path, "child") });
        break;
      case "condition":
        validateCondition(node, path, context, add);
        break;
      default: {
        const unexpected: never = node;
        throw new Error(`unknown segment node ${JSON.stringify(unexpected)}`);
      }
    }
  }
  return issues;
}

type Add = (path: string, code: SegmentIssueCode, message: string) => void;

function validateCondition(condition: Condition, path: string, context: SegmentContext, add: Add): void {
  const field = resolveField(condition.field, context);
  if (field === null) {
    const hint = condition.field.startsWith("attributes.") ? " (no such custom attribute is defined)" : "";
    add(joinPath(path, "field"), "unknown_field", `"${condition.field}" is not a field segments can use${hint}.`);
    return;
  }
  const allowed = OPERATORS_BY_TYPE[field.type];
  if (!allowed.includes(condition.op)) {
    add(
      joinPath(path, "op"),
      "operator_not_allowed",
      `"${condition.op}" does not apply to ${field.label} (${field.type}); use one of ${allowed.join(", ")}.`,
    );
    return;
  }
  const valuePath = joinPath(path, "value");
  const { value } = condition;
  const shape = OPERAND_SHAPES[condition.op];
  switch (shape) {
    case "none":
      if (value !== undefined) add(valuePath, "value_not_allowed", `"${condition.op}" takes no value.`);
      return;
    case "scalar":
      if (value === undefined) add(valuePath, "value_required", `"${condition.op}" needs a value.`);
      else if (Array.isArray(value)) add(valuePath, "invalid_value", `"${condition.op}" takes one value, not a list.`);
      else checkScalar(value, field, condition, valuePath, add);
      return;
    case "list":
      checkList(value, field, condition, valuePath, add);
      return;
    case "range":
      checkRange(value, field, condition, valuePath, add);
      return;
    case "days":
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > SEGMENT_LIMITS.maxDays) {
        add(
          valuePath,
          "invalid_value",
          `"${condition.op}" needs a whole number of days from 1 to ${SEGMENT_LIMITS.maxDays}.`,
        );
      }
      return;
    default: {
      const unexpected: never = shape;
      throw new Error(`unknown operand shape ${String(unexpected)}`);
    }
  }
}

function checkList(value: ConditionValue | undefined, field: FieldSpec, condition: Condition, path: string, add: Add) {
  if (!Array.isArray(value)) {
    add(path, value === undefined ? "value_required" : "invalid_value", `"${condition.op}" needs a list of values.`);
    return;
  }
  if (value.length === 0) add(path, "list_empty", "The list is empty.");
  if (value.length > SEGMENT_LIMITS.maxListValues) {
    add(path, "list_too_long", `${value.length} values; a list may hold at most ${SEGMENT_LIMITS.maxListValues}.`);
    return;
  }
  value.forEach((item, index) => {
    checkScalar(item, field, condition, joinPath(path, index), add);
  });
}

function checkRange(value: ConditionValue | undefined, field: FieldSpec, condition: Condition, path: string, add: Add) {
  if (!Array.isArray(value) || value.length !== 2) {
    add(path, value === undefined ? "value_required" : "invalid_value", '"between" needs [low, high].');
    return;
  }
  const [low, high] = value as [Scalar, Scalar];
  let valid = true;
  const track: Add = (issuePath, code, message) => {
    valid = false;
    add(issuePath, code, message);
  };
  checkScalar(low, field, condition, joinPath(path, 0), track);
  checkScalar(high, field, condition, joinPath(path, 1), track);
  if (valid && typeof low === "number" && typeof high === "number" && low > high) {
    add(path, "invalid_range", `The range is reversed: ${low} is greater than ${high}.`);
  }
}

/** Check one value against the field's type (and enum values, country codes, lengths). */
function checkScalar(value: Scalar, field: FieldSpec, condition: Condition, path: string, add: Add): void {
  const expect = (ok: boolean, what: string) => {
    if (!ok) add(path, "invalid_value", `${field.label} needs ${what}; got ${JSON.stringify(value)}.`);
    return ok;
  };
  switch (field.type) {
    case "text":
    case "tag":
    case "campaign":
      if (!expect(typeof value === "string", "text")) return;
      if ((value as string).length > SEGMENT_LIMITS.maxTextLength) {
        add(path, "value_too_long", `The value is longer than ${SEGMENT_LIMITS.maxTextLength} characters.`);
      } else if ((value as string).trim() === "" && condition.op !== "eq" && condition.op !== "neq") {
        add(path, "invalid_value", "The value is empty.");
      }
      return;
    case "number":
      expect(typeof value === "number" && Number.isFinite(value), "a number");
      return;
    case "boolean":
      expect(typeof value === "boolean", "true or false");
      return;
    case "date":
      expect(typeof value === "number" && Number.isInteger(value), "a time in epoch milliseconds");
      return;
    case "enum":
      expect(
        typeof value === "string" && (field.values ?? []).includes(value),
        `one of ${(field.values ?? []).join(", ")}`,
      );
      return;
    case "country":
      expect(
        typeof value === "string" && /^[A-Z]{2}$/.test(value) && isCountryCode(value),
        "an ISO country code like KR",
      );
      return;
    default: {
      const unexpected: never = field.type;
      throw new Error(`unknown field type ${String(unexpected)}`);
    }
  }
}
