import { z } from "zod";
import { ROLES } from "../../domain/auth/roles.js";

/** The error body every failing route returns. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().describe("machine-readable code, e.g. validation_failed"),
      message: z.string(),
      details: z.unknown().describe("for validation_failed: { issues: [{ path, message }] }"),
    }),
  })
  .meta({ id: "Error" });

/** Error responses shared by authenticated routes, for the OpenAPI document. */
export const authErrors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
} as const;

export const roleSchema = z.enum(ROLES).meta({ id: "Role" });
export const epochMs = z.number().int().describe("UTC epoch milliseconds");
export const idParams = z.object({ id: z.string().min(1).max(64) });

/** A list response: `{ data: [...] }`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item) });
}

/** 204 No Content. */
export const noContent = z.null().describe("No content");
