import type { Kysely } from "kysely";
import type { Template } from "../../src/domain/template/model.js";
import { SecretBox } from "../../src/secret-box.js";
import { createCampaign } from "../../src/store/campaigns.js";
import { upsertContacts } from "../../src/store/contacts-upsert.js";
import type { Database } from "../../src/store/schema.js";
import { createSender } from "../../src/store/senders.js";
import type { MessagesTable } from "../../src/store/tables/campaigns.js";
import { insertTemplate } from "../../src/store/templates.js";

/**
 * A small, fully known history for the analytics tests (the expected figures are worked out by hand in
 * test/store/analytics.test.ts). t0 is Monday 2 November 2026 09:00 UTC = 18:00 in Seoul, where every contact lives.
 */
export const T0 = Date.UTC(2026, 10, 2, 9);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const box = new SecretBox(Buffer.alloc(32, 7));

export const template: Template = {
  name: "autumn_sale",
  language: "ko",
  category: "MARKETING",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "(광고) 가을 세일 {{1}}",
  examples: { "1": "20%" },
  footer: null,
  buttons: [{ kind: "URL", text: "Shop", url: "https://herald.example/r/{{1}}", example: "AbCdEf1234" }],
};

export interface History {
  senderId: string;
  templateId: string;
  segmentG: string;
  segmentH: string;
  campaignA: string;
  campaignB: string;
  seq: (n: number) => number;
}

