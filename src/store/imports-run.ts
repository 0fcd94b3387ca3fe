/**
 * The CSV import pipeline shared by `herald import` and the dashboard's import jobs:
 *   bytes → CSV records (this thread) → validated rows (this thread, or a worker for large files) →
 *   duplicate check in file order → batches of BATCH rows, each written in one transaction
 * (the whole file in one transaction with `atomic`; nothing with `dryRun`). Every rejected row is reported with
 * its line and reason. Memory holds one read chunk, two batches in flight and the duplicate detector.
 */
import type { Kysely } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { refreshContacts } from "./contact-metrics-refresh.js";
import { attributeTypes } from "./contacts-attributes.js";
import { ruleTags } from "./contacts-bulk.js";
import type { ValidContact } from "./contacts-input.js";
import { upsertPrepared } from "./contacts-upsert.js";
import { CsvFileError, CsvReader, type CsvRecord } from "./imports-csv.js";
import { checkMapping, type Mapping } from "./imports-rows.js";
import { SeenKeys } from "./imports-seen.js";
import type { RowError, ValidatedBatch, ValidRow } from "./imports-validate.js";
import { inlineValidator, type Validator, workerValidator } from "./imports-validators.js";
import { upsertOrders } from "./orders.js";
import type { ValidOrder } from "./orders-input.js";
import type { Database } from "./schema.js";
import type { ImportKind } from "./tables/customers.js";
import { applyAllTagRules } from "./tags-apply.js";

export type { RowError } from "./imports-validate.js";

/** Rows per transaction: 5,000 keeps each commit short (SQLite's single writer, ~0.1 s) and memory small. */
export const BATCH = 5_000;

export interface ImportOptions {
  kind: ImportKind;
  /** Column name → target; columns not named are left out. */
  mapping: Mapping;
  defaultCountry?: string | undefined;
  dryRun: boolean;
  atomic: boolean;
  now: number;
  /** Validate in a worker thread (worth it above ~20,000 rows; callers decide by file size). */
  parallel?: boolean;
}

export interface ImportProgress {
  bytesRead: number;
  rowsRead: number;
  imported: number;
  rejected: number;
  created: number;
  updated: number;
}

/** Where progress and rejected rows go: the terminal (CLI) or the imports table (dashboard jobs). */
export interface ImportSink {
  progress(progress: ImportProgress): Promise<void> | void;
  rejected(errors: RowError[]): Promise<void> | void;
}

export interface ImportSummary extends ImportProgress {
  /** False when nothing was written: a dry run, or an atomic import with rejected rows. */
  written: boolean;
}

class AtomicRollback extends Error {}

/** Imports a CSV byte stream; throws `validation_failed` for a bad file, header or mapping. */
export async function runImport(
  db: Kysely<Database>,
  input: AsyncIterable<Buffer | string>,
  options: ImportOptions,
  sink: ImportSink,
): Promise<ImportSummary> {
  const progress: ImportProgress = { bytesRead: 0, rowsRead: 0, imported: 0, rejected: 0, created: 0, updated: 0 };
  if (options.dryRun) {
    await pipeline(db, input, options, sink, progress, false);
    return { ...progress, written: false };
  }
  if (!options.atomic) {
    await pipeline(db, input, options, sink, progress, false);
    return { ...progress, written: true };
  }
  try {
    await db.transaction().execute(async (trx) => {
      await pipeline(trx, input, options, sink, progress, true);
      if (progress.rejected > 0) throw new AtomicRollback();
    });
    return { ...progress, written: true };
  } catch (err) {
    if (err instanceof AtomicRollback) return { ...progress, created: 0, updated: 0, written: false };
    throw err;
  }
}

