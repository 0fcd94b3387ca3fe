import { createReadStream, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { type Command, InvalidArgumentError } from "commander";
import { HeraldError } from "../domain/errors.js";
import { attributeTypes } from "../store/contacts-attributes.js";
import { CsvReader } from "../store/imports-csv.js";
import { type Mapping, suggestMapping } from "../store/imports-rows.js";
import { type ImportProgress, type ImportSink, runImport } from "../store/imports-run.js";
import type { ImportKind } from "../store/tables/customers.js";
import { withStore } from "./common.js";

/** Files above ~50,000 rows validate in a worker thread (its start-up, ~0.3 s, is not worth it below). */
const PARALLEL_FROM_BYTES = 2 * 1024 * 1024;

interface ImportFlags {
  dryRun?: boolean;
  atomic?: boolean;
  defaultCountry?: string;
  map: string[];
}

/** `herald import contacts|orders FILE.csv`: streamed CSV import with a progress bar and every rejected row on stderr. */
export function registerImportCommands(program: Command): void {
  const command = program
    .command("import")
    .description("import contacts or orders from a CSV file (UTF-8, header line first)");
  for (const kind of ["contacts", "orders"] as const) {
    command
      .command(`${kind} <file>`)
      .description(`import ${kind}; rejected rows are listed on stderr as "line N: reason", the summary JSON on stdout`)
      .option("--dry-run", "validate every row and report, write nothing")
      .option("--atomic", "import all rows or none (one transaction; any rejected row writes nothing)")
      .option("--default-country <code>", "read phone numbers without + as numbers of this country (e.g. KR)", country)
      .option(
        "--map <column=field>",
        'map a column to a field (repeatable; "column=" leaves it out); others use the suggested mapping',
        collect,
        [],
      )
      .action(async (file: string, flags: ImportFlags) => {
        const summary = await importFile(kind, file, flags);
        process.exitCode = summary.rejected > 0 ? 1 : 0;
      });
  }
}

async function importFile(kind: ImportKind, file: string, flags: ImportFlags) {
  const size = fileSize(file);
  return withStore(async (store) => {
    const header = await readHeader(file);
    const mapping: Mapping = { ...suggestMapping(kind, header, await attributeTypes(store.db)) };
    for (const pair of flags.map) {
      const [column, field] = splitPair(pair);
      mapping[column] = field === "" || field === "-" ? null : field;
    }
    const shown = Object.entries(mapping).map(([column, field]) => `${column} → ${field ?? "(left out)"}`);
    process.stderr.write(`mapping: ${shown.join(", ")}\n`);
    const started = performance.now();
    const bar = progressBar(size, started);
    const sink: ImportSink = {
      progress: (p) => bar.update(p),
      rejected: (errors) => {
        bar.clear();
        for (const e of errors)
          process.stderr.write(`line ${e.line}: ${e.column ? `[${e.column}] ` : ""}${e.message}\n`);
      },
    };
    const summary = await runImport(
      store.db,
      createReadStream(file, { highWaterMark: 1 << 20 }),
      {
        kind,
        mapping,
        defaultCountry: flags.defaultCountry,
        dryRun: flags.dryRun === true,
        atomic: flags.atomic === true,
        now: Date.now(),
        parallel: size > PARALLEL_FROM_BYTES,
      },
      sink,
    );
    bar.done(summary);
    const seconds = (performance.now() - started) / 1000;
    const usage = process.resourceUsage();
    const cpuSeconds = Number(((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1));
    const figures = {
      ...summary,
      seconds: Number(seconds.toFixed(2)),
      cpuSeconds,
      peakRssMb: Math.round(usage.maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    if (flags.atomic && !summary.written && !flags.dryRun && summary.rejected > 0)
      process.stderr.write(`--atomic: ${summary.rejected} rows were rejected, so nothing was written\n`);
    return summary;
  });
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    throw new HeraldError("validation_failed", `cannot read ${file}`);
  }
}

/** The header fields: the first record of the file. */
export async function readHeader(file: string): Promise<string[]> {
  const handle = await open(file, "r");
  try {
    const reader = new CsvReader();
    const buffer = Buffer.alloc(64 * 1024);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      const records = bytesRead === 0 ? reader.end() : reader.push(Buffer.from(buffer.subarray(0, bytesRead)));
      if (records[0]) return records[0].fields.map((field) => field.trim());
      if (bytesRead === 0) throw new HeraldError("validation_failed", `${file} is empty: it needs a header line`);
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

function progressBar(total: number, started: number) {
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  const render = (p: ImportProgress) => {
    const fraction = total === 0 ? 1 : Math.min(1, p.bytesRead / total);
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(p.rowsRead / Math.max(seconds, 0.001));
    const filled = Math.round(fraction * 30);
    return `[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.rowsRead.toLocaleString("en")} rows  ${rate.toLocaleString("en")} rows/s  ${p.rejected.toLocaleString("en")} rejected`;
  };
  return {
    update(p: ImportProgress) {
      if (tty) process.stderr.write(`\r${render(p)}`);
      else if (performance.now() - lastLine > 5_000) {
        lastLine = performance.now();
        process.stderr.write(`${render(p)}\n`);
      }
    },
    clear() {
      if (tty) process.stderr.write("\r\u001b[K");
    },
    done(p: ImportProgress) {
      process.stderr.write(`${tty ? "\r" : ""}${render({ ...p, bytesRead: total })}\n`);
    },
  };
}

function country(value: string): string {
  if (!/^[A-Za-z]{2}$/.test(value))
    throw new InvalidArgumentError(`must be a two-letter country code like KR (got "${value}")`);
  return value.toUpperCase();
}

function collect(value: string, previous: string[]): string[] {
  splitPair(value);
  return [...previous, value];
}

function splitPair(pair: string): [string, string] {
  const at = pair.lastIndexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`--map takes column=field (got "${pair}")`);
  return [pair.slice(0, at), pair.slice(at + 1).trim()];
}
