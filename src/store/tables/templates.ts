/**
 * Message templates and their status timeline (migration 0004). A row is one language of one template on one
 * WhatsApp Business Account: Meta keys templates by (WABA, name, language), and so do we.
 */

/** Herald's DRAFT plus every status Meta reports for a template (reference §5.7; REINSTATED is stored as APPROVED). */
export const TEMPLATE_STATUSES = [
  "DRAFT",
  "PENDING",
  "APPROVED",
  "REJECTED",
  "PAUSED",
  "DISABLED",
  "IN_APPEAL",
  "PENDING_DELETION",
  "DELETED",
  "FLAGGED",
  "LIMIT_EXCEEDED",
  "ARCHIVED",
  "LOCKED",
] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

/** Meta's template quality rating; UNKNOWN until enough recipients have seen it. */
export const TEMPLATE_QUALITIES = ["GREEN", "YELLOW", "RED", "UNKNOWN"] as const;
export type TemplateQuality = (typeof TEMPLATE_QUALITIES)[number];

/** Who moved a template's status: the author, a submission, a Meta webhook, a sync from the provider, a deletion. */
export const TEMPLATE_HISTORY_SOURCES = ["create", "submit", "webhook", "sync", "delete"] as const;
export type TemplateHistorySource = (typeof TEMPLATE_HISTORY_SOURCES)[number];

export interface TemplatesTable {
  id: string;
  /** The WABA the template lives on; '' while it is a draft not yet tied to one (see migration 0004). */
  waba_id: string;
  /** The sender last used to reach the provider for this template; null when none or when it was removed. */
  sender_id: string | null;
  name: string;
  language: string;
  /** MARKETING | UTILITY | AUTHENTICATION; Meta may re-categorise an approved template. */
  category: string;
  /** POSITIONAL | NAMED */
  parameter_format: string;
  /** The domain Template (src/domain/template/model.ts) as JSON. */
  definition: string;
  status: TemplateStatus;
  /** Meta's rejection reason (INVALID_FORMAT, INCORRECT_CATEGORY, …) while REJECTED; null otherwise. */
  rejected_reason: string | null;
  quality: TemplateQuality;
  /** Meta's template id (`hsm_id`), set on submission or import. */
  provider_template_id: string | null;
  /** The approval-risk lint findings (domain LintFinding[]) as JSON, computed when the content was saved. */
  lint: string;
  submitted_at: number | null;
  status_changed_at: number;
  /** The user who created it; null for API keys and imports. */
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface TemplateHistoryTable {
  id: string;
  template_id: string;
  at: number;
  source: TemplateHistorySource;
  /** What happened: Meta's webhook event (APPROVED, PAUSED, …) or ours (CREATED, SUBMITTED, IMPORTED, …). */
  event: string;
  /** The status after the change. */
  status: TemplateStatus;
  previous_status: TemplateStatus | null;
  reason: string | null;
  /** Set when the change moved the quality rating. */
  quality: TemplateQuality | null;
  /** Set when the change moved the category. */
  category: string | null;
}

export interface TemplateTables {
  templates: TemplatesTable;
  template_history: TemplateHistoryTable;
}
