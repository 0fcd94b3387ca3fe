// The variable mapping of a campaign on the client: defaults for a template's places, and the values one contact
// would get (the same rules as src/domain/campaign/variables.ts), for the preview bubble.
import type { ContactMetrics, ContactProfile, PreviewValues, TemplateContent, VariableSource } from "../../api/types";
import { placeSample, requiredPlaces } from "../templates/template-content";

/** The metrics a variable may read: `contact_metrics` columns (the API's names) → the profile's field. */
export const METRIC_SOURCES = {
  orders_total: (m: ContactMetrics) => m.ordersTotal,
  orders_365d: (m: ContactMetrics) => m.orders365d,
  orders_90d: (m: ContactMetrics) => m.orders90d,
  orders_30d: (m: ContactMetrics) => m.orders30d,
  total_spent: (m: ContactMetrics) => m.totalSpent,
  spent_365d: (m: ContactMetrics) => m.spent365d,
  avg_order_value: (m: ContactMetrics) => m.avgOrderValue,
  frequency_class: (m: ContactMetrics) => m.frequencyClass,
  heat: (m: ContactMetrics) => m.heat,
  rfm_recency: (m: ContactMetrics) => m.rfm?.recency ?? null,
  rfm_frequency: (m: ContactMetrics) => m.rfm?.frequency ?? null,
  rfm_monetary: (m: ContactMetrics) => m.rfm?.monetary ?? null,
} as const;
export type MetricName = keyof typeof METRIC_SOURCES;
export const METRIC_NAMES = Object.keys(METRIC_SOURCES) as MetricName[];

const NAME_LIKE = /^(name|first_?name|customer_?name|full_?name)$/i;

/**
 * A starting mapping for a template: a named variable that looks like a name (`first_name`) reads the contact's name
 * with the sample as fallback. Every other place starts unmapped: a sample such as "김민수" must never go to every
 * recipient by default, so the marketer chooses each source.
 */
export function defaultMapping(content: TemplateContent): Record<string, VariableSource> {
  const mapping: Record<string, VariableSource> = {};
  for (const place of requiredPlaces(content)) {
    const sample = placeSample(content, place);
    if (NAME_LIKE.test(place))
      mapping[place] = { from: "field", field: "name", ...(sample ? { fallback: sample } : {}) };
  }
  return mapping;
}

/** The mapping for the places a template has: the ones already chosen, and the defaults for the others. */
export function fitMapping(
  content: TemplateContent,
  current: Record<string, VariableSource>,
): Record<string, VariableSource> {
  const defaults = defaultMapping(content);
  const next: Record<string, VariableSource> = {};
  for (const place of requiredPlaces(content)) {
    const chosen = current[place] ?? defaults[place];
    if (chosen) next[place] = chosen;
  }
  return next;
}

/** True when a place's source is complete enough to send (a constant has text, an attribute is chosen). */
export function sourceComplete(source: VariableSource | undefined): boolean {
  if (!source) return false;
  if (source.from === "constant") return source.value.trim() !== "";
  if (source.from === "attribute" || source.from === "metric") return source.name !== "";
  return true;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value).trim();
}

/** The value a source gives for one contact (empty → its fallback), or "" when there is none. */
export function sourceValue(source: VariableSource, profile: ContactProfile | null): string {
  if (source.from === "constant") return source.value;
  if (!profile) return source.fallback ?? "";
  const contact = profile.contact;
  let raw: unknown = null;
  if (source.from === "field") raw = contact[source.field];
  else if (source.from === "attribute") raw = contact.attributes[source.name];
  else if (source.name in METRIC_SOURCES) raw = METRIC_SOURCES[source.name as MetricName](profile.metrics);
  return asText(raw) || (source.fallback ?? "");
}

/** Preview values for one contact (or, without one, constants and fallbacks), and the places left empty. */
export function previewValues(
  mapping: Record<string, VariableSource>,
  profile: ContactProfile | null,
): { values: PreviewValues; missing: string[] } {
  const body: Record<string, string> = {};
  const buttons: Record<string, string> = {};
  const values: PreviewValues = { body, buttons };
  const missing: string[] = [];
  for (const [place, source] of Object.entries(mapping)) {
    const value = sourceValue(source, profile);
    if (value === "") {
      if (profile) missing.push(place);
      continue;
    }
    if (place === "header") values.header = { kind: "text", text: value };
    else if (place.startsWith("button.")) buttons[place.slice(7)] = value;
    else body[place] = value;
  }
  return { values, missing };
}
