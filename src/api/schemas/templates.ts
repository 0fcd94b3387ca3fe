import { z } from "zod";
import { TEMPLATE_CATEGORIES } from "../../domain/template/model.js";
import { templateSchema } from "../../domain/template/schema.js";
import { TEMPLATE_HISTORY_SOURCES, TEMPLATE_QUALITIES, TEMPLATE_STATUSES } from "../../store/templates.js";
import { epochMs } from "./common.js";

const senderId = z.string().min(1).max(64);

/**
 * A template as authored: Meta's components in Herald's shape (src/domain/template/model.ts). Unknown top-level
 * fields are refused by name, so a misspelt `footr` is not silently dropped.
 */
export const templateInput = z.strictObject(templateSchema.shape).meta({ id: "TemplateContent" });

export const createTemplateBody = z
  .strictObject({
    ...templateSchema.shape,
    senderId: senderId.nullable().optional().describe("ties the draft to this sender's WhatsApp Business Account"),
  })
  .meta({ id: "TemplateDraft" });

export const submitTemplateBody = z.strictObject({
  senderId: senderId.describe("submit to the WhatsApp Business Account of this sender"),
});

export const syncTemplatesBody = z.strictObject({
  senderId: senderId.optional().describe("sync this sender's account only; default: every account"),
});

const mediaRef = z.union([z.strictObject({ id: z.string().min(1).max(200) }), z.strictObject({ link: z.url() })]);

export const previewTemplateBody = z.strictObject({
  values: z
    .strictObject({
      header: z
        .discriminatedUnion("kind", [
          z.strictObject({ kind: z.literal("text"), text: z.string().max(1000) }),
          z.strictObject({ kind: z.literal("media"), media: mediaRef, filename: z.string().max(240).optional() }),
          z.strictObject({
            kind: z.literal("location"),
            latitude: z.number().min(-90).max(90),
            longitude: z.number().min(-180).max(180),
            name: z.string().max(1000).optional(),
            address: z.string().max(1000).optional(),
          }),
        ])
        .optional(),
      body: z.record(z.string().max(100), z.string().max(2000)).optional().describe("variable name → value"),
      buttons: z.record(z.string().regex(/^\d$/), z.string().max(2000)).optional().describe("button index → value"),
    })
    .optional()
    .describe("values for this recipient; missing ones are taken from the template's samples"),
});

const statusEnum = z.enum(TEMPLATE_STATUSES);

export const listTemplatesQuery = z.strictObject({
  status: z
    .string()
    .max(300)
    .transform((value, ctx) => {
      const statuses = value.split(",").map((s) => s.trim().toUpperCase());
      const unknown = statuses.filter((s) => !statusEnum.safeParse(s).success);
      if (unknown.length > 0) {
        ctx.addIssue({ code: "custom", message: `unknown status ${unknown.join(", ")}` });
        return z.NEVER;
      }
      return statuses as (typeof TEMPLATE_STATUSES)[number][];
    })
    .optional()
    .describe("comma-separated statuses; default every status but DELETED"),
  category: z.enum(TEMPLATE_CATEGORIES).optional(),
  senderId: senderId.optional().describe("templates on this sender's WhatsApp Business Account"),
  wabaId: z
    .string()
    .regex(/^\d{1,32}$/, "must be a WhatsApp Business Account id (digits only)")
    .optional(),
  search: z.string().max(100).optional().describe("part of the name or of the text"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(64).optional().describe("nextCursor of the previous page"),
});

const issue = z.object({ path: z.string(), rule: z.string(), message: z.string() });
const lintFinding = z.object({
  code: z.string(),
  severity: z.enum(["warning", "info"]),
  path: z.string(),
  message: z.string(),
  explanation: z.string(),
});

export const templateResponse = z
  .object({
    id: z.string(),
    wabaId: z.string().nullable().describe("null while a draft is not tied to an account"),
    senderId: z.string().nullable(),
    name: z.string(),
    language: z.string(),
    category: z.enum(TEMPLATE_CATEGORIES),
    parameterFormat: z.enum(["POSITIONAL", "NAMED"]),
    template: templateSchema,
    status: statusEnum,
    rejectedReason: z.string().nullable(),
    quality: z.enum(TEMPLATE_QUALITIES),
    providerTemplateId: z.string().nullable(),
    lint: z.array(lintFinding),
    submittedAt: epochMs.nullable(),
    statusChangedAt: epochMs,
    createdBy: z.string().nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "Template" });

export const historyEntry = z
  .object({
    id: z.string(),
    at: epochMs,
    source: z.enum(TEMPLATE_HISTORY_SOURCES),
    event: z.string(),
    status: statusEnum,
    previousStatus: statusEnum.nullable(),
    reason: z.string().nullable(),
    quality: z.enum(TEMPLATE_QUALITIES).nullable(),
    category: z.string().nullable(),
  })
  .meta({ id: "TemplateHistoryEntry" });

export const templateDetailResponse = templateResponse
  .extend({
    history: z.array(historyEntry).describe("every status change, oldest first"),
    variants: z
      .array(z.object({ id: z.string(), language: z.string(), status: statusEnum }))
      .describe("the languages of this template on the same account"),
  })
  .meta({ id: "TemplateDetail" });

export const templatePage = z.object({ data: z.array(templateResponse), nextCursor: z.string().nullable() });

export const lintResponse = z
  .object({
    valid: z.boolean().describe("true when no Meta rule is broken (warnings do not block submission)"),
    issues: z.array(issue).describe("Meta rules the template breaks; rule `shape` for malformed input"),
    warnings: z.array(lintFinding).describe("approval risks and advice, warnings first"),
  })
  .meta({ id: "TemplateCheck" });

export const previewResponse = z
  .object({
    ok: z.boolean(),
    values: z.unknown().describe("the values used: the given ones completed with the template's samples"),
    bubble: z.unknown().optional().describe("the message as the recipient sees it: header, body, footer, buttons"),
    components: z.array(z.unknown()).optional().describe("the Cloud API `components` that send it"),
    issues: z
      .array(z.object({ path: z.string(), code: z.string(), metaCode: z.number(), message: z.string() }))
      .optional()
      .describe("values WhatsApp would refuse, with the Meta error code each stands for"),
  })
  .meta({ id: "TemplatePreview" });

export const syncResponse = z
  .object({
    data: z.array(
      z.object({
        wabaId: z.string(),
        senderId: z.string(),
        listed: z.number().int(),
        imported: z.number().int(),
        updated: z.number().int(),
        deleted: z.number().int(),
        skipped: z.array(z.object({ name: z.string(), language: z.string(), reason: z.string() })),
        error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }).nullable(),
      }),
    ),
  })
  .meta({ id: "TemplateSyncReport" });
