/**
 * CSV import jobs for the dashboard wizard: the uploaded file on disk and a row in `imports` that holds the state
 * and progress (so a page reload keeps polling the same job), and its rejected rows in `import_errors`.
 * States: uploaded → running → succeeded | failed. A running job writes a heartbeat with each batch; one whose
 * heartbeat is older than STALE_MS died with its process and reads as failed ("interrupted").
 */
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import type { Kysely, Selectable } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { decodeCursor, encodeCursor, type Page } from "./contacts-list.js";
import type { Mapping } from "./imports-rows.js";
import { type ImportProgress, type RowError, runImport } from "./imports-run.js";
import type { Database } from "./schema.js";
import type { ImportKind, ImportState, ImportsTable } from "./tables/customers.js";

/** A job that has not reported progress for this long is dead (its batches take well under a second). */
const STALE_MS = 120_000;
/** Rejected rows kept per job; the count in `progress.rejected` is always complete. */
export const MAX_STORED_ERRORS = 100_000;

export interface ImportJob {
  id: string;
  kind: ImportKind;
  state: ImportState;
  dryRun: boolean;
  atomic: boolean;
  fileName: string | null;
  bytes: number;
  header: string[];
  progress: { bytesRead: number; rowsRead: number; imported: number; rejected: number };
  result: { created: number; updated: number } | null;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

function toJob(row: Selectable<ImportsTable>): ImportJob {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    dryRun: row.dry_run === 1,
    atomic: row.atomic === 1,
    fileName: row.file_name,
    bytes: Number(row.bytes),
    header: JSON.parse(row.header) as string[],
    progress: {
      bytesRead: Number(row.bytes_read),
      rowsRead: row.rows_read,
      imported: row.imported,
      rejected: row.rejected,
    },
    result: row.state === "succeeded" ? { created: row.created, updated: row.updated } : null,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** Records an uploaded file as a job in state `uploaded`. */
export async function createImportJob(
  db: Kysely<Database>,
  input: {
    id: string;
    kind: ImportKind;
    fileName: string | null;
    filePath: string;
    bytes: number;
    header: string[];
    createdBy: string | null;
  },
  now: number,
): Promise<ImportJob> {
  await db
    .insertInto("imports")
    .values({
      id: input.id,
      kind: input.kind,
      state: "uploaded",
      dry_run: 0,
      atomic: 0,
      file_name: input.fileName,
      file_path: input.filePath,
      bytes: input.bytes,
      header: JSON.stringify(input.header),
      options: null,
      error: null,
      created_by: input.createdBy,
      created_at: now,
      started_at: null,
      finished_at: null,
      heartbeat_at: null,
    })
    .execute();
  return getImportJob(db, input.id, now);
}

/** One job; a running job whose heartbeat stopped is marked failed first. */
export async function getImportJob(db: Kysely<Database>, id: string, now: number): Promise<ImportJob> {
  await db
    .updateTable("imports")
    .set({
      state: "failed",
      error: "interrupted by a server restart; start a new import (upserts are idempotent)",
      finished_at: now,
    })
    .where("id", "=", id)
    .where("state", "=", "running")
    .where("heartbeat_at", "<", now - STALE_MS)
    .execute();
  const row = await db.selectFrom("imports").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no import with id ${id}`);
  return toJob(row);
}

/** The file path of a job (server side only). */
export async function importFilePath(db: Kysely<Database>, id: string): Promise<string> {
  const row = await db.selectFrom("imports").select("file_path").where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no import with id ${id}`);
  return row.file_path;
}

/** Jobs, newest first. */
export async function listImportJobs(
  db: Kysely<Database>,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<ImportJob>> {
  let query = db
    .selectFrom("imports")
    .selectAll()
    .orderBy("id", "desc")
    .limit(page.limit + 1);
  if (page.cursor !== undefined) query = query.where("id", "<", String(decodeCursor(page.cursor)));
  const rows = await query.execute();
  const data = rows.slice(0, page.limit).map(toJob);
  return { data, nextCursor: rows.length > page.limit ? encodeCursor(data.at(-1)?.id ?? "") : null };
}

/** A job's rejected rows by line. */
export async function listImportErrors(
  db: Kysely<Database>,
  id: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<RowError>> {
  let query = db
    .selectFrom("import_errors")
    .select(["line", "column_name", "message"])
    .where("import_id", "=", id)
    .orderBy("line")
    .limit(page.limit + 1);
  if (page.cursor !== undefined) query = query.where("line", ">", Number(decodeCursor(page.cursor)));
  const rows = await query.execute();
  const data = rows
    .slice(0, page.limit)
    .map((row) => ({ line: row.line, column: row.column_name, message: row.message }));
  return { data, nextCursor: rows.length > page.limit ? encodeCursor(data.at(-1)?.line ?? 0) : null };
}

export interface StartOptions {
  mapping: Mapping;
  defaultCountry?: string | undefined;
  dryRun: boolean;
  atomic: boolean;
}

/**
 * Moves an uploaded job to running (`conflict` if it was started already) and runs it in the background; the
 * returned promise settles when the job is finished (the API does not wait for it).
 */
export async function startImportJob(
  db: Kysely<Database>,
  id: string,
  options: StartOptions,
  now: () => number,
): Promise<{ job: ImportJob; done: Promise<void> }> {
  const at = now();
  const claimed = await db
    .updateTable("imports")
    .set({
      state: "running",
      dry_run: options.dryRun ? 1 : 0,
      atomic: options.atomic ? 1 : 0,
      options: JSON.stringify({ mapping: options.mapping, defaultCountry: options.defaultCountry ?? null }),
      started_at: at,
      heartbeat_at: at,
    })
    .where("id", "=", id)
    .where("state", "=", "uploaded")
    .executeTakeFirst();
  if (claimed.numUpdatedRows === 0n) {
    const job = await getImportJob(db, id, at);
    throw new HeraldError("conflict", `import ${id} is ${job.state}; upload the file again to start another`);
  }
  const job = await getImportJob(db, id, at);
  const done = runJob(db, id, options, now);
  return { job, done };
}

async function runJob(db: Kysely<Database>, id: string, options: StartOptions, now: () => number): Promise<void> {
  const path = await importFilePath(db, id);
  const kind = (await getImportJob(db, id, now())).kind;
  let stored = 0;
  const progress = async (p: ImportProgress) => {
    await db
      .updateTable("imports")
      .set({
        bytes_read: p.bytesRead,
        rows_read: p.rowsRead,
        imported: p.imported,
        rejected: p.rejected,
        created: p.created,
        updated: p.updated,
        heartbeat_at: now(),
      })
      .where("id", "=", id)
      .execute();
  };
  try {
    const parallel = (await getImportJob(db, id, now())).bytes > 2 * 1024 * 1024;
    const summary = await runImport(
      db,
      createReadStream(path, { highWaterMark: 1 << 20 }),
      { kind, ...options, now: now(), parallel },
      {
        progress,
        rejected: async (errors) => {
          const keep = errors.slice(0, Math.max(0, MAX_STORED_ERRORS - stored));
          stored += keep.length;
          if (keep.length === 0) return;
          await db
            .insertInto("import_errors")
            .values(keep.map((e) => ({ import_id: id, line: e.line, column_name: e.column, message: e.message })))
            .onConflict((oc) => oc.columns(["import_id", "line"]).doNothing())
            .execute();
        },
      },
    );
    await progress(summary);
    const error =
      !summary.written && options.atomic && !options.dryRun
        ? `--atomic: ${summary.rejected} rows were rejected, so nothing was written`
        : null;
    await db
      .updateTable("imports")
      .set({ state: error === null ? "succeeded" : "failed", error, finished_at: now() })
      .where("id", "=", id)
      .execute();
  } catch (err) {
    const message =
      err instanceof HeraldError
        ? err.message
        : "the import failed unexpectedly; nothing of the failing batch was written";
    await db
      .updateTable("imports")
      .set({ state: "failed", error: message, finished_at: now() })
      .where("id", "=", id)
      .execute();
    if (!(err instanceof HeraldError)) throw err;
  } finally {
    await rm(path, { force: true });
  }
}
