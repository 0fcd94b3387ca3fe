/**
 * The launcher: a campaign's segment → its audience snapshot in `messages` (DESIGN §2 "Campaign").
 *
 * Input: a campaign in `launching`, its sender, its approved template and its segment.
 * Output: one `messages` row per contact of the segment (the default exclusions are NOT applied in
 * SQL: they are gates here, so every excluded contact is a `skipped` row with its reason), either
 * `queued` with its due time and the rendered template, or `skipped` with the reason: invalid
 * number, opted out / not opted in, inactive 90 days, frequency cap, missing or invalid variable.
 * Recipients beyond the sender's daily tier are queued for the next 24-hour window, not dropped.
 * Then the campaign → `running` with the audience counts.
 * Pages of PAGE contacts in seq order, one transaction per page: memory stays flat whatever the size.
 * Crash: the campaign stays `launching`; the scheduler calls `launchCampaign` again, which continues
 * after the highest contact already written; the unique (campaign, contact) key makes a repeated
 * page insert nothing twice (ON CONFLICT DO NOTHING).
 */
import { audienceGate, type SkipReason, tierRemaining } from "../domain/campaign/gates.js";
import { quietDueAt, recipientTimeZone } from "../domain/campaign/quiet-hours.js";
import { bestLocalHour, DEFAULT_BEST_HOUR, nextLocalHour } from "../domain/campaign/send-time.js";
import { resolveVariables } from "../domain/campaign/variables.js";
import { DEFAULT_FREQUENCY_CAP, type FrequencyCapPolicy } from "../domain/consent/frequency-cap.js";
import type { ConsentCategory } from "../domain/consent/state.js";
import { HeraldError } from "../domain/errors.js";
import { storedPhoneCountry, storedPhoneDigits } from "../domain/phone/stored.js";
import { type CampaignEstimate, countByMarket, estimateCampaignCost } from "../domain/pricing/estimate.js";
import { isMessagingTier, tierLimit } from "../domain/sender/tiers.js";
import { renderTemplate } from "../domain/template/render.js";
import { newId } from "../ids.js";
import { insertLinkCodes, type NewLinkCode } from "../store/analytics-links.js";
import { segmentBestHour } from "../store/analytics-reports.js";
import {
  type AudienceRow,
  audiencePage,
  isMetricColumn,
  lastLaunchedSeq,
  type MetricColumn,
} from "../store/campaign-audience.js";
import { type Campaign, type CampaignAudience, getCampaign, transitionCampaign } from "../store/campaigns.js";
import { consentOf } from "../store/contacts.js";
import type { Store } from "../store/db.js";
import { insertMessages, type NewMessage } from "../store/messages.js";
import { lastMarketingTimes, readTimes, uniqueBusinessInitiatedRecipients } from "../store/messages-gates.js";
import { getSegment } from "../store/segments.js";
import { segmentWhere } from "../store/segments-query.js";
import { getSender } from "../store/senders.js";
import { getTemplate } from "../store/templates.js";
import { trackedLinks } from "./link-tracking.js";
import { templateMessage } from "./template-message.js";

const PAGE = 2_000;
const DAY_MS = 86_400_000;

export interface LaunchOptions {
  store: Store;
  now: () => number;
  cap?: FrequencyCapPolicy;
  /** Called after each page with the running totals (progress for the UI). */
  onProgress?: (audience: CampaignAudience) => void;
  /** Contacts per page (one transaction each); tests make it small to interrupt a launch between pages. */
  pageSize?: number;
  /** When given, the CPU time (µs, this process) of each phase is added to it (the launch bench prints it). */
  phases?: LaunchPhases;
}

