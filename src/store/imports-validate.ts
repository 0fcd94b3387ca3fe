/**
 * Turning CSV records into validated contacts or orders, a batch at a time: the CPU-heavy half of an import
 * (phone numbers cost ~18 µs each). Pure, so it runs in the importing thread for small files or in a worker
 * thread (imports-worker.ts) next to the thread that writes to the database for large ones.
 */
import type { AttributeType } from "../domain/segment/fields.js";
import { newIds } from "./contacts-ids.js";
import { validateContactInput } from "./contacts-input.js";
import { contactInsertJson } from "./contacts-upsert.js";
import type { CsvRecord } from "./imports-csv.js";
import { columnOf, contactFromRow, type Mapping, orderFromRow, targetIndexes } from "./imports-rows.js";
import { validateOrderInput } from "./orders-input.js";
import type { ImportKind } from "./tables/customers.js";

/** Everything validation needs; plain data, so it can be posted to a worker. */
export interface ValidationSetup {
  kind: ImportKind;
  header: string[];
  mapping: Mapping;
  attributes: Record<string, AttributeType>;
  ruleTags: string[];
  defaultCountry: string | undefined;
  now: number;
}

/**
 * A valid row as text: strings cross the worker boundary as one copy, where objects would be cloned field by field
 * (measured: the main thread, which also writes to the database, is the import's bottleneck).
 */
export interface ValidRow {
  line: number;
  /** The duplicate-detection key: the E.164 phone, or `order:<external id>`. */
  key: string;
  /** The CSV column the key came from, for the duplicate message. */
  keyColumn: string | null;
  /** JSON of the ValidContact or ValidOrder. */
  valueJson: string;
  /** Contacts: the insert row for when the phone is new (contacts-upsert.ts contactInsertJson). */
  insertJson?: string;
  tags?: string[];
}

export interface RowError {
  line: number;
  column: string | null;
  message: string;
}

export interface ValidatedBatch {
  valid: ValidRow[];
  errors: RowError[];
}

/** A validator bound to one import's setup. */
export function batchValidator(setup: ValidationSetup): (records: readonly CsvRecord[]) => ValidatedBatch {
  const at = targetIndexes(setup.header, setup.mapping);
  const owned = new Set(setup.ruleTags);
  const width = setup.header.length;
  const keyColumn = columnOf(setup.kind === "contacts" ? "phone" : "externalId", setup.header, at);
  return (records) => {
    const ids = idSource(records.length, setup.now);
    const valid: ValidRow[] = [];
    const errors: RowError[] = [];
    for (const record of records) {
      const reject = (column: string | null, message: string) => errors.push({ line: record.line, column, message });
      const fail = (issues: { path: string; message: string }[]) =>
        reject(
          columnOf(issues[0]?.path ?? "", setup.header, at),
          issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "),
        );
      if (record.error !== undefined) {
        reject(null, record.error);
        continue;
      }
      if (record.fields.length !== width) {
        reject(null, `expected ${width} columns (as in the header), found ${record.fields.length}`);
        continue;
      }
      if (setup.kind === "contacts") {
        const row = contactFromRow(record.fields, at, setup.now);
        if (!row.ok) {
          fail(row.issues);
          continue;
        }
        row.value.defaultCountry = setup.defaultCountry;
        const checked = validateContactInput(row.value, setup.attributes, { fromText: true, ruleTags: owned });
        if (checked.ok) {
          const value = checked.value;
          const row: ValidRow = {
            line: record.line,
            key: value.phone,
            keyColumn,
            valueJson: JSON.stringify(value),
            insertJson: contactInsertJson(ids.next(), value, setup.now),
          };
          if (value.tags !== undefined) row.tags = value.tags;
          valid.push(row);
        } else fail(checked.issues);
      } else {
        const row = orderFromRow(record.fields, at);
        if (!row.ok) {
          fail(row.issues);
          continue;
        }
        row.value.defaultCountry = setup.defaultCountry;
        const checked = validateOrderInput(row.value, setup.now);
        if (checked.ok)
          valid.push({
            line: record.line,
            key: `order:${checked.value.externalId}`,
            keyColumn,
            valueJson: JSON.stringify(checked.value),
          });
        else fail(checked.issues);
      }
    }
    return { valid, errors };
  };
}

/** Ids for one batch, drawn with one call for randomness (contacts-ids.ts). */
function idSource(count: number, now: number): { next(): string } {
  const ids = newIds(count, now);
  let at = 0;
  return { next: () => ids[at++] ?? "" };
}
