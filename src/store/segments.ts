/**
 * Saved segments: a name, a rule tree and the two default exclusions. Definitions are validated by the domain
 * (size, shape, fields, operators, values) and here for what the store cannot yet do (campaign conditions).
 */
import type { Kysely, Selectable } from "kysely";
import { HeraldError } from "../domain/errors.js";
import type { SegmentContext } from "../domain/segment/fields.js";
import { parseSegmentDefinition } from "../domain/segment/schema.js";
import type { SegmentDefinition, SegmentNode } from "../domain/segment/tree.js";
import { newId } from "../ids.js";
import { attributeTypes } from "./contacts-attributes.js";
import { decodeCursor, encodeCursor, type Page } from "./contacts-list.js";
import { isUniqueViolation } from "./dialect.js";
import type { Database } from "./schema.js";
import type { SegmentsTable } from "./tables/customers.js";

export interface Segment extends SegmentDefinition {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
}

function toSegment(row: Selectable<SegmentsTable>): Segment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    rules: JSON.parse(row.rules) as SegmentNode,
    excludeInactive: row.exclude_inactive === 1,
    excludeOptedOut: row.exclude_opted_out === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the validator needs about this business: its attribute definitions. */
export async function segmentContext(db: Kysely<Database>): Promise<SegmentContext> {
  return { attributes: await attributeTypes(db) };
}

/**
 * Validates an untrusted definition (`{ rules, excludeInactive?, excludeOptedOut? }`); throws `validation_failed`
 * with every issue's path (under `rules`) when it is not usable.
 */
export function parseDefinition(input: unknown, context: SegmentContext, pathPrefix = ""): SegmentDefinition {
  const parsed = parseSegmentDefinition(input, context);
  if (parsed.ok) return parsed.definition;
  const issues = parsed.issues;
  const shown = issues.map((issue) => ({ path: pathPrefix + issue.path, message: issue.message, code: issue.code }));
  throw new HeraldError(
    "validation_failed",
    `invalid segment rules: ${shown.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
    { issues: shown },
  );
}

export interface SegmentInput {
  name: string;
  description?: string | undefined;
  rules: unknown;
  excludeInactive?: boolean | undefined;
  excludeOptedOut?: boolean | undefined;
}

function conflict(name: string): HeraldError {
  return new HeraldError("conflict", `a segment named "${name}" already exists`, {
    issues: [{ path: "name", message: "already exists" }],
  });
}

/** Creates a segment after validating its rules; `conflict` on a duplicate name. */
export async function createSegment(db: Kysely<Database>, input: SegmentInput, now: number): Promise<Segment> {
  const definition = parseDefinition(
    { rules: input.rules, excludeInactive: input.excludeInactive, excludeOptedOut: input.excludeOptedOut },
    await segmentContext(db),
  );
  const row: Selectable<SegmentsTable> = {
    id: newId(now),
    name: input.name,
    description: input.description ?? "",
    rules: JSON.stringify(definition.rules),
    exclude_inactive: definition.excludeInactive ? 1 : 0,
    exclude_opted_out: definition.excludeOptedOut ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.insertInto("segments").values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(input.name);
    throw err;
  }
  return toSegment(row);
}

/** One segment; `not_found` when absent. */
export async function getSegment(db: Kysely<Database>, id: string): Promise<Segment> {
  const row = await db.selectFrom("segments").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no segment with id ${id}`);
  return toSegment(row);
}

/** Segments, newest first, in pages. */
export async function listSegments(
  db: Kysely<Database>,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<Segment>> {
  let query = db
    .selectFrom("segments")
    .selectAll()
    .orderBy("id", "desc")
    .limit(page.limit + 1);
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
  if (after !== null) query = query.where("id", "<", String(after));
  const rows = await query.execute();
  const more = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map(toSegment);
  return { data, nextCursor: more ? encodeCursor(data.at(-1)?.id ?? "") : null };
}

/** Changes a segment (validating new rules); `not_found`, `conflict` on a duplicate name. */
export async function updateSegment(
  db: Kysely<Database>,
  id: string,
  patch: Partial<SegmentInput>,
  now: number,
): Promise<Segment> {
  const current = await getSegment(db, id);
  const definition = parseDefinition(
    {
      rules: patch.rules ?? current.rules,
      excludeInactive: patch.excludeInactive ?? current.excludeInactive,
      excludeOptedOut: patch.excludeOptedOut ?? current.excludeOptedOut,
    },
    await segmentContext(db),
  );
  try {
    const row = await db
      .updateTable("segments")
      .set({
        name: patch.name ?? current.name,
        description: patch.description ?? current.description,
        rules: JSON.stringify(definition.rules),
        exclude_inactive: definition.excludeInactive ? 1 : 0,
        exclude_opted_out: definition.excludeOptedOut ? 1 : 0,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSegment(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(patch.name ?? current.name);
    throw err;
  }
}

/** Deletes a segment; `not_found` when absent. */
export async function deleteSegment(db: Kysely<Database>, id: string): Promise<void> {
  const result = await db.deleteFrom("segments").where("id", "=", id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new HeraldError("not_found", `no segment with id ${id}`);
}
