import { createWriteStream } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HeraldError } from "../../domain/errors.js";
import { newId } from "../../ids.js";
import { attributeTypes } from "../../store/contacts-attributes.js";
import {
  createImportJob,
  getImportJob,
  listImportErrors,
  listImportJobs,
  startImportJob,
} from "../../store/imports.js";
import { CsvFileError, CsvReader } from "../../store/imports-csv.js";
import { checkMapping, importTargets, suggestMapping } from "../../store/imports-rows.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams } from "../schemas/common.js";
import { pageQuery } from "../schemas/segments.js";
import { rejected } from "./contacts.js";

/** Uploads may be far larger than JSON bodies: 200 MB holds ~4,000,000 contact rows. */
const MAX_UPLOAD = 200 * 1024 * 1024;
const SAMPLE_ROWS = 10;

const jobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["contacts", "orders"]),
    state: z.enum(["uploaded", "running", "succeeded", "failed"]),
    dryRun: z.boolean(),
    atomic: z.boolean(),
    fileName: z.string().nullable(),
    bytes: z.number(),
    header: z.array(z.string()),
    progress: z.object({ bytesRead: z.number(), rowsRead: z.number(), imported: z.number(), rejected: z.number() }),
    result: z.object({ created: z.number(), updated: z.number() }).nullable(),
    error: z.string().nullable(),
    createdAt: z.number(),
    startedAt: z.number().nullable(),
    finishedAt: z.number().nullable(),
  })
  .meta({ id: "Import" });

const uploadSchema = jobSchema.extend({
  sampleRows: z.array(z.array(z.string())),
  suggestedMapping: z.record(z.string(), z.string().nullable()),
  targets: z.array(z.string()),
  problems: z.array(z.string()),
});

const startBody = z.strictObject({
  mapping: z.record(z.string(), z.string().nullable()),
  defaultCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .optional(),
  dryRun: z.boolean().default(false),
  atomic: z.boolean().default(false),
});

/**
 * CSV import jobs for the dashboard: upload (raw text/csv body, parsed only inside this plugin), preview with a
 * suggested mapping, start, poll, and list rejected rows.
 */
