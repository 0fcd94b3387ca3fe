/**
 * The template lifecycle: author a draft (checked against Meta's rules, linted for approval risk), submit it to a
 * WhatsApp Business Account through the Provider port (→ PENDING), follow Meta's verdicts and quality changes
 * (`applyTemplateStatusUpdate`, called by the webhook applier; `template-sync.ts` polls), and delete it here and at
 * the provider. Every status change lands in the template's timeline (store/templates.ts).
 */
import type { Kysely, Transaction } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { type LintFinding, lintTemplate } from "../domain/template/lint.js";
import type { Template } from "../domain/template/model.js";
import type { TemplateIssue } from "../domain/template/rules.js";
import { assertValidTemplate, validateTemplate } from "../domain/template/validate.js";
import type { Database } from "../store/schema.js";
import { getSender } from "../store/senders.js";
import {
  deleteTemplateRow,
  findTemplateByKey,
  findTemplateByProviderId,
  getTemplate,
  insertTemplate,
  inTransaction,
  recordTemplateChange,
  type StoredTemplate,
  updateTemplateContent,
} from "../store/templates.js";
import { toTemplateDefinition } from "../whatsapp/template-definition.js";
import {
  handleForSender,
  handleForWaba,
  isMissingTemplate,
  providerFailure,
  type TemplateDeps,
} from "./template-provider.js";
import { changeEvent, knownCategory, knownQuality, knownStatus, statusOfEvent } from "./template-status.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Meta's rule violations and the approval-risk findings of a template. */
export interface TemplateCheck {
  valid: boolean;
  issues: TemplateIssue[];
  warnings: LintFinding[];
}

/** Checks a template without saving it: Meta's hard rules and the lint, for live authoring. */
export function checkTemplate(template: Template): TemplateCheck {
  const issues = validateTemplate(template);
  return { valid: issues.length === 0, issues, warnings: lintTemplate(template) };
}

/** The WABA a sender is on; a missing sender is the caller's mistake, named by `senderId`. */
async function wabaOfSender(db: Db, senderId: string): Promise<string> {
  try {
    return (await getSender(db, senderId)).wabaId;
  } catch (err) {
    if (err instanceof HeraldError && err.code === "not_found") {
      throw new HeraldError("validation_failed", `sender ${senderId} does not exist`, {
        issues: [{ path: "senderId", message: "no such sender" }],
      });
    }
    throw err;
  }
}

/** Saves a new DRAFT after Meta's rules pass (`validation_failed` lists every broken rule otherwise). */
export async function createTemplateDraft(
  db: Db,
  input: { template: Template; senderId: string | null; createdBy: string | null },
  now: number,
): Promise<StoredTemplate> {
  assertValidTemplate(input.template);
  const wabaId = input.senderId === null ? null : await wabaOfSender(db, input.senderId);
  return insertTemplate(
    db,
    {
      template: input.template,
      lint: lintTemplate(input.template),
      wabaId,
      senderId: input.senderId,
      status: "DRAFT",
      createdBy: input.createdBy,
      source: "create",
      event: "CREATED",
    },
    now,
  );
}

/**
 * Replaces the content of a DRAFT or REJECTED template (the others are under review or in use: `conflict`). A
 * template that reached Meta keeps its name, language and account, because resubmission replaces Meta's copy.
 */
export async function updateTemplateDraft(
  db: Db,
  id: string,
  input: { template: Template; senderId?: string | null },
  now: number,
): Promise<StoredTemplate> {
  const current = await getTemplate(db, id);
  if (current.status !== "DRAFT" && current.status !== "REJECTED") {
    throw new HeraldError("conflict", `template ${id} is ${current.status}; only drafts and rejected ones can change`);
  }
  assertValidTemplate(input.template);
  let wabaId: string | null | undefined;
  if (input.senderId !== undefined) wabaId = input.senderId === null ? null : await wabaOfSender(db, input.senderId);
  if (current.providerTemplateId !== null) {
    const fixed: { path: string; message: string }[] = [];
    if (input.template.name !== current.name) fixed.push({ path: "name", message: "cannot change after submission" });
    if (input.template.language !== current.language) {
      fixed.push({ path: "language", message: "cannot change after submission" });
    }
    if (wabaId !== undefined && wabaId !== current.wabaId) {
      fixed.push({ path: "senderId", message: "must be on the account the template was submitted to" });
    }
    if (fixed.length > 0) {
      throw new HeraldError("validation_failed", "a submitted template keeps its name, language and account", {
        issues: fixed,
      });
    }
  }
  return updateTemplateContent(
    db,
    id,
    { template: input.template, lint: lintTemplate(input.template), ...(wabaId === undefined ? {} : { wabaId }) },
    now,
  );
}

