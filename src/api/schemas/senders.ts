import { z } from "zod";
import { DEFAULT_MPS, MESSAGING_TIERS } from "../../domain/sender/tiers.js";
import { epochMs } from "./common.js";

const digits = (what: string) => z.string().regex(/^\d{1,32}$/, `must be the ${what} (digits only)`);
const origin = z
  .url("must be a URL")
  .refine((v) => /^https?:\/\/[^/]+\/?$/.test(v), "must be an origin only (scheme, host, port; no path)")
  .transform((v) => v.replace(/\/$/, ""));
const secret = (min: number, max: number) => z.string().min(min, `must be at least ${min} characters`).max(max);
const quality = z.enum(["GREEN", "YELLOW", "RED", "UNKNOWN"]);

export const senderSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: z.enum(["cloud", "sandbox"]),
    phoneNumberId: z.string(),
    wabaId: z.string(),
    displayPhoneNumber: z.string(),
    apiOrigin: z.string().nullable().describe("Graph API origin override; null = the default for the provider"),
    apiVersion: z.string(),
    mpsLimit: z.number().int().describe("messages per second this number may send"),
    messagingTier: z.string(),
    qualityRating: quality,
    disabled: z.boolean(),
    lastCheckedAt: epochMs.nullable(),
    lastCheckError: z.string().nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({
    id: "Sender",
    description: "A sender number. Its access token, app secret and verify token are never returned.",
  });

export const createSenderBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  provider: z.enum(["cloud", "sandbox"]),
  phoneNumberId: digits("phone number id"),
  wabaId: digits("WhatsApp Business Account id"),
  displayPhoneNumber: z
    .string()
    .regex(/^\+?[\d ()-]{4,24}$/, "must be a phone number")
    .optional(),
  apiOrigin: origin.nullable().optional(),
  apiVersion: z
    .string()
    .regex(/^v\d{1,3}\.\d$/, "must look like v23.0")
    .optional(),
  accessToken: secret(8, 4096),
  appSecret: secret(8, 256),
  verifyToken: secret(8, 256),
  mpsLimit: z.number().int().min(1).max(1000).default(DEFAULT_MPS),
  messagingTier: z.enum(MESSAGING_TIERS).default("TIER_250"),
});

export const patchSenderBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    wabaId: digits("WhatsApp Business Account id").optional(),
    displayPhoneNumber: z
      .string()
      .regex(/^\+?[\d ()-]{4,24}$/, "must be a phone number")
      .optional(),
    apiOrigin: origin.nullable().optional(),
    apiVersion: z
      .string()
      .regex(/^v\d{1,3}\.\d$/, "must look like v23.0")
      .optional(),
    accessToken: secret(8, 4096).optional(),
    appSecret: secret(8, 256).optional(),
    verifyToken: secret(8, 256).optional(),
    mpsLimit: z.number().int().min(1).max(1000).optional(),
    messagingTier: z.enum(MESSAGING_TIERS).optional(),
    qualityRating: quality.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "give at least one field to change");

export const connectionTestSchema = z
  .object({
    ok: z.boolean(),
    sender: senderSchema,
    phoneNumber: z
      .object({
        id: z.string(),
        displayPhoneNumber: z.string(),
        verifiedName: z.string().optional(),
        qualityRating: z.string().optional(),
        messagingLimit: z.string().optional(),
        throughputLevel: z.string().optional(),
      })
      .optional(),
    error: z.object({ code: z.number(), message: z.string(), meaning: z.string() }).optional(),
  })
  .meta({ id: "SenderConnectionTest" });
