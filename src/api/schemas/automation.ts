import { z } from "zod";
import {
  actionSchema,
  actionsSchema,
  conditionSchema,
  guardPolicySchema,
  ruleInputSchema,
  triggerSchema,
} from "../../domain/automation/index.js";
import { epochMs } from "./common.js";

/** POST /automation/rules: a rule, optionally at a position (0 = first). */
export const createRuleBody = ruleInputSchema.extend({ position: z.number().int().min(0).optional() });

/** PATCH /automation/rules/:id: only the fields given change (no defaults here, unlike create). */
export const patchRuleBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  enabled: z.boolean().optional(),
  trigger: triggerSchema.optional(),
  conditions: z.array(conditionSchema).max(10).optional(),
  actions: actionsSchema.optional(),
});

export const reorderBody = z.strictObject({
  ids: z.array(z.string().min(1).max(64)).max(1000).describe("every rule's id, in the new evaluation order"),
});

export const ruleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    position: z.number().int(),
    trigger: triggerSchema,
    conditions: z.array(conditionSchema),
    actions: z.array(actionSchema),
    stats: z.object({
      matches: z.number().int().describe("inbound messages this rule answered (it fired first)"),
      replies: z.number().int().describe("replies it queued (guards or a closed window may stop one)"),
      repliesSent: z.number().int().describe("of those, replies the provider accepted"),
      lastMatchedAt: epochMs.nullable(),
    }),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "AutomationRule" });

export const testBody = z
  .strictObject({
    text: z.string().max(4096).optional(),
    payload: z.string().max(256).optional().describe("a quick-reply button payload or interactive reply id"),
    contactId: z.string().max(64).optional().describe("evaluate with this contact's tags, segments and consent"),
    windowClosed: z.boolean().optional().describe("pretend the 24-hour window is closed"),
    firstMessage: z.boolean().optional().describe("pretend this is the contact's first message"),
  })
  .refine((b) => b.text !== undefined || b.payload !== undefined, {
    message: "give a message text or a button payload",
    path: ["text"],
  });

const verdictSchema = z.object({
  ruleId: z.string(),
  name: z.string(),
  outcome: z.enum(["fired", "disabled", "no_match", "condition_failed", "not_reached"]),
  detail: z.string(),
});

export const testResultSchema = z.object({
  verdicts: z.array(verdictSchema),
  plan: z
    .object({
      ruleId: z.string(),
      ruleName: z.string(),
      reply: z.unknown(),
      replySuppressed: z.string().nullable(),
      addTags: z.array(z.string()),
      removeTags: z.array(z.string()),
      consent: z.enum(["opt_out", "opt_in"]).nullable(),
      handover: z.object({ note: z.string().nullable() }).nullable(),
    })
    .nullable(),
  guard: z.object({ allowed: z.boolean(), reason: z.string().optional(), detail: z.string().optional() }),
  wouldSend: z.record(z.string(), z.unknown()).nullable().describe("the message as the provider port would get it"),
  replyProblem: z.string().nullable(),
});

export const settingsSchema = guardPolicySchema;

export const handoverSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  contactName: z.string().nullable(),
  phone: z.string(),
  senderId: z.string().nullable(),
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  note: z.string().nullable(),
  text: z.string().nullable(),
  createdAt: epochMs,
  resolvedAt: epochMs.nullable(),
});
