import { type QuietHoursPolicy, recipientTimeZone, resumedDueAt } from "../domain/campaign/quiet-hours.js";
import { requiredPlaces, type VariableMapping } from "../domain/campaign/variables.js";
import type { FieldIssue } from "../domain/errors.js";
import { HeraldError } from "../domain/errors.js";
import { normalizePhone } from "../domain/phone/index.js";
import type { CampaignEstimate } from "../domain/pricing/estimate.js";
import { compareProviders } from "../domain/pricing/providers.js";
import { renderTemplate } from "../domain/template/render.js";
import { newId } from "../ids.js";
import { overdueQueuedRecipients, setQueuedDueAt } from "../store/campaign-resume.js";
import {
  type Campaign,
  createCampaign,
  getCampaign,
  type NewCampaign,
  transitionCampaign,
  updateDraftCampaign,
} from "../store/campaigns.js";
import type { Store } from "../store/db.js";
import { countMessagesByStatus, countSkippedByReason, insertMessages } from "../store/messages.js";
import { getSegment } from "../store/segments.js";
import { getSender } from "../store/senders.js";
import { getTemplate } from "../store/templates.js";
import type { EngineHandle } from "./engine.js";
import { previewCampaign } from "./launcher.js";
import { templateMessage } from "./template-message.js";

/**
 * Campaign actions the API and the CLI call: the lifecycle (launch, pause, resume, cancel), the
 * pre-launch preview, a test send, and live progress. The loops (launcher, dispatcher, scheduler)
 * do the work; these functions change state and poke them.
 */
export interface CampaignDeps {
  store: Store;
  now: () => number;
  engine: EngineHandle;
}

export type CampaignInput = Omit<NewCampaign, "category" | "createdBy">;

