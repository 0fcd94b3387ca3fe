/**
 * Contact lists: filters (text search, phone, consent, country, tag, saved segment), stable cursor paging on the
 * integer key (newest first), and a page iterator for streamed CSV exports. Segment filters compile through
 * segment-sql.ts; every user value is bound.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { effectiveRules, type SegmentDefinition } from "../domain/segment/tree.js";
import { type Contact, type ContactRow, toContact } from "./contacts.js";
import { dialectOf } from "./dialect.js";
import type { Database } from "./schema.js";
import { compileSegment } from "./segment-sql.js";
import { segmentContext } from "./segments.js";
import type { ConsentStateKind } from "./tables/customers.js";

/** A page of a list: the rows and the cursor of the next page (null on the last). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** An opaque cursor for a sort key (a number or an id). */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** The sort key of a cursor; `validation_failed` when it was not made by encodeCursor. */
export function decodeCursor(cursor: string): string | number {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof key === "string" || (typeof key === "number" && Number.isInteger(key))) return key;
  } catch {
    // fall through
  }
  throw new HeraldError("validation_failed", "invalid cursor", {
    issues: [{ path: "cursor", message: "pass back the nextCursor of the previous page unchanged" }],
  });
}

export interface ContactFilter {
  q?: string | undefined;
  phone?: string | undefined;
  consent?: ConsentStateKind | undefined;
  country?: string | undefined;
  tag?: string | undefined;
  /** A segment's definition (its exclusions applied), already validated. */
  segment?: SegmentDefinition | undefined;
}

/** The WHERE of a filter over `contacts c JOIN contact_metrics m`. */
export async function filterExpression(
  db: Kysely<Database>,
  filter: ContactFilter,
  now: number,
): Promise<RawBuilder<SqlBool>> {
  const dialect = dialectOf(db);
  const parts: RawBuilder<SqlBool>[] = [];
  const q = filter.q?.trim();
  if (q) {
    const digits = q.replace(/[\s\-().+]/g, "");
    const pattern = `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const like = sql.raw(dialect.caseInsensitiveLike);
    // A national form ("010-1234-5678") drops its trunk zero in E.164 (+821012345678): match both.
    const national = digits.replace(/^0+/, "");
    parts.push(
      /^\d+$/.test(digits)
        ? sql<SqlBool>`(c.phone like ${`%${digits}%`} or c.phone like ${`%${national || digits}%`} or c.name ${like} ${pattern} escape '\\')`
        : sql<SqlBool>`(c.name ${like} ${pattern} escape '\\')`,
    );
  }
  if (filter.phone !== undefined) parts.push(sql<SqlBool>`(c.phone = ${filter.phone})`);
  if (filter.consent !== undefined) parts.push(sql<SqlBool>`(c.consent_state = ${filter.consent})`);
  if (filter.country !== undefined) parts.push(sql<SqlBool>`(c.country = ${filter.country})`);
  if (filter.tag !== undefined)
    parts.push(sql<SqlBool>`(c.seq in (select t.contact_seq from contact_tags t where t.tag = ${filter.tag}))`);
  if (filter.segment !== undefined) {
    const context = await segmentContext(db);
    parts.push(compileSegment(effectiveRules(filter.segment), { context, dialect, now, tags: "exists" }));
  }
  return parts.length === 0 ? sql<SqlBool>`(1 = 1)` : sql<SqlBool>`(${sql.join(parts, sql.raw(" and "))})`;
}

/** The SELECT of one page of contacts matching a WHERE expression, newest first (one row more than the limit). */
export function contactPageQuery(
  db: Kysely<Database>,
  where: RawBuilder<SqlBool>,
  page: { cursor?: string | undefined; limit: number },
) {
  let query = db
    .selectFrom("contacts as c")
    .innerJoin("contact_metrics as m", "m.contact_seq", "c.seq")
    .selectAll("c")
    .where(where)
    .orderBy("c.seq", "desc")
    .limit(page.limit + 1);
  if (page.cursor !== undefined) {
    const after = decodeCursor(page.cursor);
    if (typeof after !== "number")
      throw new HeraldError("validation_failed", "invalid cursor", {
        issues: [{ path: "cursor", message: "not a contacts cursor" }],
      });
    query = query.where("c.seq", "<", after);
  }
  return query;
}

/** A page of contact rows matching a WHERE expression, newest first. */
export async function contactRowsPage(
  db: Kysely<Database>,
  where: RawBuilder<SqlBool>,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ rows: ContactRow[]; nextCursor: string | null }> {
  const rows = await contactPageQuery(db, where, page).execute();
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  return { rows: kept, nextCursor: more ? encodeCursor(kept.at(-1)?.seq ?? 0) : null };
}

/** A page of contacts matching a filter, newest first. */
export async function listContacts(
  db: Kysely<Database>,
  filter: ContactFilter,
  page: { cursor?: string | undefined; limit: number },
  now: number,
): Promise<Page<Contact>> {
  const { rows, nextCursor } = await contactRowsPage(db, await filterExpression(db, filter, now), page);
  return { data: rows.map(toContact), nextCursor };
}

/** Every contact matching a filter, page by page (for exports: memory holds one page at a time). */
export async function* iterateContacts(
  db: Kysely<Database>,
  filter: ContactFilter,
  now: number,
  pageSize = 1000,
): AsyncGenerator<ContactRow[]> {
  const where = await filterExpression(db, filter, now);
  let cursor: string | undefined;
  for (;;) {
    const page = await contactRowsPage(
      db,
      where,
      cursor === undefined ? { limit: pageSize } : { cursor, limit: pageSize },
    );
    if (page.rows.length > 0) yield page.rows;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}
