/**
 * The field whitelist: every field a segment may test, its type, its allowed operators (from the type), and
 * where the store finds it. The store compiles conditions from this table only, so a rule tree can name a field
 * but never write SQL. `storage` is logical: the store maps table and column names to its schema.
 */
import { FREQUENCY_CLASSES, HEAT_LEVELS } from "../metrics/classes.js";
import type { FieldType } from "./operators.js";

export type FieldGroup = "contact" | "consent" | "tags" | "attributes" | "metrics" | "campaign";

/** Where the value lives, for the SQL compiler. */
export type FieldStorage =
  | { kind: "column"; table: "contacts" | "contact_metrics"; column: string }
  | { kind: "tags" } // contact_tags(contact_id, tag): EXISTS / NOT EXISTS
  | { kind: "attribute"; name: string } // the contact's typed custom attributes (JSON or a side table)
  | { kind: "campaign_event"; event: "received" | "read" | "replied" }; // messages of that campaign for the contact

export interface FieldSpec {
  id: string;
  group: FieldGroup;
  type: FieldType;
  label: string;
  storage: FieldStorage;
  /** Allowed values for `enum` fields. */
  values?: readonly string[];
  /** What numbers mean, for the UI and for validation bounds. */
  unit?: "count" | "minor_units" | "ratio" | "score";
}

const column = (table: "contacts" | "contact_metrics", name: string): FieldStorage => ({
  kind: "column",
  table,
  column: name,
});

const FIELD_LIST: readonly FieldSpec[] = [
  { id: "contact.phone", group: "contact", type: "text", label: "Phone (E.164)", storage: column("contacts", "phone") },
  {
    id: "contact.country",
    group: "contact",
    type: "country",
    label: "Country",
    storage: column("contacts", "country"),
  },
  {
    id: "contact.language",
    group: "contact",
    type: "text",
    label: "Language",
    storage: column("contacts", "language"),
  },
  { id: "contact.name", group: "contact", type: "text", label: "Name", storage: column("contacts", "name") },
  {
    id: "contact.time_zone",
    group: "contact",
    type: "text",
    label: "Time zone",
    storage: column("contacts", "time_zone"),
  },
  {
    id: "contact.created_at",
    group: "contact",
    type: "date",
    label: "Added",
    storage: column("contacts", "created_at"),
  },
  {
    id: "consent.state",
    group: "consent",
    type: "enum",
    label: "Consent",
    storage: column("contacts", "consent_state"),
    values: ["opted_in", "opted_out", "unknown"],
  },
  {
    id: "consent.changed_at",
    group: "consent",
    type: "date",
    label: "Consent changed",
    storage: column("contacts", "consent_at"),
  },
  { id: "tags", group: "tags", type: "tag", label: "Tags", storage: { kind: "tags" } },
  ...(
    [
      ["orders_30d", "Paid orders, last 30 days"],
      ["orders_90d", "Paid orders, last 90 days"],
      ["orders_365d", "Paid orders, last 365 days"],
    ] as const
  ).map(([name, label]): FieldSpec => metric(name, "number", label, "count")),
  metric("total_spent", "number", "Total spent (base currency, minor units)", "minor_units"),
  metric("spent_365d", "number", "Spent in the last 365 days (minor units)", "minor_units"),
  metric("avg_order_value", "number", "Average order value (minor units)", "minor_units"),
  metric("first_order_at", "date", "First order"),
  metric("last_order_at", "date", "Last order"),
  { ...metric("frequency_class", "enum", "Purchase frequency"), values: FREQUENCY_CLASSES },
  { ...metric("heat", "enum", "Interaction heat"), values: HEAT_LEVELS },
  metric("last_inbound_at", "date", "Last message from the contact"),
  metric("last_read_at", "date", "Last message read"),
  metric("read_rate", "number", "Read rate (0–1)", "ratio"),
  metric("rfm_recency", "number", "RFM recency score (1–5)", "score"),
  metric("rfm_frequency", "number", "RFM frequency score (1–5)", "score"),
  metric("rfm_monetary", "number", "RFM monetary score (1–5)", "score"),
  campaign("received", "Received campaign"),
  campaign("read", "Read campaign"),
  campaign("replied", "Replied to campaign"),
];

function metric(name: string, type: FieldType, label: string, unit?: FieldSpec["unit"]): FieldSpec {
  const spec: FieldSpec = {
    id: `metrics.${name}`,
    group: "metrics",
    type,
    label,
    storage: column("contact_metrics", name),
  };
  if (unit !== undefined) spec.unit = unit;
  return spec;
}

function campaign(event: "received" | "read" | "replied", label: string): FieldSpec {
  return {
    id: `campaign.${event}`,
    group: "campaign",
    type: "campaign",
    label,
    storage: { kind: "campaign_event", event },
  };
}

/** The fixed fields by id (custom attributes are added per business, see resolveField). */
export const SEGMENT_FIELDS: ReadonlyMap<string, FieldSpec> = new Map(FIELD_LIST.map((spec) => [spec.id, spec]));

/** The types a business may give its custom attributes. */
export const ATTRIBUTE_TYPES = ["text", "number", "boolean", "date"] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** What the validator needs to know about the business: its custom attributes and their types. */
export interface SegmentContext {
  attributes: Readonly<Record<string, AttributeType>>;
}

export const ATTRIBUTE_PREFIX = "attributes.";

/** The spec of a field id, including `attributes.<name>` for the business's declared attributes; null if unknown. */
export function resolveField(id: string, context: SegmentContext): FieldSpec | null {
  const fixed = SEGMENT_FIELDS.get(id);
  if (fixed !== undefined) return fixed;
  if (!id.startsWith(ATTRIBUTE_PREFIX)) return null;
  const name = id.slice(ATTRIBUTE_PREFIX.length);
  if (!Object.hasOwn(context.attributes, name)) return null;
  const type = context.attributes[name];
  if (type === undefined) return null;
  return { id, group: "attributes", type, label: name, storage: { kind: "attribute", name } };
}
