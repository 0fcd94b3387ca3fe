/**
 * The zod schema an API uses to read a template from JSON. It checks shape and guards sizes (so a 10 MB body is
 * refused before any rule runs); Meta's own rules, with their paths and rule names, are `validateTemplate`'s job,
 * so the API can report all of them at once instead of stopping at the first shape error.
 */
import { z } from "zod";
import type { FieldIssue } from "../errors.js";
import { MEDIA_HEADER_FORMATS, PARAMETER_FORMATS, TEMPLATE_CATEGORIES, type Template } from "./model.js";

// Generous ceilings, well above Meta's limits, only to bound the work and the storage of a bad request.
const text = (max: number) => z.string().max(max);

const headerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("TEXT"), text: text(1000), example: text(1000).optional() }),
  z.object({ kind: z.enum(MEDIA_HEADER_FORMATS), example: text(4000).optional() }),
  z.object({ kind: z.literal("LOCATION") }),
]);

const buttonSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("QUICK_REPLY"), text: text(200) }),
  z.object({ kind: z.literal("URL"), text: text(200), url: text(4000), example: text(2000).optional() }),
  z.object({ kind: z.literal("PHONE_NUMBER"), text: text(200), phoneNumber: text(50) }),
  z.object({ kind: z.literal("COPY_CODE"), example: text(200) }),
  z.object({
    kind: z.literal("OTP"),
    otpType: z.enum(["COPY_CODE", "ONE_TAP", "ZERO_TAP"]),
    text: text(200).optional(),
  }),
]);

export const templateSchema = z.object({
  name: text(1000),
  language: text(20),
  category: z.enum(TEMPLATE_CATEGORIES),
  parameterFormat: z.enum(PARAMETER_FORMATS).default("POSITIONAL"),
  header: headerSchema.nullable().default(null),
  body: text(10_000),
  examples: z.record(text(100), text(2000)).default({}),
  footer: text(1000).nullable().default(null),
  buttons: z.array(buttonSchema).max(50).default([]),
});

export type TemplateInput = z.input<typeof templateSchema>;

export type ParseTemplateResult = { ok: true; template: Template } | { ok: false; issues: FieldIssue[] };

/** Read a template from untrusted JSON; shape problems come back as field issues with dotted paths. */
export function parseTemplate(input: unknown): ParseTemplateResult {
  const result = templateSchema.safeParse(input);
  if (result.success) return { ok: true, template: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: dottedPath(issue.path), message: issue.message })),
  };
}

/** `["buttons", 2, "text"]` → `buttons[2].text`, the path style every Herald error uses. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index > 0 ? "." : ""}${String(key)}`))
    .join("");
}
