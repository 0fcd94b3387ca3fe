/**
 * The outbound webhook events of changes made in the store, built here so each place that makes a change calls one
 * function (in its own transaction): consent (contacts.ts), campaigns started and completed (campaigns.ts),
 * template status (templates.ts). Payload shapes are documented in docs/webhooks.md.
 */
import type { Kysely, Transaction } from "kysely";
import type { Contact } from "./contacts.js";
import type { AppliedStatus } from "./messages-status.js";
import type { Database } from "./schema.js";
import type { StoredTemplate } from "./templates.js";
import { enqueueWebhookEvents, wantedTypes } from "./webhook-outbox.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Runs `fn` in the caller's transaction, or in a new one: an event is written with its change or not at all. */
export async function withinTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}

/** `contact.opted_out` / `contact.opted_in` after a consent change that changed the state. */
export async function notifyConsentChanged(db: Db, contact: Contact, now: number): Promise<Contact> {
  const state = contact.consent.state;
  if (state === "unknown") return contact;
  await enqueueWebhookEvents(
    db,
    [
      {
        type: state === "opted_out" ? "contact.opted_out" : "contact.opted_in",
        occurredAt: contact.consent.at ?? now,
        data: {
          contactId: contact.id,
          phone: contact.phone,
          name: contact.name,
          consent: contact.consent,
        },
      },
    ],
    now,
  );
  return contact;
}

/** `campaign.started` (launched: the audience is snapshotted) or `campaign.completed` (with its message counts). */
export async function notifyCampaign(
  db: Db,
  campaignId: string,
  type: "campaign.started" | "campaign.completed",
  now: number,
): Promise<void> {
  if (!(await wantedTypes(db, now)).has(type)) return;
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "name", "status", "sender_id", "template_id", "segment_id", "audience", "launched_at"])
    .where("id", "=", campaignId)
    .executeTakeFirst();
  if (!campaign) return;
  const data: Record<string, unknown> = {
    campaignId: campaign.id,
    name: campaign.name,
    status: campaign.status,
    senderId: campaign.sender_id,
    templateId: campaign.template_id,
    segmentId: campaign.segment_id,
    launchedAt: campaign.launched_at,
    audience: campaign.audience ? (JSON.parse(campaign.audience) as unknown) : null,
  };
  if (type === "campaign.completed") {
    const rows = await db
      .selectFrom("messages")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("campaign_id", "=", campaignId)
      .groupBy("status")
      .execute();
    data.messages = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
  await enqueueWebhookEvents(db, [{ type, occurredAt: now, data }], now);
}

/** `template.status_changed` when a template's status moved (a Meta verdict, a pause, a sync). */
export async function notifyTemplateStatus(
  db: Db,
  before: StoredTemplate,
  after: Pick<StoredTemplate, "status" | "rejectedReason" | "quality" | "category">,
  event: string,
  at: number,
  now: number,
): Promise<void> {
  if (after.status === before.status) return;
  await enqueueWebhookEvents(
    db,
    [
      {
        type: "template.status_changed",
        occurredAt: at,
        data: {
          templateId: before.id,
          name: before.name,
          language: before.language,
          wabaId: before.wabaId,
          providerTemplateId: before.providerTemplateId,
          event,
          status: after.status,
          previousStatus: before.status,
          reason: after.rejectedReason,
          category: after.category,
          quality: after.quality,
        },
      },
    ],
    now,
  );
}

/**
 * `sender.quality_changed` for the senders an update is about to change, when their quality rating or messaging tier
 * moves. Called before the update (it reads the values being replaced), in the same transaction.
 */
export async function notifySenderQuality(
  db: Db,
  senderIds: readonly string[],
  next: { quality_rating?: string; messaging_tier?: string },
  event: string,
  now: number,
): Promise<void> {
  if (senderIds.length === 0 || !(await wantedTypes(db, now)).has("sender.quality_changed")) return;
  const rows = await db
    .selectFrom("senders")
    .select(["id", "phone_number_id", "display_phone_number", "quality_rating", "messaging_tier"])
    .where("id", "in", [...senderIds])
    .execute();
  const events = rows.flatMap((r) => {
    const qualityRating = next.quality_rating ?? r.quality_rating;
    const messagingTier = next.messaging_tier ?? r.messaging_tier;
    if (qualityRating === r.quality_rating && messagingTier === r.messaging_tier) return [];
    return [
      {
        type: "sender.quality_changed" as const,
        occurredAt: now,
        data: {
          senderId: r.id,
          phoneNumberId: r.phone_number_id,
          displayPhoneNumber: r.display_phone_number,
          event,
          qualityRating,
          previousQualityRating: r.quality_rating,
          messagingTier,
          previousMessagingTier: r.messaging_tier,
        },
      },
    ];
  });
  await enqueueWebhookEvents(db, events, now);
}

/** `message.status_changed` for each message a batch of status webhooks moved forward (one INSERT per batch). */
export async function notifyMessageStatuses(db: Db, applied: readonly AppliedStatus[], now: number): Promise<void> {
  if (applied.length === 0 || !(await wantedTypes(db, now)).has("message.status_changed")) return;
  await enqueueWebhookEvents(
    db,
    applied.map((m) => ({
      type: "message.status_changed" as const,
      occurredAt: m.at,
      data: {
        messageId: m.id,
        providerMessageId: m.providerMessageId,
        campaignId: m.campaignId,
        to: `+${m.toPhone}`,
        status: m.status,
        ...(m.status === "failed" ? { error: { code: m.errorCode, message: m.errorMessage } } : {}),
        ...(m.pricingCategory !== null ? { pricingCategory: m.pricingCategory } : {}),
        ...(m.billable !== null ? { billable: m.billable === 1 } : {}),
      },
    })),
    now,
  );
}
