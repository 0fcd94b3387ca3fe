import { type Kysely, type RawBuilder, type Selectable, type SqlBool, sql } from "kysely";
import type { Database } from "./schema.js";
import type { ContactMetricsTable, ContactsTable } from "./tables/customers.js";

/** Every column of `contact_metrics` a campaign variable may read (`{ from: "metric", name }`). */
export const METRIC_COLUMNS = [
  "contact_seq",
  "orders_30d",
  "orders_90d",
  "orders_365d",
  "orders_total",
  "total_spent",
  "spent_365d",
  "avg_order_value",
  "foreign_currency_orders",
  "first_order_at",
  "last_order_at",
  "frequency_class",
  "median_gap_days",
  "effective_gap_days",
  "heat",
  "last_inbound_at",
  "last_read_at",
  "read_rate",
  "rfm_recency",
  "rfm_frequency",
  "rfm_monetary",
  "computed_at",
] as const satisfies readonly (keyof ContactMetricsTable)[];
export type MetricColumn = (typeof METRIC_COLUMNS)[number];

export function isMetricColumn(name: string): name is MetricColumn {
  return (METRIC_COLUMNS as readonly string[]).includes(name);
}

/**
 * What the launcher reads of one contact: the fields the gates and the variables need, the metrics' `heat` and
 * the metric columns the campaign's variables name (as `m_<column>`), nothing else. Read flat, as the driver
 * returns it: copying 34 columns into nested objects cost ~8 µs per contact on a 1,000,000-contact launch.
 */
export type AudienceRow = Pick<
  Selectable<ContactsTable>,
  | "seq"
  | "phone"
  | "name"
  | "country"
  | "language"
  | "time_zone"
  | "attributes"
  | "consent_state"
  | "consent_source"
  | "consent_reason"
  | "consent_note"
  | "consent_at"
> & { heat: string } & Partial<Record<`m_${MetricColumn}`, unknown>>;

/**
 * One page of a segment's contacts in `seq` order after `afterSeq` (keyset pagination: memory stays
 * flat and a resumed launch continues where it stopped), with `heat` and the metric columns `metrics` names.
 */
export async function audiencePage(
  db: Kysely<Database>,
  where: RawBuilder<SqlBool>,
  afterSeq: number,
  limit: number,
  metrics: readonly MetricColumn[] = [],
): Promise<AudienceRow[]> {
  const extra = metrics.map((column) => sql<unknown>`${sql.ref(`m.${column}`)}`.as(`m_${column}`));
  const rows = await db
    .selectFrom("contacts as c")
    .innerJoin("contact_metrics as m", "m.contact_seq", "c.seq")
    .select([
      "c.seq",
      "c.phone",
      "c.name",
      "c.country",
      "c.language",
      "c.time_zone",
      "c.attributes",
      "c.consent_state",
      "c.consent_source",
      "c.consent_reason",
      "c.consent_note",
      "c.consent_at",
      "m.heat",
    ])
    .$if(extra.length > 0, (q) => q.select(extra))
    .where(where)
    .where("c.seq", ">", afterSeq)
    .orderBy("c.seq")
    .limit(limit)
    .execute();
  return rows as AudienceRow[];
}

/** The highest contact seq already written for a campaign (a resumed launch continues after it). */
export async function lastLaunchedSeq(db: Kysely<Database>, campaignId: string): Promise<number> {
  const row = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.max("contact_seq").as("last"))
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}
