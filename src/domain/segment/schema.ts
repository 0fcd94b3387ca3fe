/**
 * zod schemas for rule trees and segment definitions (the API's request bodies and the OpenAPI document), and
 * `parseSegmentDefinition`, which runs the three checks in a safe order: size on raw JSON, shape with zod, then
 * fields, operators and values — returning every issue with its path.
 */
import { z } from "zod";
import type { SegmentContext } from "./fields.js";
import { joinPath, type SegmentIssue } from "./issues.js";
import { SEGMENT_LIMITS } from "./limits.js";
import { OPERATORS, type SegmentDefinition, type SegmentNode } from "./tree.js";
import { checkTreeSize, validateSegmentRules } from "./validate.js";

const scalarSchema = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const conditionSchema = z.strictObject({
  kind: z.literal("condition"),
  field: z.string().min(1).max(200),
  op: z.enum(OPERATORS),
  value: z.union([scalarSchema, z.array(scalarSchema).max(SEGMENT_LIMITS.maxListValues * 10)]).optional(),
});

export const segmentNodeSchema: z.ZodType<SegmentNode> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("and"), children: z.array(segmentNodeSchema) }),
    z.strictObject({ kind: z.literal("or"), children: z.array(segmentNodeSchema) }),
    z.strictObject({ kind: z.literal("not"), child: segmentNodeSchema }),
    conditionSchema,
  ]),
);

export const segmentDefinitionSchema = z.strictObject({
  rules: segmentNodeSchema,
  excludeInactive: z.boolean().default(true),
  excludeOptedOut: z.boolean().default(true),
});

export type SegmentDefinitionInput = z.input<typeof segmentDefinitionSchema>;

export type ParseSegmentResult = { ok: true; definition: SegmentDefinition } | { ok: false; issues: SegmentIssue[] };

/** Read and validate a segment definition from untrusted JSON against the business's attributes. */
export function parseSegmentDefinition(input: unknown, context: SegmentContext): ParseSegmentResult {
  const rules = typeof input === "object" && input !== null ? (input as { rules?: unknown }).rules : undefined;
  const sizeIssues = checkTreeSize(rules, "rules");
  if (sizeIssues.length > 0) return { ok: false, issues: sizeIssues };

  const parsed = segmentDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue): SegmentIssue => ({
        path: joinPath("", ...issue.path).replace(/^\./u, ""),
        code: "invalid_shape",
        message: issue.message,
      }),
    );
    return { ok: false, issues };
  }
  const issues = validateSegmentRules(parsed.data.rules, context, "rules");
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: parsed.data };
}