async function checkReferences(store: Store, input: Partial<CampaignInput>): Promise<string> {
  const issues: FieldIssue[] = [];
  let category = "MARKETING";
  if (input.senderId !== undefined)
    await getSender(store.db, input.senderId).catch(() => issues.push({ path: "senderId", message: "no such sender" }));
  if (input.segmentId)
    await getSegment(store.db, input.segmentId).catch(() =>
      issues.push({ path: "segmentId", message: "no such segment" }),
    );
  if (input.templateId !== undefined) {
    const template = await getTemplate(store.db, input.templateId).catch(() => null);
    if (!template) issues.push({ path: "templateId", message: "no such template" });
    else {
      category = template.category;
      const mapping = input.variables ?? {};
      for (const place of requiredPlaces(template.template)) {
        if (!mapping[place])
          issues.push({
            path: `variables.${place}`,
            message: "the template needs a value here: map it to a field, attribute, metric or constant",
          });
      }
    }
  }
  if (input.schedule?.kind === "at" && input.schedule.at === null)
    issues.push({ path: "schedule.at", message: "required when kind is at" });
  if (issues.length > 0)
    throw new HeraldError(
      "validation_failed",
      `invalid campaign: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      { issues },
    );
  return category;
}

/** Creates a draft after checking its sender, template, segment and that every template variable is mapped. */
export async function createDraft(
  deps: CampaignDeps,
  input: CampaignInput,
  createdBy: string | null,
): Promise<Campaign> {
  const category = await checkReferences(deps.store, input);
  return createCampaign(deps.store.db, { ...input, category, createdBy }, deps.now());
}

/** Changes a draft (same checks as creating it). */
export async function changeDraft(deps: CampaignDeps, id: string, patch: Partial<CampaignInput>): Promise<Campaign> {
  const current = await getCampaign(deps.store.db, id);
  const merged = { templateId: current.templateId, variables: current.variables, ...patch };
  const category = await checkReferences(deps.store, merged);
  return updateDraftCampaign(deps.store.db, id, { ...patch, category }, deps.now());
}

/**
 * Launches a draft: checks what must hold at send time (an APPROVED template, an enabled sender, a
 * segment), then `scheduled` for a future time, or `launching` now — the scheduler snapshots the
 * audience and the dispatcher starts sending.
 */
export async function launch(deps: CampaignDeps, id: string): Promise<Campaign> {
  const campaign = await getCampaign(deps.store.db, id);
  const issues: FieldIssue[] = [];
  const template = await getTemplate(deps.store.db, campaign.templateId);
  if (template.status !== "APPROVED")
    issues.push({
      path: "templateId",
      message: `the template is ${template.status}; only APPROVED templates can be sent`,
    });
  const sender = await getSender(deps.store.db, campaign.senderId);
  if (sender.disabled) issues.push({ path: "senderId", message: "the sender is disabled" });
  if (!campaign.segmentId) issues.push({ path: "segmentId", message: "choose a segment" });
  if (template.wabaId !== null && template.wabaId !== sender.wabaId) {
    issues.push({
      path: "templateId",
      message: "the template belongs to another WhatsApp Business Account than the sender",
    });
  }
  if (issues.length > 0)
    throw new HeraldError("conflict", `campaign cannot launch: ${issues.map((i) => i.message).join("; ")}`, { issues });
  const future = campaign.schedule.kind === "at" && (campaign.schedule.at ?? 0) > deps.now();
  const next = await transitionCampaign(deps.store.db, id, future ? "scheduled" : "launching", deps.now());
  if (!future) void deps.engine.tickScheduler();
  return next;
}

/** Pauses sending (takes effect at the dispatcher's next claim, within a second). */
export async function pause(deps: CampaignDeps, id: string): Promise<Campaign> {
  return transitionCampaign(deps.store.db, id, "paused", deps.now());
}

/**
 * Resumes a paused campaign. With quiet hours, recipients whose time passed during the pause and for whom it is
 * quiet hours now are first moved to the window's end, so the dispatcher's claim stays a plain `due_at <= now`.
 */
export async function resume(deps: CampaignDeps, id: string): Promise<Campaign> {
  const current = await getCampaign(deps.store.db, id);
  if (current.status === "paused" && current.quietHours !== null)
    await deferOverdueInQuietHours(deps.store, current, current.quietHours, deps.now());
  const campaign = await transitionCampaign(deps.store.db, id, "running", deps.now(), { last_error: null });
  deps.engine.wakeDispatcher();
  return campaign;
}

const RESUME_PAGE = 2_000;

/** Moves the campaign's overdue queued rows out of each recipient's current quiet hours; returns how many moved. */
export async function deferOverdueInQuietHours(
  store: Store,
  campaign: Campaign,
  policy: QuietHoursPolicy,
  now: number,
): Promise<number> {
  let after = 0;
  let moved = 0;
  for (;;) {
    const page = await overdueQueuedRecipients(store.db, campaign.id, now, after, RESUME_PAGE);
    if (page.length === 0) return moved;
    after = page.at(-1)!.contactSeq;
    const byDueAt = new Map<number, string[]>();
    for (const row of page) {
      const phone = normalizePhone(`+${row.toPhone}`);
      const zone = recipientTimeZone(row.timeZone, phone.ok ? phone.country : null);
      const next = resumedDueAt(row.dueAt, now, zone, policy);
      if (next === null) continue;
      const ids = byDueAt.get(next) ?? [];
      ids.push(row.id);
      byDueAt.set(next, ids);
      moved += 1;
    }
    await store.db.transaction().execute((trx) => setQueuedDueAt(trx, byDueAt));
  }
}

/** Cancels: nothing more is sent; every still-queued recipient becomes `skipped` / `cancelled` (all accounted for). */
export async function cancel(deps: CampaignDeps, id: string): Promise<Campaign> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const campaign = await transitionCampaign(trx, id, "cancelled", now);
    await trx
      .updateTable("messages")
      .set({ status: "skipped", skip_reason: "cancelled" })
      .where("campaign_id", "=", id)
      .where("status", "=", "queued")
      .execute();
    return campaign;
  });
}

/** The audience after each gate and the cost estimate, as a launch now would find them (nothing is written). */
export async function preview(deps: CampaignDeps, id: string) {
  const campaign = await getCampaign(deps.store.db, id);
  const { audience, estimate } = await previewCampaign(campaign, { store: deps.store, now: deps.now });
  return { audience, estimate, providers: providerComparison(estimate) };
}

/**
 * The estimate across providers' plans (issue 5), with this campaign's sends as one month's volume: each plan's
 * own fees on top of Meta's price, cheapest first. The plans are editable examples (domain/pricing/providers.ts).
 */
export function providerComparison(estimate: CampaignEstimate) {
  const messagesPerMonth = estimate.recipients;
  return {
    messagesPerMonth,
    currency: "USD" as const,
    plans: compareProviders(messagesPerMonth, estimate.totalMicroUsd).map((c) => ({
      planId: c.plan.id,
      name: c.plan.name,
      monthlyFeeMicroUsd: c.plan.monthlyFeeMicroUsd,
      perMessageMicroUsd: c.plan.perMessageMicroUsd,
      freeMessagesPerMonth: c.plan.freeMessagesPerMonth,
      providerMicroUsd: c.providerMicroUsd,
      totalMicroUsd: c.totalMicroUsd,
    })),
  };
}

/**
 * Sends the campaign's template to one number with the mapping's constants and fallbacks (or the
 * template's samples), as a `test` message outside the campaign's counts.
 */
export async function testSend(deps: CampaignDeps, id: string, to: string): Promise<{ messageId: string }> {
  const campaign = await getCampaign(deps.store.db, id);
  const phone = normalizePhone(to);
  if (!phone.ok)
    throw new HeraldError("validation_failed", `invalid phone: ${phone.message}`, {
      issues: [{ path: "to", message: phone.message }],
    });
  const template = await getTemplate(deps.store.db, campaign.templateId);
  if (template.status !== "APPROVED")
    throw new HeraldError("conflict", `the template is ${template.status}; only APPROVED templates can be sent`);
  const values = sampleValues(campaign.variables, template.template.examples);
  const rendered = renderTemplate(template.template, values);
  if (!rendered.ok) {
    throw new HeraldError(
      "validation_failed",
      "the template cannot be filled with the mapping's constants, fallbacks or samples",
      {
        issues: rendered.issues.map((i) => ({ path: `variables.${i.path}`, message: i.message })),
      },
    );
  }
  const now = deps.now();
  const messageId = newId(now);
  await insertMessages(deps.store.db, [
    {
      id: messageId,
      campaign_id: null,
      contact_seq: null,
      sender_id: campaign.senderId,
      to_phone: phone.digits,
      origin: "test",
      category: template.category.toLowerCase(),
      payload: JSON.stringify(templateMessage(phone.digits, template.name, template.language, rendered.components)),
      status: "queued",
      skip_reason: null,
      due_at: now,
      created_at: now,
    },
  ]);
  deps.engine.wakeDispatcher();
  return { messageId };
}

function sampleValues(mapping: VariableMapping, examples: Record<string, string>) {
  const body: Record<string, string> = { ...examples };
  const buttons: Record<string, string> = {};
  let header: string | undefined;
  for (const [place, source] of Object.entries(mapping)) {
    const value = source.from === "constant" ? source.value : (source.fallback ?? examples[place] ?? "");
    if (value === "") continue;
    if (place === "header") header = value;
    else if (place.startsWith("button.")) buttons[place.slice(7)] = value;
    else body[place] = value;
  }
  return { body, buttons, ...(header ? { header: { kind: "text" as const, text: header } } : {}) };
}

/** Live progress: counts per state, the launch audience, and the send rate and ETA over the last 10 seconds. */
export async function progress(deps: CampaignDeps, id: string) {
  const campaign = await getCampaign(deps.store.db, id);
  const counts = await countMessagesByStatus(deps.store.db, id);
  const skippedByReason = counts.skipped > 0 ? await countSkippedByReason(deps.store.db, id) : {};
  const since = deps.now() - 10_000;
  const recent = await deps.store.db
    .selectFrom("messages")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", id)
    .where("sent_at", ">", since)
    .executeTakeFirstOrThrow();
  const ratePerSecond = Number(recent.n) / 10;
  const remaining = counts.queued + counts.sending;
  // Recipients not due yet (quiet hours, their best hour, the tier's next window): the ETA is at least their wait.
  const now = deps.now();
  const later =
    counts.queued === 0
      ? null
      : await deps.store.db
          .selectFrom("messages")
          .select((eb) => [
            eb.fn.countAll<number>().as("n"),
            eb.fn.min<number>("due_at").as("first"),
            eb.fn.max<number>("due_at").as("last"),
          ])
          .where("campaign_id", "=", id)
          .where("status", "=", "queued")
          .where("due_at", ">", now)
          .executeTakeFirstOrThrow();
  const waiting = Number(later?.n ?? 0);
  const waitSeconds = waiting > 0 ? Math.ceil((Number(later!.last) - now) / 1000) : 0;
  const rateSeconds = ratePerSecond > 0 ? Math.ceil(remaining / ratePerSecond) : null;
  return {
    campaignId: id,
    status: campaign.status,
    audience: campaign.audience,
    counts,
    skippedByReason,
    ratePerSecond,
    etaSeconds: remaining === 0 ? 0 : waiting > 0 ? Math.max(rateSeconds ?? 0, waitSeconds) : rateSeconds,
    waiting,
    nextDueAt: waiting > 0 ? Number(later!.first) : null,
    lastError: campaign.lastError,
  };
}