/** CPU µs per phase of a launch: reading the pages and the gates' history, deciding each contact, writing. */
export interface LaunchPhases {
  read: number;
  decide: number;
  write: number;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

interface PlanContext {
  campaign: Campaign;
  store: Store;
  now: () => number;
  cap: FrequencyCapPolicy;
  /** Continue after this contact seq (a resumed launch). */
  after: number;
  pageSize: number;
  phases: LaunchPhases | undefined;
}

/**
 * The recipients of a campaign, page by page, each already decided: a `queued` row with its rendered
 * message, or a `skipped` row with its reason. Shared by the launch (which writes them) and the
 * pre-launch preview (which only counts them), so both apply exactly the same gates.
 */
async function* plannedPages(ctx: PlanContext): AsyncGenerator<{ rows: NewMessage[]; links: NewLinkCode[] }> {
  const { campaign, store, now, cap } = ctx;
  const db = store.db;
  if (!campaign.segmentId)
    throw new HeraldError("validation_failed", "the campaign has no segment", {
      issues: [{ path: "segmentId", message: "required to launch" }],
    });
  const [sender, template, definition] = await Promise.all([
    getSender(db, campaign.senderId),
    getTemplate(db, campaign.templateId),
    getSegment(db, campaign.segmentId),
  ]);
  const category = template.category as ConsentCategory;
  const metaCategory = template.category.toLowerCase();
  // Without the default exclusions: they are gates below, so each excluded contact is a skipped row with its reason.
  const where = await segmentWhere(db, definition, now(), { withExclusions: false });
  const limit = isMessagingTier(sender.messagingTier) ? tierLimit(sender.messagingTier) : Number.POSITIVE_INFINITY;
  let budget = tierRemaining(await uniqueBusinessInitiatedRecipients(db, sender.id, now() - DAY_MS), limit);
  let after = ctx.after;
  // The campaign's best-hour fallback: its segment's best local hour from past campaigns (the heatmap), else 10h.
  const fallbackHour =
    campaign.schedule.kind === "best_hour"
      ? ((await segmentBestHour(db, campaign.segmentId, now())) ?? DEFAULT_BEST_HOUR)
      : DEFAULT_BEST_HOUR;
  // Only what the variables read: the metric columns they name, and the attributes JSON only if one reads it.
  const sources = Object.values(campaign.variables);
  const metricColumns = [
    ...new Set(sources.flatMap((v) => (v.from === "metric" && isMetricColumn(v.name) ? [v.name] : []))),
  ];
  const readsAttributes = sources.some((v) => v.from === "attribute");
  const noAttributes: Record<string, unknown> = {};
  for (;;) {
    const readStart = ctx.phases ? cpuMicros() : 0;
    const page = await audiencePage(db, where, after, ctx.pageSize, metricColumns);
    if (page.length === 0) return;
    after = page.at(-1)!.seq;
    const at = now();
    const seqs = page.map((c) => c.seq);
    const recent = await lastMarketingTimes(db, seqs, at - cap.windowMs);
    const reads = campaign.schedule.kind === "best_hour" ? await readTimes(db, seqs, at - 180 * DAY_MS) : null;
    const decideStart = ctx.phases ? cpuMicros() : 0;
    if (ctx.phases) ctx.phases.read += decideStart - readStart;
    const rows: NewMessage[] = [];
    const links = trackedLinks(template.template, campaign.id, at);
    // Within a page `at` is fixed, so a zone's next local hour is computed once per (zone, hour).
    const nextHour = new Map<string, number>();
    for (const contact of page) {
      const id = newId(at);
      // Stored numbers were validated on write (domain/phone/stored.ts): only their shape is checked here.
      const digits = storedPhoneDigits(contact.phone);
      let reason: SkipReason | null = audienceGate({
        category,
        consent: consentOf(contact),
        heat: contact.heat,
        excludeInactive: definition.excludeInactive,
        phoneValid: digits !== null,
        marketingSentAt: recent.get(contact.seq) ?? NONE,
        cap,
        now: at,
      });
      let payload = "{}";
      if (reason === null) {
        const resolved = resolveVariables(campaign.variables, {
          name: contact.name,
          phone: contact.phone,
          country: contact.country,
          language: contact.language,
          attributes: readsAttributes ? (JSON.parse(contact.attributes) as Record<string, unknown>) : noAttributes,
          metrics: metricsOf(contact, metricColumns),
        });
        if (!resolved.ok) reason = "missing_variable";
        else {
          const rendered = renderTemplate(template.template, resolved.values);
          if (!rendered.ok) reason = "invalid_variable";
          else {
            const to = digits ?? contact.phone;
            const wrap = links.wrapperFor(id, contact.seq);
            payload = JSON.stringify(templateMessage(to, template.name, template.language, rendered.components, wrap));
          }
        }
      }
      // Over the sender's daily tier the recipient is not dropped: it waits for the next 24-hour window.
      let dueAt = campaign.schedule.at ?? at;
      // The recipient's zone (their own, else their number's country's), for best hours and quiet hours.
      const zone =
        reads !== null || campaign.quietHours
          ? recipientTimeZone(
              contact.time_zone,
              contact.time_zone === null && digits !== null ? storedPhoneCountry(contact.phone) : null,
            )
          : "UTC";
      if (reads !== null) {
        // Each recipient's best local hour: when they have read us most, else the default morning hour.
        const hour = bestLocalHour(reads.get(contact.seq) ?? NONE, zone) ?? fallbackHour;
        const key = `${zone} ${hour}`;
        let next = nextHour.get(key);
        if (next === undefined) {
          next = nextLocalHour(at, hour, zone);
          nextHour.set(key, next);
        }
        dueAt = next;
      }
      if (reason === null) {
        if (budget <= 0) dueAt = Math.max(dueAt, at + DAY_MS);
        else budget -= 1;
        // Quiet hours in the recipient's zone: the message waits for the window's end.
        if (campaign.quietHours) dueAt = quietDueAt(Math.max(dueAt, at), zone, campaign.quietHours);
      }
      rows.push({
        id,
        campaign_id: campaign.id,
        contact_seq: contact.seq,
        sender_id: sender.id,
        to_phone: digits ?? contact.phone.replace(/\D/g, ""),
        origin: "campaign",
        category: metaCategory,
        payload,
        status: reason === null ? "queued" : "skipped",
        skip_reason: reason,
        due_at: dueAt,
        created_at: at,
      });
    }
    if (ctx.phases) ctx.phases.decide += cpuMicros() - decideStart;
    yield { rows, links: links.rows };
  }
}

const NONE: readonly number[] = [];

/** The metric values a campaign's variables read, by column name. */
function metricsOf(contact: AudienceRow, columns: readonly MetricColumn[]): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const column of columns) metrics[column] = contact[`m_${column}`];
  return metrics;
}

