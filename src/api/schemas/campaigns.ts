import { z } from "zod";
import { DEFAULT_QUIET_HOURS } from "../../domain/campaign/quiet-hours.js";
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

const hour = z.number().int().min(0).max(23);
export const quietHoursSchema = z
  .strictObject({
    startHour: hour.default(DEFAULT_QUIET_HOURS.startHour).describe("local hour (0–23) the quiet period starts"),
    endHour: hour
      .default(DEFAULT_QUIET_HOURS.endHour)
      .describe("local hour (0–23) it ends; before start wraps past midnight"),
  })
  .refine((q) => q.startHour !== q.endHour, {
    path: ["endHour"],
    message: "must differ from startHour (send null for no quiet hours)",
  })
  .describe(
    "no message goes to a recipient during these local hours in their time zone; they wait for the end. " +
      "{} = 21–8 (Korea's rule for advertising); null = none",
  );

const campaignFields = {
  name: z.string().trim().min(1).max(200),
  senderId: z.string().min(1).max(64),
  templateId: z.string().min(1).max(64),
  segmentId: z.string().min(1).max(64).nullable(),
  variables,
  schedule,
  quietHours: quietHoursSchema.nullable(),
};

export const createCampaignBody = z.strictObject({
  ...campaignFields,
  variables: variables.default({}),
  schedule: schedule.default({ kind: "now", at: null }),
  quietHours: campaignFields.quietHours.default(null),
});

/** Only the fields sent change (no defaults here: a PATCH of the name alone must not reset the schedule). */
export const patchCampaignBody = z.strictObject(campaignFields).partial();

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
    quietHours: z.object({ startHour: z.number(), endHour: z.number() }).nullable(),
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
    etaSeconds: z
      .number()
      .nullable()
      .describe("at least until the last waiting recipient is due (quiet hours, best hour, tier); null: unknown"),
    waiting: z.number().describe("queued recipients not due yet (waiting for quiet hours to end, their hour, …)"),
    nextDueAt: epochMs.nullable().describe("when the next waiting recipient is due"),
    lastError: z.string().nullable(),
  })
  .meta({ id: "CampaignProgress" });

const providerCost = z.object({
  planId: z.string(),
  name: z.string(),
  monthlyFeeMicroUsd: z.number().int(),
  perMessageMicroUsd: z.number().int(),
  freeMessagesPerMonth: z.number().int(),
  providerMicroUsd: z.number().int().describe("the provider's own charges for these messages in one month"),
  totalMicroUsd: z.number().int().describe("provider charges + Meta's price"),
});

export const previewSchema = z
  .object({
    audience,
    estimate: z.unknown(),
    providers: z
      .object({
        messagesPerMonth: z.number().int().describe("this campaign's sends, taken as one month's volume"),
        currency: z.literal("USD"),
        plans: z.array(providerCost).describe("cheapest first; example plans, editable in domain/pricing/providers.ts"),
      })
      .describe("the estimate across providers' plans (amounts in micro-units of the currency: 1 USD = 1,000,000)"),
  })
  .meta({ id: "CampaignPreview" });

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