/**
 * Submits a DRAFT or REJECTED template for review on the WABA of `senderId` and records PENDING. A rejected one is
 * first deleted at Meta (the port has no edit call; Meta keys templates by name and language). Nothing is written
 * when the provider refuses.
 */
export async function submitTemplate(
  deps: TemplateDeps,
  id: string,
  senderId: string,
  now: number,
): Promise<StoredTemplate> {
  const db = deps.store.db;
  const current = await getTemplate(db, id);
  if (current.status !== "DRAFT" && current.status !== "REJECTED") {
    throw new HeraldError(
      "conflict",
      `template ${id} is ${current.status}; only drafts and rejected ones are submitted`,
    );
  }
  assertValidTemplate(current.template);
  const wabaId = await wabaOfSender(db, senderId);
  if (current.wabaId !== null && current.wabaId !== wabaId) {
    throw new HeraldError(
      "validation_failed",
      `template ${id} belongs to WhatsApp Business Account ${current.wabaId}`,
      {
        issues: [{ path: "senderId", message: `must be a sender on account ${current.wabaId}` }],
      },
    );
  }
  // Refuse before calling Meta when another Herald template already holds this key on the account.
  const holder = await findTemplateByKey(db, wabaId, current.name, current.language);
  if (holder && holder.id !== id) {
    throw new HeraldError("conflict", `template ${holder.id} already is ${current.name} (${current.language})`, {
      issues: [{ path: "name", message: "already used on this account" }],
    });
  }
  const { provider, ref } = await handleForSender(deps, senderId);
  try {
    if (current.providerTemplateId !== null) {
      await provider.deleteTemplate(ref, current.name, current.providerTemplateId).catch((err: unknown) => {
        if (!isMissingTemplate(err)) throw err;
      });
    }
  } catch (err) {
    throw providerFailure(err, "replacing the rejected template at the provider failed");
  }
  let created: Awaited<ReturnType<typeof provider.createTemplate>>;
  try {
    created = await provider.createTemplate(ref, toTemplateDefinition(current.template));
  } catch (err) {
    throw providerFailure(err, "submitting the template failed");
  }
  const status = knownStatus(created.status) ?? "PENDING";
  const category = knownCategory(created.category);
  return inTransaction(db, async (trx) => {
    const fresh = await getTemplate(trx, id);
    // A webhook for the new id may have arrived first (it matches by name and language): keep its verdict.
    const raced = fresh.providerTemplateId === created.id;
    return recordTemplateChange(
      trx,
      fresh,
      {
        source: "submit",
        event: "SUBMITTED",
        status: raced ? fresh.status : status,
        reason: null,
        ...(category === undefined ? {} : { category }),
        providerTemplateId: created.id,
        wabaId,
        senderId,
        submittedAt: now,
      },
      now,
    );
  });
}

/**
 * Deletes a template: a draft Meta never saw is removed with its timeline; a submitted one is deleted at the provider
 * (this language only) and kept as DELETED for its history. Deleting a DELETED template changes nothing.
 */
export async function deleteTemplate(deps: TemplateDeps, id: string, now: number): Promise<StoredTemplate | null> {
  const db = deps.store.db;
  const current = await getTemplate(db, id);
  if (current.status === "DELETED") return current;
  if (current.providerTemplateId === null || current.wabaId === null) {
    await deleteTemplateRow(db, id);
    return null;
  }
  const { provider, ref, creds } = await handleForWaba(deps, current.wabaId, current.senderId);
  try {
    await provider.deleteTemplate(ref, current.name, current.providerTemplateId);
  } catch (err) {
    if (!isMissingTemplate(err)) throw providerFailure(err, "deleting the template at the provider failed");
  }
  return inTransaction(db, async (trx) =>
    recordTemplateChange(
      trx,
      await getTemplate(trx, id),
      { source: "delete", event: "DELETED", status: "DELETED", senderId: creds.sender.id },
      now,
    ),
  );
}

