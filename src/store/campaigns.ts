import type { Kysely, Selectable, Transaction } from "kysely";
import type { QuietHoursPolicy } from "../domain/campaign/quiet-hours.js";
import { type CampaignStatus, canTransition, statesLeadingTo } from "../domain/campaign/status.js";
import type { VariableMapping } from "../domain/campaign/variables.js";
import { HeraldError } from "../domain/errors.js";
import { newId } from "../ids.js";
import type { Database } from "./schema.js";
import type { CampaignsTable } from "./tables/campaigns.js";
import { notifyCampaign, withinTransaction } from "./webhook-notify.js";

type Db = Kysely<Database> | Transaction<Database>;
export type CampaignRow = Selectable<CampaignsTable>;

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  senderId: string;
  templateId: string;
  segmentId: string | null;
  variables: VariableMapping;
  schedule: { kind: "now" | "at" | "best_hour"; at: number | null };
  /** No message goes to a recipient while it is quiet hours in their time zone; null: no quiet hours. */
  quietHours: QuietHoursPolicy | null;
  category: string;
  audience: CampaignAudience | null;
  estimate: unknown;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  launchedAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
  lastError: string | null;
}

/** What the launch snapshot found: the audience, and why each skipped contact was skipped. */
export interface CampaignAudience {
  total: number;
  queued: number;
  skipped: Record<string, number>;
}

/** Maps a row to a Campaign. */
export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    senderId: row.sender_id,
    templateId: row.template_id,
    segmentId: row.segment_id,
    variables: JSON.parse(row.variables) as VariableMapping,
    schedule: { kind: row.schedule_kind, at: row.scheduled_at },
    quietHours:
      row.quiet_start_hour === null || row.quiet_end_hour === null
        ? null
        : { startHour: row.quiet_start_hour, endHour: row.quiet_end_hour },
    category: row.category,
    audience: row.audience ? (JSON.parse(row.audience) as CampaignAudience) : null,
    estimate: row.estimate ? (JSON.parse(row.estimate) as unknown) : null,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    launchedAt: row.launched_at,
    completedAt: row.completed_at,
    cancelledAt: row.cancelled_at,
    lastError: row.last_error,
  };
}

export interface NewCampaign {
  name: string;
  senderId: string;
  templateId: string;
  segmentId: string | null;
  variables: VariableMapping;
  schedule: { kind: "now" | "at" | "best_hour"; at: number | null };
  /** Omitted or null: no quiet hours. */
  quietHours?: QuietHoursPolicy | null;
  category: string;
  createdBy: string | null;
}

/** Stores a draft campaign. */
export async function createCampaign(db: Db, input: NewCampaign, now: number): Promise<Campaign> {
  const row: CampaignRow = {
    id: newId(now),
    name: input.name,
    status: "draft",
    sender_id: input.senderId,
    template_id: input.templateId,
    segment_id: input.segmentId,
    variables: JSON.stringify(input.variables),
    schedule_kind: input.schedule.kind,
    scheduled_at: input.schedule.at,
    quiet_start_hour: input.quietHours?.startHour ?? null,
    quiet_end_hour: input.quietHours?.endHour ?? null,
    category: input.category,
    audience: null,
    estimate: null,
    created_by: input.createdBy,
    created_at: now,
    updated_at: now,
    launched_at: null,
    completed_at: null,
    cancelled_at: null,
    last_error: null,
  };
  await db.insertInto("campaigns").values(row).execute();
  return toCampaign(row);
}

/** One campaign; `not_found` when absent. */
export async function getCampaign(db: Db, id: string): Promise<Campaign> {
  const row = await db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `campaign ${id} not found`);
  return toCampaign(row);
}