function count(audience: CampaignAudience, rows: NewMessage[]): void {
  for (const r of rows) {
    audience.total += 1;
    if (r.skip_reason === null) audience.queued += 1;
    else audience.skipped[r.skip_reason] = (audience.skipped[r.skip_reason] ?? 0) + 1;
  }
}

/** Snapshots the audience of a `launching` campaign and sets it `running`. Safe to call again after a crash. */
export async function launchCampaign(campaignId: string, options: LaunchOptions): Promise<Campaign> {
  const { store, now } = options;
  const db = store.db;
  const campaign = await getCampaign(db, campaignId);
  if (campaign.status !== "launching")
    throw new HeraldError("conflict", `campaign ${campaignId} is ${campaign.status}, not launching`);
  const audience: CampaignAudience = campaign.audience ?? { total: 0, queued: 0, skipped: {} };
  const after = await lastLaunchedSeq(db, campaign.id);
  const markets = new Map<string, number>();
  for await (const { rows, links } of plannedPages({
    campaign,
    store,
    now,
    cap: options.cap ?? DEFAULT_FREQUENCY_CAP,
    after,
    pageSize: options.pageSize ?? PAGE,
    phases: options.phases,
  })) {
    const writeStart = options.phases ? cpuMicros() : 0;
    count(audience, rows);
    addMarkets(markets, rows);
    await db.transaction().execute(async (trx) => {
      await insertMessages(trx, rows, { ignoreDuplicates: true });
      await insertLinkCodes(trx, links);
      await trx
        .updateTable("campaigns")
        .set({ audience: JSON.stringify(audience), updated_at: now() })
        .where("id", "=", campaign.id)
        .execute();
    });
    if (options.phases) options.phases.write += cpuMicros() - writeStart;
    options.onProgress?.(audience);
  }
  const template = await getTemplate(db, campaign.templateId);
  const estimate = estimateCampaignCost(markets, template.category, now());
  return transitionCampaign(db, campaign.id, "running", now(), {
    audience: JSON.stringify(audience),
    estimate: JSON.stringify(estimate),
    launched_at: now(),
  });
}

function addMarkets(markets: Map<string, number>, rows: NewMessage[]): void {
  const queued = rows.filter((r) => r.status === "queued").map((r) => r.to_phone);
  for (const [market, n] of countByMarket(queued)) markets.set(market, (markets.get(market) ?? 0) + n);
}

/** What a launch would do now, without writing: the audience after each gate and the cost estimate. */
export async function previewCampaign(
  campaign: Campaign,
  options: { store: Store; now: () => number; cap?: FrequencyCapPolicy },
): Promise<{ audience: CampaignAudience; estimate: CampaignEstimate }> {
  const audience: CampaignAudience = { total: 0, queued: 0, skipped: {} };
  const markets = new Map<string, number>();
  for await (const { rows } of plannedPages({
    campaign,
    store: options.store,
    now: options.now,
    cap: options.cap ?? DEFAULT_FREQUENCY_CAP,
    after: 0,
    pageSize: PAGE,
    phases: undefined,
  })) {
    count(audience, rows);
    addMarkets(markets, rows);
  }
  const template = await getTemplate(options.store.db, campaign.templateId);
  return { audience, estimate: estimateCampaignCost(markets, template.category, options.now()) };
}
