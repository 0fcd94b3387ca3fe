/**
 * Segment audiences: count, preview (count, what the default exclusions removed, a sample) and member pages.
 * One pass over `contacts c JOIN contact_metrics m` each; the join is on the integer key (see tables/customers.ts).
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import { effectiveRules, type SegmentDefinition } from "../domain/segment/tree.js";
import { type Contact, toContact } from "./contacts.js";
import { contactRowsPage, type Page } from "./contacts-list.js";
import { dialectOf } from "./dialect.js";
import type { Database } from "./schema.js";
import { compileSegment } from "./segment-sql.js";
import { segmentContext } from "./segments.js";

/** The WHERE of a definition with its exclusions (`effective`) or without them (`rules`). */
export async function segmentWhere(
  db: Kysely<Database>,
  definition: SegmentDefinition,
  now: number,
  options: { withExclusions?: boolean; tags?: "in" | "exists" } = {},
): Promise<RawBuilder<SqlBool>> {
  const context = await segmentContext(db);
  const tree = options.withExclusions === false ? definition.rules : effectiveRules(definition);
  return compileSegment(tree, { context, dialect: dialectOf(db), now, tags: options.tags ?? "in" });
}

/** The count query of a definition (exported for the SQL snapshots in docs/sql/). */
export function countQuery(db: Kysely<Database>, where: RawBuilder<SqlBool>) {
  return db
    .selectFrom("contacts as c")
    .innerJoin("contact_metrics as m", "m.contact_seq", "c.seq")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where(where);
}

/** How many contacts are in the audience (exclusions applied). */
export async function countSegment(db: Kysely<Database>, definition: SegmentDefinition, now: number): Promise<number> {
  const row = await countQuery(db, await segmentWhere(db, definition, now)).executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface SegmentPreview {
  count: number;
  /** Matching contacts each enabled exclusion left out (0 when the switch is off). */
  excluded: { inactive: number; optedOut: number };
  sample: Contact[];
  tookMs: number;
}

/** Count, exclusions and a sample of the newest members, in two statements. */
export async function previewSegment(
  db: Kysely<Database>,
  definition: SegmentDefinition,
  now: number,
  sampleSize: number,
): Promise<SegmentPreview> {
  const started = performance.now();
  const rules = await segmentWhere(db, definition, now, { withExclusions: false });
  const inactive = sql<SqlBool>`(m.heat = 'inactive')`;
  const optedOut = sql<SqlBool>`(c.consent_state = 'opted_out')`;
  const kept = sql<SqlBool>`(${definition.excludeInactive ? sql`not ${inactive}` : sql`1 = 1`} and ${
    definition.excludeOptedOut ? sql`not ${optedOut}` : sql`1 = 1`
  })`;
  const totals = await db
    .selectFrom("contacts as c")
    .innerJoin("contact_metrics as m", "m.contact_seq", "c.seq")
    .select([
      sql<number>`coalesce(sum(case when ${kept} then 1 else 0 end), 0)`.as("kept"),
      sql<number>`coalesce(sum(case when ${inactive} then 1 else 0 end), 0)`.as("inactive"),
      sql<number>`coalesce(sum(case when ${optedOut} then 1 else 0 end), 0)`.as("opted_out"),
    ])
    .where(rules)
    .executeTakeFirstOrThrow();
  const sample =
    sampleSize === 0
      ? []
      : (
          await contactRowsPage(db, await segmentWhere(db, definition, now, { tags: "exists" }), { limit: sampleSize })
        ).rows.map(toContact);
  return {
    count: Number(totals.kept),
    excluded: {
      inactive: definition.excludeInactive ? Number(totals.inactive) : 0,
      optedOut: definition.excludeOptedOut ? Number(totals.opted_out) : 0,
    },
    sample,
    tookMs: Math.round(performance.now() - started),
  };
}

/** A page of the audience, newest first. */
export async function segmentMembers(
  db: Kysely<Database>,
  definition: SegmentDefinition,
  page: { cursor?: string | undefined; limit: number },
  now: number,
): Promise<Page<Contact>> {
  const { rows, nextCursor } = await contactRowsPage(
    db,
    await segmentWhere(db, definition, now, { tags: "exists" }),
    page,
  );
  return { data: rows.map(toContact), nextCursor };
}
