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
