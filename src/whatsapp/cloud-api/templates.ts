// Converts between Meta's template-management JSON and the port's TemplateRecord (reference §5.7).
import type {
  TemplateCategory,
  TemplateComponentDefinition,
  TemplateDefinition,
  TemplateRecord,
  TemplateStatus,
} from "../provider.js";

/** Meta's JSON for one template, as listed by `GET /{waba-id}/message_templates`. */
export interface WireTemplate {
  id?: string;
  name?: string;
  language?: string;
  status?: string;
  category?: string;
  parameter_format?: string;
  components?: unknown[];
  rejected_reason?: string;
  quality_score?: { score?: string };
}

const qualities = new Set(["GREEN", "YELLOW", "RED", "UNKNOWN"]);

/** Reads one listed template; unknown statuses and categories pass through as Meta sent them. */
export function fromWireTemplate(t: WireTemplate): TemplateRecord {
  const record: TemplateRecord = {
    id: String(t.id ?? ""),
    name: t.name ?? "",
    language: t.language ?? "",
    status: (t.status ?? "PENDING") as TemplateStatus,
    category: (t.category ?? "MARKETING") as TemplateCategory,
    parameterFormat: t.parameter_format?.toUpperCase() === "NAMED" ? "NAMED" : "POSITIONAL",
    components: (t.components ?? []) as TemplateComponentDefinition[],
  };
  if (t.rejected_reason !== undefined && t.rejected_reason !== "NONE") record.rejectedReason = t.rejected_reason;
  const score = t.quality_score?.score;
  if (score !== undefined && qualities.has(score)) record.qualityScore = score as TemplateRecord["qualityScore"];
  return record;
}

/** The body of `POST /{waba-id}/message_templates`. */
export function toWireTemplate(definition: TemplateDefinition): Record<string, unknown> {
  return {
    name: definition.name,
    language: definition.language,
    category: definition.category,
    ...(definition.parameterFormat === undefined ? {} : { parameter_format: definition.parameterFormat }),
    components: definition.components,
  };
}
