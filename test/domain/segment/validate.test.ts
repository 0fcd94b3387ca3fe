import { describe, expect, it } from "vitest";
import {
  type Condition,
  parseSegmentDefinition,
  type SegmentContext,
  type SegmentIssueCode,
  type SegmentNode,
  validateSegmentRules,
} from "../../../src/domain/segment/index.js";

const context: SegmentContext = { attributes: { vip_level: "number", birthday: "date", newsletter: "boolean" } };

const cond = (field: string, op: Condition["op"], value?: Condition["value"]): Condition =>
  value === undefined ? { kind: "condition", field, op } : { kind: "condition", field, op, value };

function issues(node: SegmentNode) {
  return validateSegmentRules(node, context);
}

function codes(node: SegmentNode): SegmentIssueCode[] {
  return issues(node).map((issue) => issue.code);
}

function nest(depth: number): SegmentNode {
  let node: SegmentNode = cond("tags", "has", "vip");
  for (let level = 1; level < depth; level++) node = { kind: "and", children: [node] };
  return node;
}

describe("validateSegmentRules", () => {
  it("accepts a realistic three-condition segment", () => {
    const rules: SegmentNode = {
      kind: "and",
      children: [
        cond("contact.country", "eq", "KR"),
        cond("metrics.orders_90d", "gte", 2),
        { kind: "not", child: cond("campaign.received", "eq", "cmp-42") },
      ],
    };
    expect(issues(rules)).toEqual([]);
  });

  it("rejects an unknown field, naming its path", () => {
    const rules: SegmentNode = { kind: "or", children: [cond("contact.phone", "is_set"), cond("password", "eq", "x")] };
    expect(issues(rules)).toEqual([
      {
        path: "rules.children[1].field",
        code: "unknown_field",
        message: '"password" is not a field segments can use.',
      },
    ]);
  });

  it("rejects a custom attribute the business has not defined", () => {
    expect(issues(cond("attributes.shoe_size", "eq", 42))[0]?.message).toContain("no such custom attribute");
    expect(codes(cond("attributes.vip_level", "gte", 3))).toEqual([]);
  });

  it("rejects an operator the field's type does not allow", () => {
    expect(codes(cond("metrics.orders_30d", "contains", "1"))).toEqual(["operator_not_allowed"]);
    expect(codes(cond("tags", "eq", "vip"))).toEqual(["operator_not_allowed"]);
    expect(codes(cond("attributes.newsletter", "gt", true))).toEqual(["operator_not_allowed"]);
  });

  it("requires a value where the operator takes one and refuses one where it does not", () => {
    expect(codes(cond("contact.name", "eq"))).toEqual(["value_required"]);
    expect(codes(cond("contact.name", "is_set", "x"))).toEqual(["value_not_allowed"]);
  });

  it("checks value types against the field", () => {
    expect(issues(cond("metrics.orders_30d", "gt", "three"))[0]).toMatchObject({
      path: "rules.value",
      code: "invalid_value",
    });
    expect(codes(cond("attributes.newsletter", "eq", "yes"))).toEqual(["invalid_value"]);
    expect(codes(cond("metrics.last_order_at", "before", 1.5))).toEqual(["invalid_value"]);
  });

  it("checks enum values and country codes", () => {
    expect(codes(cond("metrics.frequency_class", "eq", "daily"))).toEqual(["invalid_value"]);
    expect(codes(cond("metrics.frequency_class", "in", ["weekly", "monthly"]))).toEqual([]);
    expect(codes(cond("contact.country", "eq", "kr"))).toEqual(["invalid_value"]);
    expect(codes(cond("contact.country", "eq", "ZZ"))).toEqual(["invalid_value"]);
  });

  it("names the bad element of a list", () => {
    expect(issues(cond("contact.country", "in", ["KR", "JP", "Korea"]))[0]?.path).toBe("rules.value[2]");
  });

  it("rejects an empty list, a scalar where a list is needed, and a list over 1000 values", () => {
    expect(codes(cond("tags", "has_any", []))).toEqual(["list_empty"]);
    expect(codes(cond("tags", "has_any", "vip"))).toEqual(["invalid_value"]);
    const many = Array.from({ length: 1001 }, (_, i) => `t${i}`);
    expect(codes(cond("tags", "has_any", many))).toEqual(["list_too_long"]);
  });

  it("checks between ranges", () => {
    expect(codes(cond("metrics.avg_order_value", "between", [10_000, 50_000]))).toEqual([]);
    expect(codes(cond("metrics.avg_order_value", "between", [50_000, 10_000]))).toEqual(["invalid_range"]);
    expect(codes(cond("metrics.avg_order_value", "between", [1]))).toEqual(["invalid_value"]);
  });

  it("takes whole days from 1 to 3650 for relative dates", () => {
    expect(codes(cond("metrics.last_inbound_at", "within_last_days", 7))).toEqual([]);
    expect(codes(cond("metrics.last_inbound_at", "within_last_days", 0))).toEqual(["invalid_value"]);
    expect(codes(cond("metrics.last_inbound_at", "older_than_days", 3651))).toEqual(["invalid_value"]);
    expect(codes(cond("metrics.last_inbound_at", "within_last_days", 1.5))).toEqual(["invalid_value"]);
  });

  it("rejects text longer than 500 characters", () => {
    expect(codes(cond("contact.name", "contains", "a".repeat(501)))).toEqual(["value_too_long"]);
  });

  it("rejects an empty and/or group", () => {
    expect(codes({ kind: "and", children: [] })).toEqual(["empty_group"]);
  });

  it("reports every issue, not just the first", () => {
    const rules: SegmentNode = {
      kind: "and",
      children: [cond("nope", "eq", 1), cond("metrics.heat", "eq", "hot"), cond("tags", "has")],
    };
    expect(issues(rules).map((issue) => issue.path)).toEqual([
      "rules.children[0].field",
      "rules.children[1].value",
      "rules.children[2].value",
    ]);
  });
});