/** Campaigns, newest first, with a cursor (the last id seen). */
export async function listCampaigns(
  db: Db,
  query: { status?: CampaignStatus; limit: number; before?: string },
): Promise<{ data: Campaign[]; nextCursor: string | null }> {
  const rows = await db
    .selectFrom("campaigns")
    .selectAll()
    .$if(query.status !== undefined, (q) => q.where("status", "=", query.status!))
    .$if(query.before !== undefined, (q) => q.where("id", "<", query.before!))
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return { data: page.map(toCampaign), nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

/** Changes a draft's settings; `conflict` once it has left draft. */
export async function updateDraftCampaign(
  db: Db,
  id: string,
  patch: Partial<NewCampaign>,
  now: number,
): Promise<Campaign> {
  const set: Partial<CampaignRow> = { updated_at: now };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.senderId !== undefined) set.sender_id = patch.senderId;
  if (patch.templateId !== undefined) set.template_id = patch.templateId;
  if (patch.segmentId !== undefined) set.segment_id = patch.segmentId;
  if (patch.variables !== undefined) set.variables = JSON.stringify(patch.variables);
  if (patch.category !== undefined) set.category = patch.category;
  if (patch.schedule !== undefined) {
    set.schedule_kind = patch.schedule.kind;
    set.scheduled_at = patch.schedule.at;
  }
  if (patch.quietHours !== undefined) {
    set.quiet_start_hour = patch.quietHours?.startHour ?? null;
    set.quiet_end_hour = patch.quietHours?.endHour ?? null;
  }
  const result = await db
    .updateTable("campaigns")
    .set(set)
    .where("id", "=", id)
    .where("status", "=", "draft")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    const current = await getCampaign(db, id);
    throw new HeraldError("conflict", `campaign ${id} is ${current.status}; only drafts can be changed`);
  }
  return getCampaign(db, id);
}

/**
 * Moves a campaign to `to` if its current state allows it, in one guarded UPDATE (two concurrent
 * requests cannot both win). `conflict` naming the current state otherwise.
 */
export async function transitionCampaign(
  db: Db,
  id: string,
  to: CampaignStatus,
  now: number,
  extra: Partial<Pick<CampaignRow, "audience" | "estimate" | "launched_at" | "last_error">> = {},
): Promise<Campaign> {
  const set: Partial<CampaignRow> = { status: to, updated_at: now, ...extra };
  if (to === "completed") set.completed_at = now;
  if (to === "cancelled") set.cancelled_at = now;
  const result = await withinTransaction(db, async (trx) => {
    const r = await trx
      .updateTable("campaigns")
      .set(set)
      .where("id", "=", id)
      .where("status", "in", statesLeadingTo(to))
      .executeTakeFirst();
    // Outbound webhooks (store/webhook-notify.ts): a launch and a completion, in this transaction.
    const event = to === "completed" ? "campaign.completed" : extra.launched_at ? "campaign.started" : null;
    if (event && Number(r.numUpdatedRows) > 0) await notifyCampaign(trx, id, event, now);
    return r;
  });
  if (Number(result.numUpdatedRows) === 0) {
    const current = await getCampaign(db, id);
    if (!canTransition(current.status, to)) {
      throw new HeraldError("conflict", `campaign ${id} is ${current.status}; it cannot become ${to}`, {
        status: current.status,
      });
    }
    throw new HeraldError("conflict", `campaign ${id} changed while this request ran; try again`);
  }
  return getCampaign(db, id);
}

/** Pauses a running campaign because the provider said it cannot go on (e.g. template paused, token invalid). */
export async function pauseCampaignForError(db: Db, id: string, reason: string, now: number): Promise<void> {
  await db
    .updateTable("campaigns")
    .set({ status: "paused", last_error: reason.slice(0, 500), updated_at: now })
    .where("id", "=", id)
    .where("status", "=", "running")
    .execute();
}

/** Running campaigns with nothing left queued or sending become completed; returns their ids. */
export async function completeFinishedCampaigns(db: Db, now: number): Promise<string[]> {
  const done = await db
    .selectFrom("campaigns")
    .select("id")
    .where("status", "=", "running")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("messages")
            .select("messages.id")
            .whereRef("messages.campaign_id", "=", "campaigns.id")
            .where("messages.status", "in", ["queued", "sending"]),
        ),
      ),
    )
    .execute();
  for (const { id } of done) {
    await withinTransaction(db, async (trx) => {
      const r = await trx
        .updateTable("campaigns")
        .set({ status: "completed", completed_at: now, updated_at: now })
        .where("id", "=", id)
        .where("status", "=", "running")
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) await notifyCampaign(trx, id, "campaign.completed", now);
    });
  }
  return done.map((d) => d.id);
}
