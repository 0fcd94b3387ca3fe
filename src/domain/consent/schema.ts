/**
 * zod schemas for consent data, so the API can validate it and the store can read it back from JSON.
 */
import { z } from "zod";
import type { ConsentEvent, ConsentState } from "./state.js";

const epochMs = z.number().int().nonnegative();

const sourceSchema = z.enum(["keyword", "button", "form", "whatsapp", "import", "api", "manual"]);
const reasonSchema = z.enum(["keyword", "button", "whatsapp", "complaint", "import", "api", "manual"]);

export const consentStateSchema: z.ZodType<ConsentState> = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("unknown") }),
  z.strictObject({ kind: z.literal("opted_in"), source: sourceSchema, at: epochMs }),
  z.strictObject({
    kind: z.literal("opted_out"),
    reason: reasonSchema,
    at: epochMs,
    note: z.string().max(500).optional(),
  }),
]);

export const consentEventSchema: z.ZodType<ConsentEvent> = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("opt_in"), source: sourceSchema, at: epochMs }),
  z.strictObject({
    kind: z.literal("opt_out"),
    reason: reasonSchema,
    at: epochMs,
    note: z.string().max(500).optional(),
  }),
]);

/** A cap of 0 would block every marketing message; a window beyond 90 days is surely a unit mistake. */
export const frequencyCapPolicySchema = z.strictObject({
  max: z.number().int().min(1).max(100),
  windowMs: z
    .number()
    .int()
    .min(60_000)
    .max(90 * 86_400_000),
});

export const quietHoursPolicySchema = z.strictObject({
  startHour: z.number().int().min(0).max(23),
  endHour: z.number().int().min(0).max(23),
});

export const consentPolicySchema = z.strictObject({
  marketingToUnknown: z.boolean(),
  utilityToOptedOut: z.boolean(),
});
