/**
 * Template sync: input = the provider's template list of each WhatsApp Business Account Herald has a sender on;
 * output = `templates` and `template_history` rows. Meta's statuses, quality ratings and categories are copied onto
 * Herald's templates, templates created outside Herald are imported (converted back to the domain model), and
 * submitted templates Meta no longer lists are marked DELETED. Webhooks usually get there first; the sync catches
 * what a missed or late webhook would lose.
 *
 * Crash behaviour: each account's listing is fetched completely first and then applied in one transaction, so a crash
 * or a provider error leaves that account as it was, and the next pass compares again. Two processes syncing at
 * once are safe: an import that loses the race hits the (WABA, name, language) unique index, that account's pass
 * rolls back and is logged, and the next pass finds the row.
 */
import type { Kysely, Transaction } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { lintTemplate } from "../domain/template/lint.js";
import type { Database } from "../store/schema.js";
import { listSenders } from "../store/senders.js";
import {
  findTemplateByKey,
  findTemplateByProviderId,
  hasPendingTemplates,
  insertTemplate,
  listSubmittedTemplates,
  recordTemplateChange,
  type StoredTemplate,
} from "../store/templates.js";
import type { TemplateRecord } from "../whatsapp/provider.js";
import { fromTemplateDefinition } from "../whatsapp/template-definition.js";
import { handleForSender, type ProviderHandle, providerFailure, type TemplateDeps } from "./template-provider.js";
import { changeEvent, knownCategory, statusOfEvent } from "./template-status.js";

type Db = Kysely<Database> | Transaction<Database>;

/** What one account's sync did. */
export interface WabaSyncReport {
  wabaId: string;
  senderId: string;
  listed: number;
  imported: number;
  updated: number;
  deleted: number;
  /** Templates left alone, with why (a kind Herald does not model, a clash with a local draft, an unknown status). */
  skipped: { name: string; language: string; reason: string }[];
  /** Set when the account could not be synced (only when syncing every account; one sender's failure is thrown). */
  error: { code: string; message: string; details: unknown } | null;
}

/** Guards against a provider that pages forever: Meta caps a WABA at a few thousand templates. */
const MAX_PAGES = 200;
const PAGE_SIZE = 100;

/**
 * Syncs the account of `senderId`, or every account Herald has an enabled sender on (one sender per account).
 * With one sender a provider failure is thrown as a HeraldError; with all, it is reported per account.
 */
export async function syncTemplates(
  deps: TemplateDeps,
  scope: { senderId?: string },
  now: number,
): Promise<WabaSyncReport[]> {
  if (scope.senderId !== undefined) {
    const handle = await handleForSender(deps, scope.senderId);
    return [await syncWaba(deps, handle, now)];
  }
  const byWaba = new Map<string, string>();
  for (const sender of await listSenders(deps.store.db)) {
    if (!sender.disabled && !byWaba.has(sender.wabaId)) byWaba.set(sender.wabaId, sender.id);
  }
  const reports: WabaSyncReport[] = [];
  for (const [wabaId, senderId] of byWaba) {
    try {
      reports.push(await syncWaba(deps, await handleForSender(deps, senderId), now));
    } catch (err) {
      const failure = providerFailure(err, `syncing templates of account ${wabaId} failed`);
      reports.push({ ...emptyReport(wabaId, senderId), error: errorOf(failure) });
    }
  }
  return reports;
}

function emptyReport(wabaId: string, senderId: string): WabaSyncReport {
  return { wabaId, senderId, listed: 0, imported: 0, updated: 0, deleted: 0, skipped: [], error: null };
}

function errorOf(err: HeraldError): WabaSyncReport["error"] {
  return { code: err.code, message: err.message, details: err.details };
}

async function syncWaba(deps: TemplateDeps, handle: ProviderHandle, now: number): Promise<WabaSyncReport> {
  const { wabaId, id: senderId } = handle.creds.sender;
  const records = await listAll(handle);
  return deps.store.db.transaction().execute(async (trx) => {
    const report = emptyReport(wabaId, senderId);
    report.listed = records.length;
    const seen = new Set<string>();
    for (const record of records) {
      seen.add(record.id);
      await applyRecord(trx, record, { wabaId, senderId }, report, now);
    }
    for (const local of await listSubmittedTemplates(trx, wabaId)) {
      if (local.providerTemplateId === null || seen.has(local.providerTemplateId)) continue;
      await recordTemplateChange(
        trx,
        local,
        { source: "sync", event: "DELETED", status: "DELETED", reason: "no longer listed by the provider" },
        now,
      );
      report.deleted += 1;
    }
    return report;
  });
}

