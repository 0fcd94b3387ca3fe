import { z } from "zod";
import { epochMs } from "./common.js";
import { contactSchema } from "./contacts.js";

// Rule trees are taken as JSON here and validated by the domain (size first, then shape, fields and values), so
// a hostile tree never reaches a recursive parser and every issue comes back with its path under `rules`.
const rules = z.unknown().describe("a rule tree: { kind: and|or|not|condition, … } (see docs/api-customers.md)");

export const segmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    rules: z.unknown(),
    excludeInactive: z.boolean().describe("leave out contacts inactive for 90 days (default true)"),
    excludeOptedOut: z.boolean().describe("leave out opted-out contacts (default true)"),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "Segment" });

export const createSegmentBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(500).optional(),
  rules,
  excludeInactive: z.boolean().optional(),
  excludeOptedOut: z.boolean().optional(),
});

export const patchSegmentBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(500).optional(),
  rules: rules.optional(),
  excludeInactive: z.boolean().optional(),
  excludeOptedOut: z.boolean().optional(),
});

export const previewBody = z.strictObject({
  rules,
  excludeInactive: z.boolean().optional(),
  excludeOptedOut: z.boolean().optional(),
  sampleSize: z.number().int().min(0).max(50).default(10),
});

export const previewQuery = z.strictObject({ sampleSize: z.coerce.number().int().min(0).max(50).default(10) });

export const previewSchema = z
  .object({
    count: z.number().int(),
    excluded: z.object({ inactive: z.number().int(), optedOut: z.number().int() }),
    sample: z.array(contactSchema),
    tookMs: z.number(),
  })
  .meta({ id: "SegmentPreview" });

export const fieldSchema = z
  .object({
    id: z.string(),
    group: z.string(),
    type: z.string(),
    label: z.string(),
    operators: z.array(z.string()),
    values: z.array(z.string()).nullable(),
    unit: z.string().nullable(),
    available: z.boolean(),
  })
  .meta({ id: "SegmentField" });

export const pageQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const tagRuleSpec = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("high_frequency"), periods: z.number().int(), periodDays: z.number().int() }),
  z.strictObject({ kind: z.literal("top_spenders"), share: z.number() }),
  z.strictObject({ kind: z.literal("segment"), rules, description: z.string().max(200) }),
]);

export const tagRuleSchema = z
  .object({
    id: z.string(),
    tag: z.string(),
    rule: z.unknown(),
    enabled: z.boolean(),
    contacts: z.number().int(),
    lastAppliedAt: epochMs.nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "TagRule" });

export const createTagRuleBody = z.strictObject({
  tag: z.string().min(1).max(50),
  rule: tagRuleSpec,
  enabled: z.boolean().optional(),
});

export const patchTagRuleBody = z.strictObject({ rule: tagRuleSpec.optional(), enabled: z.boolean().optional() });

export const tagSummarySchema = z.object({
  tag: z.string(),
  contacts: z.number().int(),
  ruleId: z.string().nullable(),
});

export const addTagBody = z.strictObject({ tag: z.string().min(1).max(50), note: z.string().max(500).optional() });

export const metricsStatusSchema = z
  .object({
    baseCurrency: z.string(),
    lastRefreshAt: epochMs.nullable(),
    lastRefreshMs: z.number().nullable(),
    refreshing: z.boolean(),
    refreshEveryMs: z.number(),
  })
  .meta({ id: "MetricsStatus" });