describe("parseSegmentDefinition", () => {
  it("applies the default exclusions", () => {
    const result = parseSegmentDefinition({ rules: cond("tags", "has", "vip") }, context);
    expect(result).toEqual({
      ok: true,
      definition: { rules: cond("tags", "has", "vip"), excludeInactive: true, excludeOptedOut: true },
    });
  });

  it("accepts a tree 8 levels deep", () => {
    expect(parseSegmentDefinition({ rules: nest(8) }, context).ok).toBe(true);
  });

  it("rejects a tree 9 levels deep, pointing at the node that is too deep", () => {
    const result = parseSegmentDefinition({ rules: nest(9) }, context);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0]?.code).toBe("too_deep");
      expect(result.issues[0]?.path).toBe(`rules${".children[0]".repeat(8)}`);
    }
  });

  it("rejects an absurdly deep tree without overflowing the stack", () => {
    let raw: unknown = { kind: "condition", field: "tags", op: "has", value: "x" };
    for (let level = 0; level < 100_000; level++) raw = { kind: "not", child: raw };
    const result = parseSegmentDefinition({ rules: raw }, context);
    expect(!result.ok && result.issues[0]?.code).toBe("too_deep");
  });

  it("rejects more than 200 conditions", () => {
    const children = Array.from({ length: 201 }, () => cond("tags", "has", "x"));
    const result = parseSegmentDefinition({ rules: { kind: "or", children } }, context);
    expect(!result.ok && result.issues.map((issue) => issue.code)).toEqual(["too_many_conditions"]);
    const ok = parseSegmentDefinition({ rules: { kind: "or", children: children.slice(1) } }, context);
    expect(ok.ok).toBe(true);
  });

  it("rejects more than 1000 nodes of empty groups", () => {
    const children = Array.from({ length: 1000 }, () => ({ kind: "and", children: [] }));
    const result = parseSegmentDefinition({ rules: { kind: "or", children } }, context);
    expect(!result.ok && result.issues[0]?.code).toBe("too_many_nodes");
  });

  it("reports shape errors (unknown kinds, unknown keys, bad operators) with paths", () => {
    const result = parseSegmentDefinition(
      {
        rules: {
          kind: "and",
          children: [
            { kind: "xor", children: [] },
            { kind: "condition", field: "tags", op: "like", value: "x" },
          ],
        },
      },
      context,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.every((issue) => issue.code === "invalid_shape")).toBe(true);
      expect(result.issues.map((issue) => issue.path)).toEqual(["rules.children[0].kind", "rules.children[1].op"]);
    }
  });

  it("refuses SQL-looking field names as unknown fields, never passing them on", () => {
    const result = parseSegmentDefinition({ rules: cond("contacts.phone; DROP TABLE contacts", "eq", "x") }, context);
    expect(!result.ok && result.issues[0]?.code).toBe("unknown_field");
  });
});
