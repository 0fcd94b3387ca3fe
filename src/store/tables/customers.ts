/**
 * Tables of the customer base (issue 4): contacts, attribute definitions, orders, derived metrics, tags, tag rules,
 * segments, the metrics state row and CSV import jobs. Created by migrations/0003_customers.ts.
 *
 * Contacts have a public UUIDv7 `id` and an integer `seq` used as the join key of every child table: on SQLite it
 * aliases the rowid, which makes a segment count over 1,000,000 contacts ~4× faster than joining on the text id.
 */
import type { ColumnType, Generated } from "kysely";

export type ConsentStateKind = "opted_in" | "opted_out" | "unknown";
export type OrderStatusValue = "paid" | "refunded" | "cancelled";
export type AttributeTypeValue = "text" | "number" | "boolean" | "date";
export type TagSource = "manual" | "rule";
export type ImportKind = "contacts" | "orders";
export type ImportState = "uploaded" | "running" | "succeeded" | "failed";

export interface ContactsTable {
  /** Integer join key (SQLite rowid alias, PostgreSQL identity); never leaves the server. */
  seq: Generated<number>;
  id: string;
  /** E.164, unique. */
  phone: string;
  name: string;
  language: string | null;
  country: string | null;
  time_zone: string | null;
  /** JSON object of typed custom attributes (attribute_definitions names the keys and types). */
  attributes: string;
  consent_state: ConsentStateKind;
  consent_source: string | null;
  consent_reason: string | null;
  consent_note: string | null;
  consent_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AttributeDefinitionsTable {
  name: string;
  type: AttributeTypeValue;
  label: string;
  created_at: number;
  updated_at: number;
}

export interface OrdersTable {
  id: string;
  /** The CRM's id; unique, so an upsert by it is idempotent. */
  external_id: string;
  contact_seq: number;
  /** Integer minor units of `currency`. */
  amount: number;
  currency: string;
  placed_at: number;
  status: OrderStatusValue;
  /** JSON array or null. */
  items: string | null;
  source: string | null;
  created_at: number;
  updated_at: number;
}

/** One row per contact, created with the contact; the columns segments filter on (domain/segment/fields.ts). */
export interface ContactMetricsTable {
  contact_seq: number;
  orders_30d: Generated<number>;
  orders_90d: Generated<number>;
  orders_365d: Generated<number>;
  orders_total: Generated<number>;
  total_spent: Generated<number>;
  spent_365d: Generated<number>;
  avg_order_value: number | null;
  foreign_currency_orders: Generated<number>;
  first_order_at: number | null;
  last_order_at: number | null;
  frequency_class: Generated<string>;
  median_gap_days: number | null;
  effective_gap_days: number | null;
  heat: Generated<string>;
  last_inbound_at: number | null;
  last_read_at: number | null;
  read_rate: number | null;
  rfm_recency: number | null;
  rfm_frequency: number | null;
  rfm_monetary: number | null;
  computed_at: number;
}

export interface TagsTable {
  name: string;
  created_at: number;
}

export interface ContactTagsTable {
  contact_seq: number;
  tag: string;
  source: TagSource;
  /** The tag rule that applied it (source = rule). */
  rule_id: string | null;
  note: string | null;
  added_at: number;
  added_by: string | null;
}

export interface TagRulesTable {
  id: string;
  tag: string;
  /** JSON of the rule without its tag: { kind: "high_frequency" | "top_spenders" | "segment", … }. */
  rule: string;
  enabled: number;
  /** JSON of what the last application measured over the population (top-spender threshold and buyer count). */
  state: string | null;
  contacts: number;
  last_applied_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SegmentsTable {
  id: string;
  name: string;
  description: string;
  /** JSON rule tree (domain/segment/tree.ts). */
  rules: string;
  exclude_inactive: number;
  exclude_opted_out: number;
  created_at: number;
  updated_at: number;
}

/** A single row (id = 1): the base currency, the RFM breakpoints of the last full refresh, and its timing. */
export interface MetricsStateTable {
  id: number;
  base_currency: string;
  /** JSON RfmBreakpoints or null before the first refresh / with no buyers. */
  rfm_breakpoints: string | null;
  last_refresh_at: number | null;
  last_refresh_ms: number | null;
  /** Set while a refresh runs (a lease: a refresh older than the lease is considered dead). */
  refresh_started_at: number | null;
}

export interface ImportsTable {
  id: string;
  kind: ImportKind;
  state: ImportState;
  dry_run: number;
  atomic: number;
  file_name: string | null;
  /** The uploaded file on disk (data dir), deleted when the job finishes. */
  file_path: string;
  bytes: number;
  /** JSON string[] of the header row. */
  header: string;
  /** JSON { mapping, defaultCountry } once started. */
  options: string | null;
  bytes_read: Generated<number>;
  rows_read: Generated<number>;
  imported: Generated<number>;
  rejected: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  error: string | null;
  created_by: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  heartbeat_at: number | null;
}

export interface ImportErrorsTable {
  import_id: string;
  line: number;
  column_name: string | null;
  message: string;
}

/** The customer tables, merged into `Database` (schema.ts). */
export interface CustomerTables {
  contacts: ContactsTable;
  attribute_definitions: AttributeDefinitionsTable;
  orders: OrdersTable;
  contact_metrics: ContactMetricsTable;
  tags: TagsTable;
  contact_tags: ContactTagsTable;
  tag_rules: TagRulesTable;
  segments: SegmentsTable;
  metrics_state: MetricsStateTable;
  imports: ImportsTable;
  import_errors: ImportErrorsTable;
}

/** A read-only column, for views over these tables. */
export type ReadOnly<T> = ColumnType<T, never, never>;
