import { z } from "zod";
import { ATTRIBUTE_TYPES } from "../../domain/segment/fields.js";
import { epochMs } from "./common.js";

const consentSources = ["keyword", "button", "form", "whatsapp", "import", "api", "manual"] as const;
const optOutReasons = ["keyword", "button", "whatsapp", "complaint", "import", "api", "manual"] as const;
const country = z.string().regex(/^[A-Za-z]{2}$/, "must be an ISO 3166 alpha-2 code like KR");

export const consentSchema = z
  .object({
    state: z.enum(["opted_in", "opted_out", "unknown"]),
    source: z.string().nullable().describe("opted_in: keyword | button | form | whatsapp | import | api | manual"),
    reason: z
      .string()
      .nullable()
      .describe("opted_out: keyword | button | whatsapp | complaint | import | api | manual"),
    note: z.string().nullable(),
    at: epochMs.nullable(),
  })
  .meta({ id: "Consent" });

export const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

export const contactSchema = z
  .object({
    id: z.string(),
    phone: z.string().describe("E.164"),
    name: z.string(),
    language: z.string().nullable(),
    country: z.string().nullable(),
    timeZone: z.string().nullable(),
    attributes: z.record(z.string(), attributeValue),
    consent: consentSchema,
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "Contact" });

export const consentInput = z.discriminatedUnion("state", [
  z.strictObject({ state: z.literal("opted_in"), source: z.enum(consentSources), at: epochMs.optional() }),
  z.strictObject({
    state: z.literal("opted_out"),
    reason: z.enum(optOutReasons),
    note: z.string().max(500).optional(),
    at: epochMs.optional(),
  }),
]);

const contactFields = {
  name: z.string().max(200).optional(),
  language: z.string().max(35).nullable().optional(),
  country: country.nullable().optional(),
  timeZone: z.string().max(64).nullable().optional(),
  attributes: z
    .record(z.string().max(40), z.union([attributeValue, z.null()]))
    .optional()
    .describe("merged into the contact's attributes; null removes one"),
};

/** One contact in an upsert (also each item of a bulk upsert). */
export const contactItem = z.strictObject({
  phone: z.string().min(1).max(50),
  ...contactFields,
  consent: consentInput.optional(),
});

export const upsertContactBody = contactItem
  .extend({ defaultCountry: country.optional() })
  .meta({ id: "ContactUpsert" });

export const patchContactBody = z.strictObject({
  phone: z.string().min(1).max(50).optional(),
  defaultCountry: country.optional(),
  ...contactFields,
});

/** Items are checked one by one in the handler so each gets its own result (not one 400 for the request). */
export const bulkContactsBody = z.strictObject({
  defaultCountry: country.optional(),
  contacts: z.array(z.unknown()).min(1).describe("1–10,000 contact upserts; more is a 413"),
});

export const itemResult = z.object({
  index: z.number().int(),
  status: z.enum(["created", "updated", "rejected"]),
  id: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const bulkResult = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    rejected: z.number().int(),
    results: z.array(itemResult),
  })
  .meta({ id: "BulkResult" });

export const listContactsQuery = z.strictObject({
  q: z.string().max(200).optional(),
  phone: z.string().max(50).optional(),
  consent: z.enum(["opted_in", "opted_out", "unknown"]).optional(),
  country: country.optional(),
  tag: z.string().max(50).optional(),
  segmentId: z.string().max(64).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const exportQuery = listContactsQuery.omit({ cursor: true, limit: true });

export const optInBody = z.strictObject({ source: z.enum(consentSources), at: epochMs.optional() });
export const optOutBody = z.strictObject({
  reason: z.enum(optOutReasons),
  note: z.string().max(500).optional(),
  at: epochMs.optional(),
});

export const consentChangeSchema = z.object({
  contact: contactSchema,
  changed: z.boolean(),
  ignored: z.enum(["stale", "unchanged", "opt_out_needs_contact_action"]).nullable(),
});

export const attributeSchema = z
  .object({
    name: z.string(),
    type: z.enum(ATTRIBUTE_TYPES),
    label: z.string(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "AttributeDefinition" });

export const createAttributeBody = z.strictObject({
  name: z.string().min(1).max(40),
  type: z.enum(ATTRIBUTE_TYPES),
  label: z.string().max(100).optional(),
});

export const metricsSchema = z
  .object({
    orders30d: z.number(),
    orders90d: z.number(),
    orders365d: z.number(),
    ordersTotal: z.number(),
    totalSpent: z.number(),
    spent365d: z.number(),
    avgOrderValue: z.number().nullable(),
    currency: z.string(),
    foreignCurrencyOrders: z.number(),
    firstOrderAt: epochMs.nullable(),
    lastOrderAt: epochMs.nullable(),
    frequencyClass: z.enum(["weekly", "monthly", "quarterly", "occasional", "none"]),
    heat: z.enum(["active", "quiet", "silent", "inactive"]),
    lastInboundAt: epochMs.nullable(),
    lastReadAt: epochMs.nullable(),
    readRate: z.number().nullable(),
    rfm: z.object({ recency: z.number(), frequency: z.number(), monetary: z.number() }).nullable(),
    computedAt: epochMs,
  })
  .meta({ id: "ContactMetrics" });

export const contactTagSchema = z
  .object({
    tag: z.string(),
    source: z.enum(["manual", "rule"]),
    ruleId: z.string().nullable(),
    note: z.string().nullable(),
    addedAt: epochMs,
    explanation: z.string(),
  })
  .meta({ id: "ContactTag" });
