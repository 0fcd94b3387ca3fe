/**
 * Bulk contact upserts with per-item results: every item is validated on its own (its issues carry its index in
 * the path), later duplicates of a phone are rejected, and all valid items are written in one transaction.
 */
import type { Kysely } from "kysely";
import type { FieldIssue } from "../domain/errors.js";
import { attributeTypes } from "./contacts-attributes.js";
import { type ContactInput, type Validated, type ValidContact, validateContactInput } from "./contacts-input.js";
import { upsertContacts } from "./contacts-upsert.js";
import type { Database } from "./schema.js";

/** The most items one bulk request may carry (issue 4); more is refused whole with 413. */
export const MAX_BULK_ITEMS = 10_000;

export interface ItemResult {
  index: number;
  status: "created" | "updated" | "rejected";
  id?: string;
  issues?: FieldIssue[];
}

export interface BulkResult {
  created: number;
  updated: number;
  rejected: number;
  results: ItemResult[];
}

/** Tags owned by tag rules: they cannot be set by hand. */
export async function ruleTags(db: Kysely<Database>): Promise<Set<string>> {
  return new Set((await db.selectFrom("tag_rules").select("tag").execute()).map((row) => row.tag));
}

/** Counts the statuses of item results. */
export function summarise(results: ItemResult[]): BulkResult {
  const count = (status: ItemResult["status"]) => results.filter((result) => result.status === status).length;
  return { created: count("created"), updated: count("updated"), rejected: count("rejected"), results };
}

/**
 * Validates and upserts items already shape-checked by the caller (`ok: false` items keep their issues). Paths
 * are `<prefix>[index].field`, or `field` when `prefix` is empty (a single upsert).
 */
export async function upsertContactBatch(
  db: Kysely<Database>,
  items: readonly Validated<ContactInput>[],
  now: number,
  prefix = "contacts",
): Promise<BulkResult> {
  const attributes = await attributeTypes(db);
  const owned = await ruleTags(db);
  const results: ItemResult[] = [];
  const valid: { index: number; value: ValidContact }[] = [];
  const firstIndex = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const path = prefix === "" ? "" : `${prefix}[${index}]`;
    if (!item.ok) {
      results.push({ index, status: "rejected", issues: item.issues });
      continue;
    }
    const checked = validateContactInput(item.value, attributes, { prefix: path, ruleTags: owned });
    if (!checked.ok) {
      results.push({ index, status: "rejected", issues: checked.issues });
      continue;
    }
    const earlier = firstIndex.get(checked.value.phone);
    if (earlier !== undefined) {
      const message = `duplicate_in_request: ${checked.value.phone} is also item ${earlier}`;
      results.push({ index, status: "rejected", issues: [{ path: path ? `${path}.phone` : "phone", message }] });
      continue;
    }
    firstIndex.set(checked.value.phone, index);
    valid.push({ index, value: checked.value });
    results.push({ index, status: "created" });
  }
  const byIndex = new Map(results.map((result) => [result.index, result]));
  if (valid.length > 0) {
    const outcomes = await db.transaction().execute((trx) =>
      upsertContacts(
        trx,
        valid.map((item) => item.value),
        now,
      ),
    );
    for (const [position, item] of valid.entries()) {
      const outcome = outcomes[position];
      const result = byIndex.get(item.index);
      if (outcome !== undefined && result !== undefined) {
        result.status = outcome.status;
        result.id = outcome.id;
      }
    }
  }
  results.sort((a, b) => a.index - b.index);
  return summarise(results);
}
