import { z } from "zod";
import { CAMPAIGN_STATUSES } from "../../domain/campaign/status.js";
import { epochMs } from "./common.js";

const fallback = z.string().max(200).optional();
export const variableSourceSchema = z.discriminatedUnion("from", [
  z.strictObject({ from: z.literal("field"), field: z.enum(["name", "phone", "country", "language"]), fallback }),
  z.strictObject({ from: z.literal("attribute"), name: z.string().min(1).max(64), fallback }),
  z.strictObject({ from: z.literal("metric"), name: z.string().regex(/^[a-z0-9_]{1,64}$/), fallback }),
  z.strictObject({ from: z.literal("constant"), value: z.string().min(1).max(1000) }),
]);

const variables = z
  .record(
    z.string().regex(/^([A-Za-z0-9_]{1,64}|header|button\.\d)$/, "must be a body variable name, header or button.N"),
    variableSourceSchema,
  )
  .describe('template place → source, e.g. {"1": {"from": "field", "field": "name", "fallback": "고객"}}');

const schedule = z.strictObject({
  kind: z.enum(["now", "at", "best_hour"]),
  at: epochMs.nullable().default(null).describe("for kind=at: when to start"),
});

export const createCampaignBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  senderId: z.string().min(1).max(64),
  templateId: z.string().min(1).max(64),
  segmentId: z.string().min(1).max(64).nullable(),
  variables: variables.default({}),
  schedule: schedule.default({ kind: "now", at: null }),
});

export const patchCampaignBody = createCampaignBody.partial();

const audience = z.object({ total: z.number(), queued: z.number(), skipped: z.record(z.string(), z.number()) });

export const campaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    senderId: z.string(),
    templateId: z.string(),
    segmentId: z.string().nullable(),
    variables: z.record(z.string(), z.unknown()),
    schedule: z.object({ kind: z.enum(["now", "at", "best_hour"]), at: epochMs.nullable() }),
    category: z.string(),
    audience: audience.nullable(),
    estimate: z.unknown(),
    createdBy: z.string().nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
    launchedAt: epochMs.nullable(),
    completedAt: epochMs.nullable(),
    cancelledAt: epochMs.nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: "Campaign" });

export const progressSchema = z
  .object({
    campaignId: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    audience: audience.nullable(),
    counts: z.record(z.string(), z.number()),
    skippedByReason: z
      .record(z.string(), z.number())
      .describe("skipped recipients by reason, including those skipped after launch (cancelled, opted out)"),
    ratePerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: "CampaignProgress" });

export const previewSchema = z.object({ audience, estimate: z.unknown() }).meta({ id: "CampaignPreview" });

export const messageViewSchema = z
  .object({
    id: z.string(),
    contactSeq: z.number().nullable(),
    to: z.string(),
    status: z.string(),
    skipReason: z.string().nullable(),
    errorCode: z.number().nullable(),
    errorMessage: z.string().nullable(),
    attempts: z.number(),
    dueAt: epochMs,
    sentAt: epochMs.nullable(),
    deliveredAt: epochMs.nullable(),
    readAt: epochMs.nullable(),
    failedAt: epochMs.nullable(),
  })
  .meta({ id: "CampaignMessage" });
