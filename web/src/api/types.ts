// Shapes of the server's JSON, as documented in the API contract (times are UTC epoch milliseconds).

export const ROLES = ["admin", "marketer", "agent"] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user, as returned by login and `/auth/me`. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export interface User {
  id: string;
  email: string;
  /** Empty when none was given. */
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdBy: string | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full secret; the server returns it only in this response. */
  key: string;
}

export interface Health {
  status: string;
  db: string;
}

export const SENDER_PROVIDERS = ["cloud", "sandbox"] as const;
/** `cloud`: Meta's WhatsApp Cloud API; `sandbox`: Herald's built-in Cloud API emulator. */
export type SenderProvider = (typeof SENDER_PROVIDERS)[number];

export const QUALITY_RATINGS = ["GREEN", "YELLOW", "RED", "UNKNOWN"] as const;
export type QualityRating = (typeof QUALITY_RATINGS)[number];

/** Meta's messaging tiers: unique customers a business may start conversations with per moving 24 hours. */
export const MESSAGING_TIERS = [
  "TIER_50",
  "TIER_250",
  "TIER_1K",
  "TIER_2K",
  "TIER_10K",
  "TIER_100K",
  "TIER_UNLIMITED",
] as const;
export type MessagingTier = (typeof MESSAGING_TIERS)[number];

/** A sender number. Its access token, app secret and verify token are write-only: the API never returns them. */
export interface Sender {
  id: string;
  name: string;
  provider: SenderProvider;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  /** Graph API origin override; null means the provider's default. */
  apiOrigin: string | null;
  apiVersion: string;
  /** Messages per second this number may send. */
  mpsLimit: number;
  /** Usually one of MESSAGING_TIERS, but whatever the provider last reported. */
  messagingTier: string;
  qualityRating: QualityRating;
  disabled: boolean;
  lastCheckedAt: number | null;
  lastCheckError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The result of "test connection": the number's profile as the provider reports it, or the provider's error. */
export interface SenderConnectionTest {
  ok: boolean;
  sender: Sender;
  phoneNumber?: {
    id: string;
    displayPhoneNumber: string;
    verifiedName?: string;
    qualityRating?: string;
    messagingLimit?: string;
    throughputLevel?: string;
  };
  /** Meta's error code (0 when the provider was not reached), its message, and what it means. */
  error?: { code: number; message: string; meaning: string };
}

// ---- Customers (docs/api-customers.md) ----

/** A page of a cursor-paged list: pass `nextCursor` back as `?cursor=`; null means the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const CONSENT_STATES = ["opted_in", "opted_out", "unknown"] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export const OPT_IN_SOURCES = ["keyword", "button", "form", "whatsapp", "import", "api", "manual"] as const;
export type OptInSource = (typeof OPT_IN_SOURCES)[number];
export const OPT_OUT_REASONS = ["keyword", "button", "whatsapp", "complaint", "import", "api", "manual"] as const;
export type OptOutReason = (typeof OPT_OUT_REASONS)[number];

export interface Consent {
  state: ConsentState;
  /** opted_in only; one of OPT_IN_SOURCES as far as this build knows. */
  source: string | null;
  /** opted_out only; one of OPT_OUT_REASONS as far as this build knows. */
  reason: string | null;
  /** opted_out only, free text. */
  note: string | null;
  /** When the state was entered; null for unknown. */
  at: number | null;
}

export type AttributeValue = string | number | boolean;

export interface Contact {
  id: string;
  /** E.164, e.g. +821012345678. */
  phone: string;
  /** Empty when unknown. */
  name: string;
  language: string | null;
  country: string | null;
  timeZone: string | null;
  attributes: Record<string, AttributeValue>;
  consent: Consent;
  createdAt: number;
  updatedAt: number;
}

export const FREQUENCY_CLASSES = ["weekly", "monthly", "quarterly", "occasional", "none"] as const;
export type FrequencyClass = (typeof FREQUENCY_CLASSES)[number];
export const HEAT_LEVELS = ["active", "quiet", "silent", "inactive"] as const;
export type HeatLevel = (typeof HEAT_LEVELS)[number];