async function listAll(handle: ProviderHandle): Promise<TemplateRecord[]> {
  const records: TemplateRecord[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let answer: Awaited<ReturnType<typeof handle.provider.listTemplates>>;
    try {
      answer = await handle.provider.listTemplates(handle.ref, {
        limit: PAGE_SIZE,
        ...(after === undefined ? {} : { after }),
      });
    } catch (err) {
      throw providerFailure(err, "listing templates at the provider failed");
    }
    records.push(...answer.templates);
    if (answer.next === undefined || answer.templates.length === 0) return records;
    after = answer.next;
  }
  throw new HeraldError("unavailable", `the provider listed more than ${MAX_PAGES} pages of templates; stopped`);
}

async function applyRecord(
  trx: Db,
  record: TemplateRecord,
  account: { wabaId: string; senderId: string },
  report: WabaSyncReport,
  now: number,
): Promise<void> {
  const skip = (reason: string): void => {
    report.skipped.push({ name: record.name, language: record.language, reason });
  };
  const status = statusOfEvent(record.status);
  if (status === undefined) return skip(`status ${record.status} is not one Herald knows`);
  let local: StoredTemplate | undefined = await findTemplateByProviderId(trx, account.wabaId, record.id);
  if (local?.status === "DELETED") return; // deleted in Herald; Meta may list it until its deletion completes
  if (!local) {
    const byKey = await findTemplateByKey(trx, account.wabaId, record.name, record.language);
    if (byKey?.status === "DRAFT") return skip("a Herald draft on this account has the same name and language");
    local = byKey;
  }
  if (!local) {
    const converted = fromTemplateDefinition(record);
    if (!converted.ok) return skip(`${converted.path}: ${converted.reason}`);
    await insertTemplate(
      trx,
      {
        template: converted.template,
        lint: lintTemplate(converted.template),
        wabaId: account.wabaId,
        senderId: account.senderId,
        status,
        providerTemplateId: record.id,
        rejectedReason: status === "REJECTED" ? (record.rejectedReason ?? null) : null,
        quality: record.qualityScore ?? "UNKNOWN",
        createdBy: null,
        source: "sync",
        event: "IMPORTED",
      },
      now,
    );
    report.imported += 1;
    return;
  }
  const category = knownCategory(record.category);
  const quality = record.qualityScore;
  const reason = status === "REJECTED" ? (record.rejectedReason ?? local.rejectedReason) : null;
  const changed =
    status !== local.status ||
    reason !== local.rejectedReason ||
    (quality !== undefined && quality !== local.quality) ||
    (category !== undefined && category !== local.category) ||
    local.providerTemplateId !== record.id;
  if (!changed) return;
  await recordTemplateChange(
    trx,
    local,
    {
      source: "sync",
      event: changeEvent(local, status, quality, category),
      status,
      reason,
      ...(quality === undefined ? {} : { quality }),
      ...(category === undefined ? {} : { category }),
      providerTemplateId: record.id,
    },
    now,
  );
  report.updated += 1;
}

/** The pino-compatible logger the loop writes to. */
export interface SyncLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface TemplateSyncOptions extends TemplateDeps {
  logger: SyncLogger;
  /** Between passes; default 10 minutes. */
  intervalMs?: number;
  /** Between passes while some template is PENDING (Meta reviews in minutes); default 30 seconds. */
  pendingIntervalMs?: number;
  now?: () => number;
}

/**
 * Starts the periodic sync: a first pass at once, then one every `intervalMs` (every `pendingIntervalMs` while a
 * template awaits review). A failed pass is logged and the next one runs on schedule. `stop()` cancels the next
 * pass and waits for the running one.
 */
export function startTemplateSync(options: TemplateSyncOptions): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  const pendingIntervalMs = Math.min(options.pendingIntervalMs ?? 30_000, intervalMs);
  const now = options.now ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const pass = async () => {
    let wait = intervalMs;
    try {
      const reports = await syncTemplates(options, {}, now());
      for (const report of reports) {
        const { skipped, error, ...counts } = report;
        if (error) options.logger.warn({ ...counts, error: error.message }, "template sync failed for an account");
        else if (counts.imported + counts.updated + counts.deleted > 0 || skipped.length > 0) {
          options.logger.info({ ...counts, skipped: skipped.length }, "templates synced");
        }
      }
      if (await hasPendingTemplates(options.store.db)) wait = pendingIntervalMs;
    } catch (err) {
      options.logger.warn({ err }, "template sync pass failed");
    }
    if (!stopped) {
      timer = setTimeout(() => {
        running = pass();
      }, wait);
      // The loop never keeps the process alive on its own; the server's lifetime decides.
      timer.unref();
    }
  };

  running = pass();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