async function pipeline(
  db: Kysely<Database>,
  input: AsyncIterable<Buffer | string>,
  options: ImportOptions,
  sink: ImportSink,
  progress: ImportProgress,
  inTransaction: boolean,
): Promise<void> {
  const attributes = await attributeTypes(db);
  const owned = [...(await ruleTags(db))];
  const reader = new CsvReader();
  const seen = new SeenKeys();
  const touched = new Set<number>();
  let validator: Validator | null = null;
  let records: CsvRecord[] = [];
  let inFlight: Promise<ValidatedBatch> | null = null;
  let rows: ValidRow[] = [];
  // Atomic imports stop writing at the first rejection: the transaction is rolled back at the end anyway.
  const writing = () => !options.dryRun && !(options.atomic && progress.rejected > 0);

  const start = (header: CsvRecord) => {
    const names = header.fields.map((field) => field.trim());
    const issues = checkMapping(options.kind, names, options.mapping, attributes);
    if (header.error !== undefined) issues.unshift({ path: "header", message: `line 1: ${header.error}` });
    if (issues.length > 0)
      throw new HeraldError("validation_failed", `cannot import: ${issues.map((i) => i.message).join("; ")}`, {
        issues,
      });
    const setup = {
      kind: options.kind,
      header: names,
      mapping: options.mapping,
      attributes,
      ruleTags: owned,
      defaultCountry: options.defaultCountry,
      now: options.now,
    };
    validator = options.parallel ? workerValidator(setup) : inlineValidator(setup);
  };

  /** Takes a validated batch in file order: errors out, duplicates out, rows into the write batch. */
  const absorb = async (batch: ValidatedBatch) => {
    const errors = [...batch.errors];
    for (const row of batch.valid) {
      const earlier = seen.firstLine(row.key, row.line);
      if (earlier === 0) rows.push(row);
      else {
        const what = row.key.startsWith("order:") ? `order ${row.key.slice(6)}` : row.key;
        errors.push({
          line: row.line,
          column: row.keyColumn,
          message: `duplicate in the file: ${what} is also on line ${earlier}`,
        });
      }
    }
    errors.sort((a, b) => a.line - b.line);
    progress.rejected += errors.length;
    progress.imported += batch.valid.length - (errors.length - batch.errors.length);
    if (errors.length > 0) await sink.rejected(errors);
    if (rows.length >= BATCH) await write();
  };

  const write = async () => {
    const batch = rows;
    rows = [];
    if (batch.length > 0 && writing()) {
      const run = (trx: Kysely<Database>) => writeBatch(trx, options, batch, progress, touched);
      const late = inTransaction ? await run(db) : await db.transaction().execute(run);
      if (late.length > 0) await sink.rejected(late);
    }
    progress.bytesRead = reader.bytesRead;
    await sink.progress({ ...progress });
  };

  /** Sends the collected records for validation, keeping at most one batch in flight. */
  const dispatch = async () => {
    if (validator === null || records.length === 0) return;
    const next = validator.validate(records);
    records = [];
    if (inFlight) await absorb(await inFlight);
    inFlight = next;
  };

  const take = (batch: CsvRecord[]) => {
    for (const record of batch) {
      if (validator === null) start(record);
      else {
        progress.rowsRead++;
        records.push(record);
      }
    }
  };

  try {
    for await (const chunk of input) {
      take(reader.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
      if (records.length >= BATCH) await dispatch();
    }
    take(reader.end());
    if (validator === null)
      throw new HeraldError("validation_failed", "the file is empty: it needs a header line", {
        issues: [{ path: "file", message: "empty" }],
      });
    await dispatch();
    if (inFlight) await absorb(await inFlight);
    await write();
  } catch (err) {
    if (err instanceof CsvFileError)
      throw new HeraldError("validation_failed", err.message, { issues: [{ path: "file", message: err.message }] });
    throw err;
  } finally {
    await (validator as Validator | null)?.close();
  }
  if (options.kind === "orders" && touched.size > 0 && writing()) {
    // Each batch refreshed its contacts' metrics; top-spender thresholds follow the new spends here, once.
    await applyAllTagRules(db, options.now);
  }
}

async function writeBatch(
  trx: Kysely<Database>,
  options: ImportOptions,
  rows: ValidRow[],
  progress: ImportProgress,
  touched: Set<number>,
): Promise<RowError[]> {
  if (options.kind === "contacts") {
    const prepared = rows.map((row) => ({
      phone: row.key,
      insertJson: row.insertJson ?? "[]",
      item: () => JSON.parse(row.valueJson) as ValidContact,
      tags: row.tags,
    }));
    const outcomes = await upsertPrepared(trx, prepared, options.now);
    for (const outcome of outcomes) progress[outcome.status]++;
    return [];
  }
  const result = await upsertOrders(
    trx,
    rows.map((row) => JSON.parse(row.valueJson) as ValidOrder),
    options.now,
  );
  const late: RowError[] = [];
  result.outcomes.forEach((outcome, index) => {
    if (outcome.status === "rejected") {
      // An unknown contact id is found only when writing: move the row from imported to rejected.
      progress.imported--;
      progress.rejected++;
      late.push({
        line: rows[index]?.line ?? 0,
        column: null,
        message: outcome.issues.map((i) => i.message).join("; "),
      });
    } else progress[outcome.status]++;
  });
  for (const seq of result.touched) touched.add(seq);
  await refreshContacts(trx, result.touched, options.now);
  return late;
}
