/**
 * Personalisation: where each template variable of a campaign takes its value for one recipient.
 * Keys are the template's places: a body variable name ("1", "first_name"), "header" for a text
 * header's variable, and "button.N" for button N's dynamic part (URL suffix, payload, coupon).
 * A source reads a contact field, a custom attribute or a derived metric, or is a constant; an
 * empty value takes the fallback, and without one the recipient is skipped (`missing_variable`).
 */
import type { RenderValues } from "../template/render.js";

export type VariableSource =
  | { from: "field"; field: "name" | "phone" | "country" | "language"; fallback?: string }
  | { from: "attribute"; name: string; fallback?: string }
  | { from: "metric"; name: string; fallback?: string }
  | { from: "constant"; value: string };

export type VariableMapping = Record<string, VariableSource>;

/** What a recipient offers to the mapping. */
export interface RecipientValues {
  name: string;
  phone: string;
  country: string | null;
  language: string | null;
  attributes: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

export type ResolveResult = { ok: true; values: RenderValues } | { ok: false; missing: string[] };

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value).trim();
}

function sourceValue(source: VariableSource, r: RecipientValues): string {
  switch (source.from) {
    case "constant":
      return source.value;
    case "field":
      return asText(r[source.field]) || (source.fallback ?? "");
    case "attribute":
      return asText(r.attributes[source.name]) || (source.fallback ?? "");
    case "metric":
      return asText(r.metrics[source.name]) || (source.fallback ?? "");
    default: {
      const never: never = source;
      throw new Error(`unknown variable source ${JSON.stringify(never)}`);
    }
  }
}

/** The render values for one recipient, or the places that have no value and no fallback. */
export function resolveVariables(mapping: VariableMapping, recipient: RecipientValues): ResolveResult {
  const body: Record<string, string> = {};
  const buttons: Record<string, string> = {};
  let header: string | undefined;
  const missing: string[] = [];
  for (const [place, source] of Object.entries(mapping)) {
    const value = sourceValue(source, recipient);
    if (value === "") {
      missing.push(place);
      continue;
    }
    if (place === "header") header = value;
    else if (place.startsWith("button.")) buttons[place.slice("button.".length)] = value;
    else body[place] = value;
  }
  if (missing.length > 0) return { ok: false, missing };
  const values: RenderValues = { body, buttons };
  if (header !== undefined) values.header = { kind: "text", text: header };
  return { ok: true, values };
}

/**
 * The places of a template that need a value per recipient: body variables by name, "header" for a
 * text header with a variable, and "button.N" for a URL button whose URL ends in a variable.
 * (Quick-reply payloads and copy-code values are optional per Meta and are not required here.)
 */
export function requiredPlaces(template: {
  body: string;
  header: { kind: string; text?: string } | null;
  buttons: readonly { kind: string; url?: string }[];
}): string[] {
  const names = [...new Set([...template.body.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1] ?? ""))];
  const places = names.filter((n) => n !== "");
  if (template.header?.kind === "TEXT" && /\{\{[^}]+\}\}/.test(template.header.text ?? "")) places.push("header");
  template.buttons.forEach((b, i) => {
    if (b.kind === "URL" && /\{\{[^}]+\}\}\s*$/.test(b.url ?? "")) places.push(`button.${i}`);
  });
  return places;
}
