import { describe, expect, it } from "vitest";
import {
  type Condition,
  conditionsOf,
  effectiveRules,
  evaluateSegment,
  SEGMENT_FIELDS,
  type SegmentNode,
  type SegmentSubject,
} from "../../../src/domain/segment/index.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

const cond = (field: string, op: Condition["op"], value?: Condition["value"]): Condition =>
  value === undefined ? { kind: "condition", field, op } : { kind: "condition", field, op, value };

const minsu: SegmentSubject = {
  values: {
    "contact.country": "KR",
    "contact.name": "Kim Minsu",
    "metrics.orders_90d": 3,
    "metrics.last_order_at": NOW - 10 * DAY,
    "metrics.heat": "active",
    "consent.state": "opted_in",
    "attributes.vip_level": 2,
  },
  tags: ["vip", "seoul"],
  campaigns: { received: ["cmp-1", "cmp-2"], read: ["cmp-1"], replied: [] },
};

const matches = (node: SegmentNode, subject = minsu) => evaluateSegment(node, subject, NOW);

describe("evaluateSegment", () => {
  it("combines and, or and not", () => {
    const rules: SegmentNode = {
      kind: "and",
      children: [
        cond("contact.country", "eq", "KR"),
        { kind: "or", children: [cond("metrics.orders_90d", "gte", 5), cond("tags", "has", "vip")] },
        { kind: "not", child: cond("campaign.replied", "eq", "cmp-1") },
      ],
    };
    expect(matches(rules)).toBe(true);
  });

  it("lets neq and not_in match an unset field, and nothing else", () => {
    expect(matches(cond("contact.language", "neq", "ko"))).toBe(true);
    expect(matches(cond("contact.language", "not_in", ["ko"]))).toBe(true);
    expect(matches(cond("contact.language", "eq", "ko"))).toBe(false);
    expect(matches(cond("contact.language", "is_not_set"))).toBe(true);
    expect(matches(cond("metrics.read_rate", "lt", 0.5))).toBe(false);
  });

  it("evaluates day windows against now", () => {
    expect(matches(cond("metrics.last_order_at", "within_last_days", 30))).toBe(true);
    expect(matches(cond("metrics.last_order_at", "within_last_days", 7))).toBe(false);
    expect(matches(cond("metrics.last_order_at", "older_than_days", 7))).toBe(true);
  });

  it("compares ranges inclusively", () => {
    expect(matches(cond("metrics.orders_90d", "between", [3, 5]))).toBe(true);
    expect(matches(cond("metrics.orders_90d", "between", [4, 5]))).toBe(false);
  });

  it("matches text case-insensitively for contains and starts_with", () => {
    expect(matches(cond("contact.name", "contains", "minsu"))).toBe(true);
    expect(matches(cond("contact.name", "starts_with", "KIM"))).toBe(true);
  });

  it("tests tags with has, has_not, has_any and has_all", () => {
    expect(matches(cond("tags", "has_all", ["vip", "seoul"]))).toBe(true);
    expect(matches(cond("tags", "has_all", ["vip", "busan"]))).toBe(false);
    expect(matches(cond("tags", "has_any", ["busan", "seoul"]))).toBe(true);
    expect(matches(cond("tags", "has_not", "vip"))).toBe(false);
  });

  it("tests campaign interactions", () => {
    expect(matches(cond("campaign.read", "eq", "cmp-1"))).toBe(true);
    expect(matches(cond("campaign.read", "neq", "cmp-2"))).toBe(true);
    expect(matches(cond("campaign.received", "in", ["cmp-9", "cmp-2"]))).toBe(true);
  });

  it("tests custom attributes", () => {
    expect(matches(cond("attributes.vip_level", "gte", 2))).toBe(true);
  });
});

describe("effectiveRules", () => {
  it("excludes inactive and opted-out contacts by default", () => {
    const rules = cond("tags", "has", "vip");
    const tree = effectiveRules({ rules, excludeInactive: true, excludeOptedOut: true });
    expect(matches(tree)).toBe(true);
    expect(matches(tree, { ...minsu, values: { ...minsu.values, "consent.state": "opted_out" } })).toBe(false);
    expect(matches(tree, { ...minsu, values: { ...minsu.values, "metrics.heat": "inactive" } })).toBe(false);
  });

  it("leaves the rules alone when both exclusions are switched off", () => {
    const rules = cond("tags", "has", "vip");
    expect(effectiveRules({ rules, excludeInactive: false, excludeOptedOut: false })).toBe(rules);
  });
});

describe("conditionsOf", () => {
  it("lists conditions depth first", () => {
    const tree: SegmentNode = {
      kind: "and",
      children: [cond("a", "is_set"), { kind: "not", child: cond("b", "is_set") }, cond("c", "is_set")],
    };
    expect(conditionsOf(tree).map((c) => c.field)).toEqual(["a", "b", "c"]);
  });
});

describe("field whitelist", () => {
  it("gives every field a storage the compiler can use", () => {
    for (const spec of SEGMENT_FIELDS.values()) expect(spec.storage.kind).toBeTruthy();
    expect(SEGMENT_FIELDS.get("metrics.orders_30d")?.storage).toEqual({
      kind: "column",
      table: "contact_metrics",
      column: "orders_30d",
    });
  });
});