export async function importRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    // The raw body stays a stream: the file goes to disk chunk by chunk, never whole into memory.
    scope.addContentTypeParser("text/csv", (_request, payload, done) => done(null, payload));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const db = ctx.store.db;
    const tags = ["imports"];
    const write = { permission: "contacts.write" } as const;
    const read = { permission: "contacts.read" } as const;

    r.post(
      "/api/v1/imports",
      {
        config: write,
        schema: {
          tags,
          summary: "Upload a CSV file (Content-Type: text/csv) and get its header, first rows and a suggested mapping",
          querystring: z.strictObject({
            kind: z.enum(["contacts", "orders"]),
            fileName: z.string().max(200).optional(),
          }),
          response: { 201: uploadSchema, 413: errorSchema, 415: errorSchema, ...authErrors },
        },
      },
      async (request, reply) => {
        const id = newId(ctx.now());
        const dir = join(ctx.config.dataDir, "imports");
        await mkdir(dir, { recursive: true });
        const path = join(dir, `${id}.csv`);
        const bytes = await saveUpload(request.body as Readable, path);
        const preview = await previewFile(path).catch(async (err: unknown) => {
          await rm(path, { force: true });
          throw err;
        });
        const attributes = await attributeTypes(db);
        const { kind, fileName } = request.query;
        const actor = actorOf(request);
        const job = await createImportJob(
          db,
          {
            id,
            kind,
            fileName: fileName ?? null,
            filePath: path,
            bytes,
            header: preview.header,
            createdBy: actor.kind === "user" ? actor.user.id : null,
          },
          ctx.now(),
        );
        return reply.status(201).send({
          ...job,
          sampleRows: preview.rows,
          suggestedMapping: suggestMapping(kind, preview.header, attributes),
          targets: importTargets(kind, attributes),
          problems: preview.problems,
        });
      },
    );

    r.post(
      "/api/v1/imports/:id/start",
      {
        config: write,
        schema: {
          tags,
          summary: "Start an uploaded import with a column mapping; poll GET /api/v1/imports/:id",
          params: idParams,
          body: startBody,
          response: { 202: jobSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
        },
      },
      async (request, reply) => {
        const job = await getImportJob(db, request.params.id, ctx.now());
        const issues = checkMapping(job.kind, job.header, request.body.mapping, await attributeTypes(db));
        if (issues.length > 0) throw rejected(issues);
        const started = await startImportJob(db, job.id, request.body, ctx.now);
        started.done.catch((err: unknown) => request.log.error({ err, importId: job.id }, "import failed"));
        return reply.status(202).send(started.job);
      },
    );

    r.get(
      "/api/v1/imports/:id",
      {
        config: read,
        schema: {
          tags,
          summary: "An import's state and progress",
          params: idParams,
          response: { 200: jobSchema, 404: errorSchema, ...authErrors },
        },
      },
      async (request) => getImportJob(db, request.params.id, ctx.now()),
    );

    r.get(
      "/api/v1/imports/:id/errors",
      {
        config: read,
        schema: {
          tags,
          summary: "Rejected rows of an import, by line",
          params: idParams,
          querystring: pageQuery,
          response: {
            200: z.object({
              data: z.array(z.object({ line: z.number(), column: z.string().nullable(), message: z.string() })),
              nextCursor: z.string().nullable(),
            }),
            404: errorSchema,
            ...authErrors,
          },
        },
      },
      async (request) => {
        await getImportJob(db, request.params.id, ctx.now());
        return listImportErrors(db, request.params.id, request.query);
      },
    );

    r.get(
      "/api/v1/imports",
      {
        config: read,
        schema: {
          tags,
          summary: "Recent imports, newest first",
          querystring: pageQuery,
          response: { 200: z.object({ data: z.array(jobSchema), nextCursor: z.string().nullable() }), ...authErrors },
        },
      },
      async (request) => listImportJobs(db, request.query),
    );
  });
}

/** Streams the body to `path`, refusing more than MAX_UPLOAD bytes (413, file removed). */
async function saveUpload(body: Readable | undefined, path: string): Promise<number> {
  if (body === undefined || typeof body.pipe !== "function")
    throw new HeraldError("unsupported_media_type", "send the CSV file as the raw body with Content-Type: text/csv");
  let bytes = 0;
  const counter = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      bytes += chunk.length;
      if (bytes > MAX_UPLOAD)
        throw new HeraldError("payload_too_large", `the file is larger than ${MAX_UPLOAD / 1024 / 1024} MB`, {
          limit: MAX_UPLOAD,
        });
      yield chunk;
    }
  };
  try {
    await pipeline(body, counter, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  if (bytes === 0) {
    await rm(path, { force: true });
    throw new HeraldError("validation_failed", "the file is empty", { issues: [{ path: "body", message: "empty" }] });
  }
  return bytes;
}

/** The header, the first rows and file-level problems, from the first 1 MB of the file. */
async function previewFile(path: string): Promise<{ header: string[]; rows: string[][]; problems: string[] }> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const reader = new CsvReader();
    let records: ReturnType<CsvReader["push"]>;
    try {
      records = reader.push(buffer.subarray(0, bytesRead));
      if (records.length < SAMPLE_ROWS + 1) records = [...records, ...reader.end()];
    } catch (err) {
      if (err instanceof CsvFileError) throw rejected([{ path: "body", message: err.message }]);
      throw err;
    }
    const [header, ...rest] = records;
    if (header === undefined) throw rejected([{ path: "body", message: "the file has no header line" }]);
    const sample = rest.slice(0, SAMPLE_ROWS);
    const problems = [header, ...sample].flatMap((record) =>
      record.error ? [`line ${record.line}: ${record.error}`] : [],
    );
    return {
      header: header.fields.map((field) => field.trim()),
      rows: sample.map((record) => record.fields),
      problems,
    };
  } finally {
    await handle.close();
  }
}