/** Builds the history. Clicks are recorded by the caller (through the API or the store) where a test needs them. */
export async function buildHistory(db: Kysely<Database>): Promise<History> {
  await db.updateTable("metrics_state").set({ base_currency: "KRW" }).where("id", "=", 1).execute();
  await db.updateTable("analytics_state").set({ usd_rate: 1400 }).where("id", "=", 1).execute();
  const sender = await createSender(
    db,
    box,
    {
      name: "Main",
      provider: "sandbox",
      phoneNumberId: "106540352242922",
      wabaId: "102290129340398",
      displayPhoneNumber: "+1 555-078-3881",
      apiVersion: "v23.0",
      accessToken: "t".repeat(10),
      appSecret: "s".repeat(10),
      verifyToken: "v".repeat(10),
      mpsLimit: 80,
      messagingTier: "TIER_250",
      qualityRating: "GREEN",
    },
    T0 - 30 * DAY,
  );
  const phones = [1, 2, 3, 4, 5, 6].map((n) => `+8210000000${n.toString().padStart(2, "0")}`);
  await upsertContacts(
    db,
    phones.map((phone) => ({ phone, phoneCountry: "KR" })),
    T0 - 30 * DAY,
  );
  await db.updateTable("contacts").set({ time_zone: "Asia/Seoul" }).execute();
  const contacts = await db.selectFrom("contacts").select(["seq", "phone"]).orderBy("phone").execute();
  const seq = (n: number) => contacts[n - 1]?.seq as number;
  const stored = await insertTemplate(
    db,
    {
      template,
      lint: [],
      wabaId: "102290129340398",
      senderId: sender.id,
      status: "APPROVED",
      createdBy: null,
      source: "create",
      event: "created",
    },
    T0 - 30 * DAY,
  );
  for (const [id, name] of [
    ["seg-g", "VIP"],
    ["seg-h", "Everyone"],
  ]) {
    await db
      .insertInto("segments")
      .values({
        id: id as string,
        name: name as string,
        description: "",
        rules: JSON.stringify({ kind: "group", op: "and", rules: [] }),
        exclude_inactive: 0,
        exclude_opted_out: 0,
        created_at: T0 - DAY,
        updated_at: T0 - DAY,
      })
      .execute();
  }
  const campaign = async (name: string, segmentId: string, launchedAt: number, estimate: number) => {
    const c = await createCampaign(
      db,
      {
        name,
        senderId: sender.id,
        templateId: stored.id,
        segmentId,
        variables: {},
        schedule: { kind: "now", at: null },
        category: "MARKETING",
        createdBy: null,
      },
      launchedAt - HOUR,
    );
    await db
      .updateTable("campaigns")
      .set({
        status: "completed",
        launched_at: launchedAt,
        completed_at: launchedAt + HOUR,
        estimate: JSON.stringify({ totalMicroUsd: estimate }),
      })
      .where("id", "=", c.id)
      .execute();
    return c.id;
  };
  const a = await campaign("Autumn A", "seg-g", T0, 6 * 60_400);
  const b = await campaign("Autumn B", "seg-h", T0 + 3 * DAY, 60_400);

  const msg = (id: string, campaignId: string, n: number, m: Partial<MessagesTable>): MessagesTable => ({
    id,
    campaign_id: campaignId,
    contact_seq: seq(n),
    sender_id: sender.id,
    to_phone: (phones[n - 1] ?? "").slice(1),
    origin: "campaign",
    category: "marketing",
    payload: "{}",
    status: "sent",
    skip_reason: null,
    due_at: T0,
    attempts: 1,
    lease_owner: null,
    lease_until: null,
    provider_message_id: m.sent_at ? `wamid.${id}` : null,
    error_code: null,
    error_message: null,
    created_at: T0,
    sent_at: null,
    delivered_at: null,
    read_at: null,
    failed_at: null,
    pricing_category: null,
    billable: null,
    replied_at: null,
    ...m,
  });
  await db
    .insertInto("messages")
    .values([
      // m1: read, replied in 20 minutes, clicked (by the caller), then ordered 2 days later.
      msg("m1", a, 1, {
        status: "read",
        sent_at: T0,
        delivered_at: T0 + MIN,
        read_at: T0 + 10 * MIN,
        replied_at: T0 + 20 * MIN,
        pricing_category: "marketing",
        billable: 1,
      }),
      // m2: read at 20:00 Seoul, answered after 30 hours (not a 24-hour reply), ordered after 8 days (outside 7).
      msg("m2", a, 2, {
        status: "read",
        sent_at: T0,
        delivered_at: T0 + MIN,
        read_at: T0 + 2 * HOUR,
        replied_at: T0 + 30 * HOUR,
      }),
      // m3: delivered free of charge, never read; the contact opted out a day later.
      msg("m3", a, 3, { status: "delivered", sent_at: T0, delivered_at: T0 + MIN, billable: 0 }),
      // m4: refused before sending: the user stopped marketing messages (131050).
      msg("m4", a, 4, { status: "failed", error_code: 131_050, failed_at: T0 }),
      // m5: sent, then failed (undeliverable).
      msg("m5", a, 5, { status: "failed", sent_at: T0, error_code: 131_026, failed_at: T0 + 5 * MIN }),
      // m6: skipped by the frequency cap.
      msg("m6", a, 6, { status: "skipped", skip_reason: "frequency_cap" }),
      // m7 (campaign B): read an hour after sending; an order follows an hour later.
      msg("m7", b, 1, {
        status: "read",
        created_at: T0 + 3 * DAY,
        due_at: T0 + 3 * DAY,
        sent_at: T0 + 3 * DAY,
        delivered_at: T0 + 3 * DAY + MIN,
        read_at: T0 + 3 * DAY + HOUR,
      }),
    ])
    .execute();
  await db
    .updateTable("contacts")
    .set({ consent_state: "opted_out", consent_reason: "keyword", consent_at: T0 + DAY })
    .where("seq", "=", seq(3))
    .execute();
  await db
    .insertInto("link_codes")
    .values({
      code: "AAAAAAAAA1",
      message_id: "m1",
      campaign_id: a,
      contact_seq: seq(1),
      url: "https://shop.example/autumn",
      created_at: T0,
      first_click_at: null,
      clicks: 0,
    })
    .execute();
  const order = (id: string, n: number, placedAt: number, amount: number, status: "paid" | "refunded") => ({
    id,
    external_id: `ext-${id}`,
    contact_seq: seq(n),
    amount,
    currency: "KRW",
    placed_at: placedAt,
    status,
    items: null,
    source: "test",
    created_at: placedAt,
    updated_at: placedAt,
  });
  await db
    .insertInto("orders")
    .values([
      order("o1", 1, T0 + 2 * DAY, 50_000, "paid"),
      order("o2", 2, T0 + 8 * DAY, 30_000, "paid"),
      order("o3", 1, T0 + 3 * DAY + 2 * HOUR, 20_000, "paid"),
      order("o4", 1, T0 + 3 * DAY + 3 * HOUR, 10_000, "refunded"),
    ])
    .execute();
  return {
    senderId: sender.id,
    templateId: stored.id,
    segmentG: "seg-g",
    segmentH: "seg-h",
    campaignA: a,
    campaignB: b,
    seq,
  };
}
