/**
 * zod schemas of the rule model: the API validates requests with them (every issue names its field) and the store
 * reads stored JSON back through them. Limits are Meta's where they exist (text 4,096 characters, 1–3 reply buttons
 * with titles of at most 20 characters and ids of at most 256) and guard against runaway input elsewhere.
 */
import { z } from "zod";
import { isValidTimeZone } from "../consent/local-time.js";
import type { Action, Condition, GuardPolicy, Trigger } from "./model.js";
import { matchText } from "./text.js";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM (00:00–23:59)");
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => isValidTimeZone(tz), "an IANA time zone such as Asia/Seoul");
const weekdays = z
  .array(z.number().int().min(1).max(7))
  .min(1)
  .max(7)
  .refine((d) => new Set(d).size === d.length, "weekdays must not repeat");
// Same as the contacts' tag rule (store/contacts-input.ts TAG_PATTERN); domain cannot import the store.
const tag = z
  .string()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,49}$/u, "a tag: letters, digits, space _ . : - (≤ 50 characters)");
const keyword = z
  .string()
  .min(1)
  .max(100)
  .refine((k) => matchText(k) !== "", "a keyword needs a letter or a digit");

export const triggerSchema: z.ZodType<Trigger> = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("keyword"),
    mode: z.enum(["exact", "contains", "any_of"]),
    keywords: z.array(keyword).min(1).max(50),
  }),
  z.strictObject({
    kind: z.literal("regex"),
    pattern: z
      .string()
      .min(1)
      .max(200)
      .refine((p) => {
        try {
          new RegExp(p, "iu");
          return true;
        } catch {
          return false;
        }
      }, "not a valid regular expression"),
  }),
  z.strictObject({ kind: z.literal("button"), payloads: z.array(z.string().trim().min(1).max(256)).min(1).max(20) }),
  z.strictObject({ kind: z.literal("first_message") }),
  z.strictObject({
    kind: z.literal("outside_hours"),
    hours: z.strictObject({ timeZone, days: weekdays, open: hhmm, close: hhmm }),
  }),
]);

export const conditionSchema: z.ZodType<Condition> = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("tag"), op: z.enum(["has", "lacks"]), tag }),
  z.strictObject({ kind: z.literal("segment"), op: z.enum(["in", "not_in"]), segmentId: z.string().min(1).max(64) }),
  z.strictObject({
    kind: z.literal("consent"),
    states: z
      .array(z.enum(["unknown", "opted_in", "opted_out"]))
      .min(1)
      .max(3),
  }),
  z.strictObject({
    kind: z.literal("time_of_day"),
    timeZone,
    from: hhmm,
    to: hhmm,
    days: weekdays.optional(),
  }),
]);

const replyContentSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("text"), body: z.string().trim().min(1).max(4096) }),
  z.strictObject({
    kind: z.literal("media"),
    mediaType: z.enum(["image", "video", "document"]),
    link: z.url({ protocol: /^https?$/ }).max(2000),
    caption: z.string().max(1024).optional(),
  }),
  z.strictObject({
    kind: z.literal("buttons"),
    body: z.string().trim().min(1).max(1024),
    buttons: z
      .array(z.strictObject({ id: z.string().trim().min(1).max(256), title: z.string().trim().min(1).max(20) }))
      .min(1)
      .max(3)
      .refine((b) => new Set(b.map((x) => x.id)).size === b.length, "button ids must differ"),
  }),
]);

const templateFallbackSchema = z.strictObject({
  templateId: z.string().min(1).max(64),
  variables: z.record(z.string().max(20), z.string().min(1).max(1024)).default({}),
});

const confirmation = z.string().trim().min(1).max(4096).nullable().default(null);

export const actionSchema: z.ZodType<Action, unknown> = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("reply"),
    content: replyContentSchema,
    template: templateFallbackSchema.nullable().default(null),
  }),
  z.strictObject({ kind: z.literal("add_tag"), tag }),
  z.strictObject({ kind: z.literal("remove_tag"), tag }),
  z.strictObject({ kind: z.literal("opt_out"), confirmation }),
  z.strictObject({ kind: z.literal("opt_in"), confirmation }),
  z.strictObject({ kind: z.literal("handover"), note: z.string().trim().max(500).nullable().default(null) }),
]);

/** True for an action that sends a message. */
export function sendsMessage(action: Action): boolean {
  return (
    action.kind === "reply" || ((action.kind === "opt_out" || action.kind === "opt_in") && action.confirmation !== null)
  );
}

/** At most one message per inbound message (the reply is unique per inbound message: see store/automation-runs.ts). */
export const actionsSchema = z
  .array(actionSchema)
  .min(1)
  .max(10)
  .superRefine((actions, ctx) => {
    if (actions.filter(sendsMessage).length > 1)
      ctx.addIssue({ code: "custom", message: "a rule sends at most one message (one reply or one confirmation)" });
    const consent = actions.filter((a) => a.kind === "opt_out" || a.kind === "opt_in");
    if (consent.length > 1) ctx.addIssue({ code: "custom", message: "a rule opts out or in at most once" });
  });

export const ruleInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  trigger: triggerSchema,
  conditions: z.array(conditionSchema).max(10).default([]),
  actions: actionsSchema,
});
export type RuleInput = z.infer<typeof ruleInputSchema>;

export const guardPolicySchema: z.ZodType<GuardPolicy> = z.strictObject({
  maxRepliesPerHour: z.number().int().min(1).max(1000),
  loopMaxReplies: z.number().int().min(1).max(100),
  loopWindowMinutes: z.number().int().min(1).max(1440),
});