/** A template status, quality or category update from Meta (a webhook), as the applier passes it. */
export interface TemplateStatusUpdate {
  wabaId: string;
  providerTemplateId: string;
  name: string;
  language: string;
  /** `event` of message_template_status_update (APPROVED, REJECTED, PAUSED, REINSTATED, …); absent otherwise. */
  event?: string | undefined;
  /** Meta's `reason` ("NONE" when there is none). */
  reason?: string | undefined;
  /** `message_template_category`, or `new_category` of template_category_update. */
  category?: string | undefined;
  /** `new_quality_score` of message_template_quality_update. */
  quality?: string | undefined;
  /**
   * The event's time (epoch ms; Meta sends whole seconds), when known: an update at least a second older than the
   * stored status is ignored as reordered. Leave it out when the clock that produced it is not the wall clock.
   */
  time?: number | undefined;
}

export type TemplateUpdateOutcome =
  | { outcome: "applied" | "unchanged" | "stale" | "ignored_deleted"; templateId: string }
  | { outcome: "unknown_template" | "unknown_event" };

/**
 * Applies one update from Meta to the template it names and records it in the timeline. Idempotent: a duplicate
 * delivery changes nothing (`unchanged`). A template Herald does not have yet is left to the next sync, which
 * imports it (`unknown_template`). Call inside the applier's transaction, or with `db` (it opens its own).
 */
export async function applyTemplateStatusUpdate(
  db: Db,
  update: TemplateStatusUpdate,
  now: number,
): Promise<TemplateUpdateOutcome> {
  const status = update.event === undefined ? undefined : statusOfEvent(update.event);
  if (update.event !== undefined && status === undefined) return { outcome: "unknown_event" };
  return inTransaction(db, async (trx) => {
    let current = await findTemplateByProviderId(trx, update.wabaId, update.providerTemplateId);
    if (!current) {
      // A webhook may beat the submit's own write; Meta's key (WABA, name, language) then identifies the template.
      const byKey = await findTemplateByKey(trx, update.wabaId, update.name, update.language);
      if (byKey && byKey.status !== "DRAFT") current = byKey;
    }
    if (!current) return { outcome: "unknown_template" };
    if (current.status === "DELETED") return { outcome: "ignored_deleted", templateId: current.id };
    // Meta's event times are whole seconds: an event within the second of the last change is not called stale.
    if (update.time !== undefined && update.time + 1_000 <= current.statusChangedAt) {
      return { outcome: "stale", templateId: current.id };
    }
    const quality = knownQuality(update.quality);
    const category = knownCategory(update.category);
    const next = status ?? current.status;
    const reason = update.reason === undefined || update.reason === "NONE" ? null : update.reason;
    const changed =
      next !== current.status ||
      (next === "REJECTED" && reason !== null && reason !== current.rejectedReason) ||
      (quality !== undefined && quality !== current.quality) ||
      (category !== undefined && category !== current.category) ||
      current.providerTemplateId !== update.providerTemplateId;
    if (!changed) return { outcome: "unchanged", templateId: current.id };
    await recordTemplateChange(
      trx,
      current,
      {
        source: "webhook",
        event: update.event?.toUpperCase() ?? changeEvent(current, next, quality, category),
        status: next,
        reason,
        ...(quality === undefined ? {} : { quality }),
        ...(category === undefined ? {} : { category }),
        providerTemplateId: update.providerTemplateId,
        // Never before the change it follows, so the timeline keeps its order despite the second-resolution time.
        ...(update.time === undefined ? {} : { at: Math.max(update.time, current.statusChangedAt) }),
      },
      now,
    );
    return { outcome: "applied", templateId: current.id };
  });
}