/** Derived per contact by the server; money in the base currency's minor units. */
export interface ContactMetrics {
  orders30d: number;
  orders90d: number;
  orders365d: number;
  ordersTotal: number;
  totalSpent: number;
  spent365d: number;
  /** Null when there are no paid orders. */
  avgOrderValue: number | null;
  currency: string;
  foreignCurrencyOrders: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  frequencyClass: FrequencyClass;
  heat: HeatLevel;
  lastInboundAt: number | null;
  lastReadAt: number | null;
  /** 0–1, null when nothing was sent yet. */
  readRate: number | null;
  /** Quintile scores 1–5; null for contacts who never bought. */
  rfm: { recency: number; frequency: number; monetary: number } | null;
  computedAt: number;
}

export const ORDER_STATUSES = ["paid", "refunded", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Order {
  id: string;
  externalId: string;
  contactId: string;
  amount: number;
  currency: string;
  placedAt: number;
  status: OrderStatus;
  items: unknown[] | null;
  source: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ContactTag {
  tag: string;
  source: "manual" | "rule" | (string & {});
  ruleId: string | null;
  note: string | null;
  addedAt: number;
  /** Why the contact has the tag: the manual note or the rule's explanation. */
  explanation: string;
}

/** The contact page in one call. */
export interface ContactProfile {
  contact: Contact;
  metrics: ContactMetrics;
  tags: ContactTag[];
  recentOrders: Order[];
  frequency: { medianGapDays: number | null; effectiveGapDays: number | null } | null;
}

export const ATTRIBUTE_TYPES = ["text", "number", "boolean", "date"] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  label: string;
  createdAt: number;
  updatedAt: number;
}

export interface TagSummary {
  tag: string;
  contacts: number;
  ruleId: string | null;
}

export interface MetricsStatus {
  baseCurrency: string;
  lastRefreshAt: number | null;
  lastRefreshMs: number | null;
  refreshing: boolean;
  refreshEveryMs: number;
}

// ---- Segments ----

export type SegmentOperator =
  | "eq"
  | "neq"
  | "in"
  | "not_in"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "between"
  | "contains"
  | "starts_with"
  | "is_set"
  | "is_not_set"
  | "before"
  | "after"
  | "within_last_days"
  | "older_than_days"
  | "has"
  | "has_not"
  | "has_any"
  | "has_all";

export type Scalar = string | number | boolean;

export interface SegmentCondition {
  kind: "condition";
  field: string;
  op: SegmentOperator;
  value?: Scalar | Scalar[];
}

export type SegmentNode =
  | { kind: "and"; children: SegmentNode[] }
  | { kind: "or"; children: SegmentNode[] }
  | { kind: "not"; child: SegmentNode }
  | SegmentCondition;

export type SegmentFieldType = "text" | "number" | "boolean" | "date" | "enum" | "country" | "tag" | "campaign";

/** One field a segment may test, from GET /segments/fields (the server's whitelist plus the attributes). */
export interface SegmentField {
  id: string;
  group: "contact" | "consent" | "tags" | "attributes" | "metrics" | "campaign" | (string & {});
  type: SegmentFieldType;
  label: string;
  operators: SegmentOperator[];
  values: string[] | null;
  unit: "count" | "minor_units" | "ratio" | "score" | null;
  /** False for fields the server lists but cannot evaluate yet (campaign conditions). */
  available: boolean;
}

export interface Segment {
  id: string;
  name: string;
  /** Empty when none was given. */
  description: string;
  rules: SegmentNode;
  excludeInactive: boolean;
  excludeOptedOut: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface SegmentPreview {
  count: number;
  sample: Contact[];
  excluded: { inactive: number; optedOut: number };
  tookMs: number;
}

// ---- CSV import ----

export type ImportKind = "contacts" | "orders";
export type ImportState = "uploaded" | "running" | "succeeded" | "failed";

export interface ImportJob {
  id: string;
  kind: ImportKind;
  state: ImportState;
  dryRun: boolean;
  atomic: boolean;
  fileName: string | null;
  bytes: number;
  /** The file's column names. */
  header: string[];
  progress: { bytesRead: number; rowsRead: number; imported: number; rejected: number };
  result: { created: number; updated: number } | null;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The answer to an upload: the job, a sample of the file, and the suggested column → target mapping. */
export interface UploadedImport extends ImportJob {
  sampleRows: string[][];
  suggestedMapping: Record<string, string | null>;
  targets: string[];
  problems: string[];
}

export interface ImportRowError {
  line: number;
  column: string | null;
  message: string;
}

// ---- Templates (docs/templates.md) ----

export const TEMPLATE_CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];
export type ParameterFormat = "POSITIONAL" | "NAMED";
export const MEDIA_HEADER_KINDS = ["IMAGE", "VIDEO", "DOCUMENT"] as const;
export type MediaHeaderKind = (typeof MEDIA_HEADER_KINDS)[number];

export type TemplateHeader =
  | { kind: "TEXT"; text: string; example?: string }
  | { kind: MediaHeaderKind; example?: string }
  | { kind: "LOCATION" };

export type OtpType = "COPY_CODE" | "ONE_TAP" | "ZERO_TAP";

export type TemplateButton =
  | { kind: "QUICK_REPLY"; text: string }
  | { kind: "URL"; text: string; url: string; example?: string }
  | { kind: "PHONE_NUMBER"; text: string; phoneNumber: string }
  | { kind: "COPY_CODE"; example: string }
  | { kind: "OTP"; otpType: OtpType; text?: string };

/** A template's content as authored (Herald's model of Meta's components). */
export interface TemplateContent {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  header: TemplateHeader | null;
  body: string;
  /** Sample value per body variable name ("1", "first_name"). */
  examples: Record<string, string>;
  footer: string | null;
  buttons: TemplateButton[];
}

export type TemplateStatus =
  | "DRAFT"
  | "PENDING"
  | "APPROVED"
  | "REJECTED"
  | "PAUSED"
  | "DISABLED"
  | "IN_APPEAL"
  | "PENDING_DELETION"
  | "DELETED"
  | "FLAGGED"
  | "LIMIT_EXCEEDED"
  | "ARCHIVED"
  | "LOCKED";

/** A Meta rule the template breaks (`rule` = "shape" for malformed input). */
export interface TemplateIssue {
  path: string;
  rule: string;
  message: string;
}

/** An approval risk or advice from the lint; it never blocks submission. */
export interface LintFinding {
  code: string;
  severity: "warning" | "info";
  path: string;
  message: string;
  explanation: string;
}

export interface TemplateCheck {
  valid: boolean;
  issues: TemplateIssue[];
  warnings: LintFinding[];
}

export interface StoredTemplate {
  id: string;
  wabaId: string | null;
  senderId: string | null;
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  template: TemplateContent;
  status: TemplateStatus;
  rejectedReason: string | null;
  quality: QualityRating;
  providerTemplateId: string | null;
  lint: LintFinding[];
  submittedAt: number | null;
  statusChangedAt: number;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface TemplateHistoryEntry {
  id: string;
  at: number;
  source: "create" | "submit" | "webhook" | "sync" | "delete";
  event: string;
  status: TemplateStatus;
  previousStatus: TemplateStatus | null;
  reason: string | null;
  quality: QualityRating | null;
  category: string | null;
}

export interface TemplateDetail extends StoredTemplate {
  history: TemplateHistoryEntry[];
  variants: { id: string; language: string; status: TemplateStatus }[];
}

export type BubbleHeader =
  | { kind: "TEXT"; text: string }
  | { kind: MediaHeaderKind; media: { id: string } | { link: string }; filename?: string }
  | { kind: "LOCATION"; latitude: number; longitude: number; name?: string; address?: string };

export type BubbleButton =
  | { kind: "QUICK_REPLY"; text: string; payload?: string }
  | { kind: "URL"; text: string; url: string }
  | { kind: "PHONE_NUMBER"; text: string; phoneNumber: string }
  | { kind: "COPY_CODE"; text: string; code: string }
  | { kind: "OTP"; text: string; code: string };

/** The message as the recipient sees it. */
export interface Bubble {
  header: BubbleHeader | null;
  body: string;
  footer: string | null;
  buttons: BubbleButton[];
}

/** Values for one recipient; what is missing is taken from the template's samples. */
export interface PreviewValues {
  header?: { kind: "text"; text: string };
  body?: Record<string, string>;
  buttons?: Record<string, string>;
}

export interface TemplatePreview {
  ok: boolean;
  values: unknown;
  bubble?: Bubble;
  components?: unknown[];
  /** Values WhatsApp would refuse, with the Meta error code each stands for. */
  issues?: { path: string; code: string; metaCode: number; message: string }[];
}

export interface TemplateSyncReport {
  wabaId: string;
  senderId: string;
  listed: number;
  imported: number;
  updated: number;
  deleted: number;
  skipped: { name: string; language: string; reason: string }[];
  error: { code: string; message: string; details: unknown } | null;
}

// ---- Campaigns (docs/campaigns.md) ----

export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "launching",
  "running",
  "paused",
  "completed",
  "cancelled",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const MESSAGE_STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "failed",
  "skipped",
  "unknown",
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The compliance gates in the order the launcher applies them (src/domain/campaign/gates.ts). */
export const SKIP_REASONS = [
  "invalid_number",
  "opted_out",
  "not_opted_in",
  "inactive_90d",
  "frequency_cap",
  "missing_variable",
  "invalid_variable",
  "cancelled",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const CONTACT_FIELDS = ["name", "phone", "country", "language"] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Where a template place takes its value for each recipient. */
export type VariableSource =
  | { from: "field"; field: ContactField; fallback?: string }
  | { from: "attribute"; name: string; fallback?: string }
  | { from: "metric"; name: string; fallback?: string }
  | { from: "constant"; value: string };

export type CampaignSchedule = { kind: "now" | "at" | "best_hour"; at: number | null };

/** Local hours 0–23 in each recipient's zone: quiet from startHour up to endHour (wrapping past midnight). */
export interface QuietHours {
  startHour: number;
  endHour: number;
}

/** Korea's rule for advertising: 21:00–08:00. */
export const DEFAULT_QUIET_HOURS: QuietHours = { startHour: 21, endHour: 8 };

/** One provider plan's month with this campaign's sends (amounts in micro-dollars, like the estimate). */
export interface ProviderPlanCost {
  planId: string;
  name: string;
  monthlyFeeMicroUsd: number;
  perMessageMicroUsd: number;
  freeMessagesPerMonth: number;
  providerMicroUsd: number;
  totalMicroUsd: number;
}

export interface ProviderComparison {
  messagesPerMonth: number;
  currency: "USD";
  /** Cheapest first. */
  plans: ProviderPlanCost[];
}

export interface CampaignAudience {
  total: number;
  queued: number;
  skipped: Record<string, number>;
}

export interface CampaignEstimate {
  category: TemplateCategory;
  at: number;
  recipients: number;
  totalMicroUsd: number;
  byMarket: { market: string; count: number; unitMicroUsd: number | null; subtotalMicroUsd: number }[];
  unpricedRecipients: number;
  card: string | null;
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  senderId: string;
  templateId: string;
  segmentId: string | null;
  variables: Record<string, VariableSource>;
  schedule: CampaignSchedule;
  quietHours: QuietHours | null;
  category: string;
  audience: CampaignAudience | null;
  estimate: CampaignEstimate | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  launchedAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
  lastError: string | null;
}

export interface CampaignInput {
  name: string;
  senderId: string;
  templateId: string;
  segmentId: string | null;
  variables: Record<string, VariableSource>;
  schedule: CampaignSchedule;
  quietHours: QuietHours | null;
}

export interface CampaignPreview {
  audience: CampaignAudience;
  estimate: CampaignEstimate;
  providers: ProviderComparison;
}

export interface CampaignProgress {
  campaignId: string;
  status: CampaignStatus;
  audience: CampaignAudience | null;
  counts: Record<MessageStatus, number>;
  /** Skipped recipients by reason, including those skipped after launch (cancelled, opted out mid-campaign). */
  skippedByReason: Record<string, number>;
  ratePerSecond: number;
  /** At least until the last waiting recipient is due. */
  etaSeconds: number | null;
  /** Queued recipients not due yet (quiet hours, their best hour, the tier's next window). */
  waiting: number;
  nextDueAt: number | null;
  lastError: string | null;
}

export interface CampaignMessage {
  id: string;
  contactSeq: number | null;
  to: string;
  status: MessageStatus;
  skipReason: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  attempts: number;
  dueAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
}
