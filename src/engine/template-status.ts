/**
 * Reading Meta's words for a template's state (status events, listed statuses, quality scores, categories) into the
 * values Herald stores, and naming a change for the timeline. Unknown words come back undefined, never guessed.
 */
import type { Template } from "../domain/template/model.js";
import {
  type StoredTemplate,
  TEMPLATE_QUALITIES,
  TEMPLATE_STATUSES,
  type TemplateQuality,
  type TemplateStatus,
} from "../store/templates.js";

/** The stored status a Meta status event leads to; REINSTATED means approved again (Meta "Template quality"). */
export function statusOfEvent(event: string): TemplateStatus | undefined {
  const upper = event.toUpperCase();
  if (upper === "REINSTATED" || upper === "UNPAUSED") return "APPROVED";
  return upper === "DRAFT" ? undefined : knownStatus(upper);
}

/** `value` when it is a status Herald stores, else undefined. */
export function knownStatus(value: string | undefined): TemplateStatus | undefined {
  return (TEMPLATE_STATUSES as readonly string[]).includes(value ?? "") ? (value as TemplateStatus) : undefined;
}

export function knownQuality(value: string | undefined): TemplateQuality | undefined {
  return (TEMPLATE_QUALITIES as readonly string[]).includes(value ?? "") ? (value as TemplateQuality) : undefined;
}

/** `value` when it is a category Herald models, else undefined. */
export function knownCategory(value: string | undefined): Template["category"] | undefined {
  return value === "MARKETING" || value === "UTILITY" || value === "AUTHENTICATION" ? value : undefined;
}

/** The timeline's name for a change: the new status, else the quality or category that moved. */
export function changeEvent(
  current: StoredTemplate,
  status: StoredTemplate["status"],
  quality: StoredTemplate["quality"] | undefined,
  category: StoredTemplate["category"] | undefined,
): string {
  if (status !== current.status) return status;
  if (quality !== undefined && quality !== current.quality) return `QUALITY_${quality}`;
  if (category !== undefined && category !== current.category) return `CATEGORY_${category}`;
  return status;
}
