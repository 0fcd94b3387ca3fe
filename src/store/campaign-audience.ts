import type { Kysely, RawBuilder, Selectable, SqlBool } from "kysely";
import type { Database } from "./schema.js";
import type { ContactMetricsTable, ContactsTable } from "./tables/customers.js";

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
> & { metrics: Selectable<ContactMetricsTable> };

/**
 * One page of a segment's contacts in `seq` order after `afterSeq` (keyset pagination: memory stays
 * flat and a resumed launch continues where it stopped), with their metrics for personalisation.
 */
export async function audiencePage(
  db: Kysely<Database>,
  where: RawBuilder<SqlBool>,
  afterSeq: number,
  limit: number,
): Promise<AudienceRow[]> {
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
    ])
    .selectAll("m")
    .where(where)
    .where("c.seq", ">", afterSeq)
    .orderBy("c.seq")
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const {
      seq,
      phone,
      name,
      country,
      language,
      time_zone,
      attributes,
      consent_state,
      consent_source,
      consent_reason,
      consent_note,
      consent_at,
      ...metrics
    } = r;
    return {
      seq,
      phone,
      name,
      country,
      language,
      time_zone,
      attributes,
      consent_state,
      consent_source,
      consent_reason,
      consent_note,
      consent_at,
      metrics: metrics as Selectable<ContactMetricsTable>,
    };
  });
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
