import { z } from "zod";
import { PASSWORD_MAX, PASSWORD_MIN } from "../auth/password.js";
import { epochMs, roleSchema } from "./common.js";

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    disabled: z.boolean(),
    createdAt: epochMs,
    lastLoginAt: epochMs.nullable(),
  })
  .meta({ id: "User" });

export const emailSchema = z
  .email("must be an email address")
  .max(254)
  .transform((v) => v.toLowerCase());
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);
const nameSchema = z.string().trim().max(200);

export const loginBody = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(PASSWORD_MAX),
});

export const sessionResponse = z
  .object({ user: userSchema, csrfToken: z.string().describe("send as X-CSRF-Token on state-changing requests") })
  .meta({ id: "Session" });

export const meResponse = z
  .object({
    user: userSchema.nullable().describe("null for API keys"),
    apiKey: z.object({ id: z.string(), name: z.string(), role: roleSchema }).nullable(),
    role: roleSchema,
    csrfToken: z.string().nullable(),
  })
  .meta({ id: "Me" });

export const createUserBody = z.strictObject({
  email: emailSchema,
  name: nameSchema.optional(),
  password: passwordSchema,
  role: roleSchema,
});

export const patchUserBody = z
  .strictObject({
    name: nameSchema.optional(),
    role: roleSchema.optional(),
    password: passwordSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "give at least one of name, role, password, disabled");

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    prefix: z.string().describe("the first characters of the key"),
    createdAt: epochMs,
    createdBy: z.string().nullable(),
    lastUsedAt: epochMs.nullable(),
    revokedAt: epochMs.nullable(),
  })
  .meta({ id: "ApiKey" });

export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100),
  role: roleSchema,
});

export const createdApiKeyResponse = z.object({
  apiKey: apiKeySchema,
  key: z.string().describe("the secret; shown only in this response"),
});
