import type { z } from "zod";
import type { FieldIssue } from "../../domain/errors.js";
import type { Validated } from "../../store/contacts-input.js";

/** Shape-checks one bulk item with its zod schema; issue paths are prefixed with the item's place (`contacts[3]`). */
export function shapeCheck<T>(schema: z.ZodType<T>, raw: unknown, prefix: string): Validated<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => {
    const tail = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
    return { path: `${prefix}${tail}`.replace(/^\./, "") || "body", message: issue.message };
  });
  return { ok: false, issues };
}
