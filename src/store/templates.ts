/**
 * Message templates and their status timeline. One row per (WABA, name, language), as Meta keys them; every status
 * change writes a `template_history` row in the same statement group, so the dashboard can show the timeline.
 * Functions take `db | trx` first; the ones that write two tables expect the caller's transaction (see `inTransaction`).
 */
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { HeraldError } from "../domain/errors.js";
import type { LintFinding } from "../domain/template/lint.js";
import type { Template } from "../domain/template/model.js";
import { newId } from "../ids.js";
import { dialectOf, isUniqueViolation } from "./dialect.js";
import type { Database } from "./schema.js";
import type {
  TemplateHistorySource,
  TemplateHistoryTable,
  TemplateQuality,
  TemplateStatus,
  TemplatesTable,
} from "./tables/templates.js";
import { notifyTemplateStatus } from "./webhook-notify.js";

export type { TemplateHistorySource, TemplateQuality, TemplateStatus } from "./tables/templates.js";
export { TEMPLATE_HISTORY_SOURCES, TEMPLATE_QUALITIES, TEMPLATE_STATUSES } from "./tables/templates.js";

type Db = Kysely<Database> | Transaction<Database>;

/** A stored template as the engine and the API see it. */
export interface StoredTemplate {
  id: string;
  /** null while a draft is not tied to a WhatsApp Business Account. */
  wabaId: string | null;
  senderId: string | null;
  name: string;
  language: string;
  category: Template["category"];
  parameterFormat: Template["parameterFormat"];
  template: Template;
  status: TemplateStatus;
  rejectedReason: string | null;
  quality: TemplateQuality;
  providerTemplateId: string | null;
  lint: LintFinding[];
  submittedAt: number | null;
  statusChangedAt: number;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** One entry of a template's timeline. */
export interface TemplateHistoryEntry {
  id: string;
  at: number;
  source: TemplateHistorySource;
  event: string;
  status: TemplateStatus;
  previousStatus: TemplateStatus | null;
  reason: string | null;
  quality: TemplateQuality | null;
  category: string | null;
}

function toStored(row: Selectable<TemplatesTable>): StoredTemplate {
  // `definition` and `lint` are written only by this module, from validated values.
  const template: Template = JSON.parse(row.definition);
  const lint: LintFinding[] = JSON.parse(row.lint);
  return {
    id: row.id,
    wabaId: row.waba_id === "" ? null : row.waba_id,
    senderId: row.sender_id,
    name: row.name,
    language: row.language,
    category: template.category,
    parameterFormat: template.parameterFormat,
    template,
    status: row.status,
    rejectedReason: row.rejected_reason,
    quality: row.quality,
    providerTemplateId: row.provider_template_id,
    lint,
    submittedAt: row.submitted_at,
    statusChangedAt: row.status_changed_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toEntry(row: Selectable<TemplateHistoryTable>): TemplateHistoryEntry {
  return {
    id: row.id,
    at: row.at,
    source: row.source,
    event: row.event,
    status: row.status,
    previousStatus: row.previous_status,
    reason: row.reason,
    quality: row.quality,
    category: row.category,
  };
}

/** Runs `work` in a transaction, or directly when `db` already is one (Kysely cannot nest them). */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

function duplicate(wabaId: string, name: string, language: string): HeraldError {
  const where = wabaId === "" ? "among drafts without an account" : `on WhatsApp Business Account ${wabaId}`;
  return new HeraldError("conflict", `a template ${name} in ${language} already exists ${where}`, {
    issues: [{ path: "name", message: `${name} (${language}) already exists ${where}` }],
  });
}

/** What a new row holds; the status history starts with `event` from `source`. */
export interface NewTemplate {
  template: Template;
  lint: LintFinding[];
  wabaId: string | null;
  senderId: string | null;
  status: TemplateStatus;
  providerTemplateId?: string | null;
  rejectedReason?: string | null;
  quality?: TemplateQuality;
  createdBy: string | null;
  source: TemplateHistorySource;
  event: string;
}

/** Inserts a template and its first history entry; `conflict` when (WABA, name, language) is taken. */
export async function insertTemplate(db: Db, input: NewTemplate, now: number): Promise<StoredTemplate> {
  const id = newId(now);
  const row: Selectable<TemplatesTable> = {
    id,
    waba_id: input.wabaId ?? "",
    sender_id: input.senderId,
    name: input.template.name,
    language: input.template.language,
    category: input.template.category,
    parameter_format: input.template.parameterFormat,
    definition: JSON.stringify(input.template),
    status: input.status,
    rejected_reason: input.rejectedReason ?? null,
    quality: input.quality ?? "UNKNOWN",
    provider_template_id: input.providerTemplateId ?? null,
    lint: JSON.stringify(input.lint),
    submitted_at: null,
    status_changed_at: now,
    created_by: input.createdBy,
    created_at: now,
    updated_at: now,
  };
  await inTransaction(db, async (trx) => {
    try {
      await trx.insertInto("templates").values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(row.waba_id, row.name, row.language);
      throw err;
    }
    await addHistory(trx, id, { source: input.source, event: input.event, status: input.status }, null, now);
  });
  return toStored(row);
}

/** One template; `not_found` when absent. */
export async function getTemplate(db: Db, id: string): Promise<StoredTemplate> {
  const row = await db.selectFrom("templates").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `template ${id} not found`);
  return toStored(row);
}

/** The template Meta knows by `providerTemplateId` on a WABA (deleted ones included), if Herald has it. */
export async function findTemplateByProviderId(
  db: Db,
  wabaId: string,
  providerTemplateId: string,
): Promise<StoredTemplate | undefined> {
  const row = await db
    .selectFrom("templates")
    .selectAll()
    .where("waba_id", "=", wabaId)
    .where("provider_template_id", "=", providerTemplateId)
    .orderBy("id", "desc")
    .executeTakeFirst();
  return row && toStored(row);
}

/** The live (not deleted) template with this key; `wabaId` null looks among unassigned drafts. */
export async function findTemplateByKey(
  db: Db,
  wabaId: string | null,
  name: string,
  language: string,
): Promise<StoredTemplate | undefined> {
  const row = await db
    .selectFrom("templates")
    .selectAll()
    .where("waba_id", "=", wabaId ?? "")
    .where("name", "=", name)
    .where("language", "=", language)
    .where("status", "<>", "DELETED")
    .executeTakeFirst();
  return row && toStored(row);
}

/** Every live template of a WABA that Meta has an id for: what a sync compares with the provider's list. */
export async function listSubmittedTemplates(db: Db, wabaId: string): Promise<StoredTemplate[]> {
  const rows = await db
    .selectFrom("templates")
    .selectAll()
    .where("waba_id", "=", wabaId)
    .where("provider_template_id", "is not", null)
    .where("status", "<>", "DELETED")
    .orderBy("id")
    .execute();
  return rows.map(toStored);
}

/** The languages of one template on a WABA (Meta treats them as variants of one name). */
export async function listVariants(
  db: Db,
  wabaId: string | null,
  name: string,
): Promise<Pick<StoredTemplate, "id" | "language" | "status">[]> {
  const rows = await db
    .selectFrom("templates")
    .select(["id", "language", "status"])
    .where("waba_id", "=", wabaId ?? "")
    .where("name", "=", name)
    .where("status", "<>", "DELETED")
    .orderBy("language")
    .execute();
  return rows;
}

/** List filters; statuses default to every status but DELETED. */
export interface TemplateFilter {
  statuses?: TemplateStatus[];
  category?: Template["category"];
  wabaId?: string;
  /** Case-insensitive substring of the name or the content. */
  search?: string;
  limit: number;
  /** The last id of the previous page. */
  cursor?: string;
}

/** One page of templates, newest first, and the cursor of the next page (null on the last one). */
export async function listTemplates(
  db: Db,
  filter: TemplateFilter,
): Promise<{ data: StoredTemplate[]; nextCursor: string | null }> {
  let query = db.selectFrom("templates").selectAll();
  if (filter.statuses && filter.statuses.length > 0) query = query.where("status", "in", filter.statuses);
  else query = query.where("status", "<>", "DELETED");
  if (filter.category) query = query.where("category", "=", filter.category);
  if (filter.wabaId !== undefined) query = query.where("waba_id", "=", filter.wabaId);
  if (filter.cursor !== undefined) query = query.where("id", "<", filter.cursor);
  if (filter.search !== undefined && filter.search !== "") {
    // User text is bound as a LIKE pattern with its wildcards escaped, never spliced into SQL.
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = sql.raw(dialectOf(db).caseInsensitiveLike);
    query = query.where(
      sql<boolean>`(name ${like} ${pattern} escape '\\' or definition ${like} ${pattern} escape '\\')`,
    );
  }
  const rows = await query
    .orderBy("id", "desc")
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit).map(toStored);
  const last = page.at(-1);
  return { data: page, nextCursor: rows.length > filter.limit && last ? last.id : null };
}

/** True when some template waits for Meta's review: the periodic sync then looks again sooner. */
export async function hasPendingTemplates(db: Db): Promise<boolean> {
  const row = await db.selectFrom("templates").select("id").where("status", "=", "PENDING").executeTakeFirst();
  return row !== undefined;
}

/** Replaces a template's content (and the columns derived from it); `conflict` when the new key is taken. */
export async function updateTemplateContent(
  db: Db,
  id: string,
  content: { template: Template; lint: LintFinding[]; wabaId?: string | null },
  now: number,
): Promise<StoredTemplate> {
  const { template } = content;
  const set: Partial<Selectable<TemplatesTable>> = {
    name: template.name,
    language: template.language,
    category: template.category,
    parameter_format: template.parameterFormat,
    definition: JSON.stringify(template),
    lint: JSON.stringify(content.lint),
    updated_at: now,
  };
  if (content.wabaId !== undefined) set.waba_id = content.wabaId ?? "";
  try {
    const result = await db.updateTable("templates").set(set).where("id", "=", id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new HeraldError("not_found", `template ${id} not found`);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(content.wabaId ?? "", template.name, template.language);
    throw err;
  }
  return getTemplate(db, id);
}

/** A change of status, quality, category or provider identity, and how the timeline records it. */
export interface TemplateChange {
  source: TemplateHistorySource;
  event: string;
  status: TemplateStatus;
  reason?: string | null;
  quality?: TemplateQuality;
  category?: Template["category"];
  providerTemplateId?: string;
  wabaId?: string;
  senderId?: string | null;
  submittedAt?: number;
  /** When the change happened (Meta's event time when known); defaults to `now`. */
  at?: number;
}

/**
 * Applies a change to a template and appends it to the timeline; call it inside a transaction. The rejection
 * reason is kept only while the template is REJECTED; a category change is written into the stored content too.
 */
export async function recordTemplateChange(
  db: Db,
  current: StoredTemplate,
  change: TemplateChange,
  now: number,
): Promise<StoredTemplate> {
  const at = change.at ?? now;
  const set: Partial<Selectable<TemplatesTable>> = { status: change.status, updated_at: now };
  if (change.status !== current.status) set.status_changed_at = at;
  set.rejected_reason = change.status === "REJECTED" ? (change.reason ?? current.rejectedReason) : null;
  if (change.quality !== undefined) set.quality = change.quality;
  if (change.category !== undefined && change.category !== current.category) {
    set.category = change.category;
    set.definition = JSON.stringify({ ...current.template, category: change.category });
  }
  if (change.providerTemplateId !== undefined) set.provider_template_id = change.providerTemplateId;
  if (change.wabaId !== undefined) set.waba_id = change.wabaId;
  if (change.senderId !== undefined) set.sender_id = change.senderId;
  if (change.submittedAt !== undefined) set.submitted_at = change.submittedAt;
  try {
    await db.updateTable("templates").set(set).where("id", "=", current.id).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(change.wabaId ?? "", current.name, current.language);
    throw err;
  }
  await addHistory(db, current.id, change, current, at);
  const updated = await getTemplate(db, current.id);
  await notifyTemplateStatus(db, current, updated, change.event, at, now);
  return updated;
}

async function addHistory(
  db: Db,
  templateId: string,
  change: Pick<TemplateChange, "source" | "event" | "status" | "reason" | "quality" | "category">,
  current: StoredTemplate | null,
  at: number,
): Promise<void> {
  await db
    .insertInto("template_history")
    .values({
      id: newId(at),
      template_id: templateId,
      at,
      source: change.source,
      event: change.event,
      status: change.status,
      previous_status: current?.status ?? null,
      reason: change.reason ?? null,
      quality: change.quality !== undefined && change.quality !== current?.quality ? change.quality : null,
      category: change.category !== undefined && change.category !== current?.category ? change.category : null,
    })
    .execute();
}

/** A template's timeline, oldest first. */
export async function listTemplateHistory(db: Db, templateId: string): Promise<TemplateHistoryEntry[]> {
  const rows = await db
    .selectFrom("template_history")
    .selectAll()
    .where("template_id", "=", templateId)
    .orderBy("at")
    .orderBy("id")
    .execute();
  return rows.map(toEntry);
}

/** Removes a template and its timeline (drafts that never reached Meta); `not_found` when absent. */
export async function deleteTemplateRow(db: Db, id: string): Promise<void> {
  const result = await db.deleteFrom("templates").where("id", "=", id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new HeraldError("not_found", `template ${id} not found`);
}
