import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/model.js";
import { startApplier } from "../../src/engine/applier.js";
import { createEventHandlers } from "../../src/engine/handlers/index.js";
import { createLogger } from "../../src/logger.js";
import { SecretBox } from "../../src/secret-box.js";
import { createCampaign } from "../../src/store/campaigns.js";
import { upsertContacts } from "../../src/store/contacts-upsert.js";
import type { Store } from "../../src/store/db.js";
import { insertMessages } from "../../src/store/messages.js";
import { countSegment } from "../../src/store/segments-query.js";
import { createSender } from "../../src/store/senders.js";
import { insertTemplate } from "../../src/store/templates.js";
import { insertWebhookEvent } from "../../src/store/webhook-events.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect), the webhook parser, the applier and its inbound handler. Faked: the clock.
// Inbound messages become rows linked to the message they answer; "replied to campaign X" segments read them.
const logger = createLogger({ logLevel: "silent" });
const box = new SecretBox(Buffer.alloc(32, 5));
const WABA = "102290129340398";
const PHONE_ID = "106540352242922";
const HOUR = 3_600_000;

const template: Template = {
  name: "spring_sale",
  language: "ko",
  category: "MARKETING",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "(광고) 안녕하세요 {{1}}님, 봄 세일이 시작되었어요.",
  examples: { "1": "김민수" },
  footer: null,
  buttons: [{ kind: "QUICK_REPLY", text: "YES" }],
};

function inbound(messages: unknown[]): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_ID },
              contacts: [{ profile: { name: "김민수" }, wa_id: "821012345678" }],
              messages,
            },
          },
        ],
      },
    ],
  });
}

for (const dialect of DIALECTS) {
  describe(`inbound messages on ${dialect.name}`, () => {
    let store: Store;
    const t0 = Date.UTC(2026, 10, 26, 9);
    const clock = { now: t0 };
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    async function apply(body: string): Promise<void> {
      await insertWebhookEvent(store.db, { senderId: null, body }, clock.now);
      const applier = startApplier({ store, handlers: createEventHandlers(), logger, now: () => clock.now });
      await applier.drain();
      await applier.stop();
    }

    it("stores each message once, links it to the campaign message it answers, and feeds campaign.replied", async () => {
      const sender = await createSender(
        store.db,
        box,
        {
          name: "Main",
          provider: "sandbox",
          phoneNumberId: PHONE_ID,
          wabaId: WABA,
          displayPhoneNumber: "+1 555-078-3881",
          apiVersion: "v23.0",
          accessToken: "t".repeat(10),
          appSecret: "s".repeat(10),
          verifyToken: "v".repeat(10),
          mpsLimit: 80,
          messagingTier: "TIER_250",
          qualityRating: "GREEN",
        },
        t0,
      );
      await upsertContacts(
        store.db,
        [
          { phone: "+821012345678", phoneCountry: "KR" },
          { phone: "+821098765432", phoneCountry: "KR" },
        ],
        t0,
      );
      const seqs = await store.db.selectFrom("contacts").select(["seq", "phone"]).orderBy("phone").execute();
      const seqOf = (phone: string) => seqs.find((c) => c.phone === phone)?.seq as number;
      const stored = await insertTemplate(
        store.db,
        {
          template,
          lint: [],
          wabaId: WABA,
          senderId: sender.id,
          status: "APPROVED",
          createdBy: null,
          source: "create",
          event: "created",
        },
        t0,
      );
      const campaign = await createCampaign(
        store.db,
        {
          name: "Spring",
          senderId: sender.id,
          templateId: stored.id,
          segmentId: null,
          variables: {},
          schedule: { kind: "now", at: null },
          category: "MARKETING",
          createdBy: null,
        },
        t0,
      );
      const sent = (id: string, phone: string, sentAt: number) => ({
        id,
        campaign_id: campaign.id,
        contact_seq: seqOf(phone),
        sender_id: sender.id,
        to_phone: phone,
        origin: "campaign" as const,
        category: "MARKETING",
        payload: "{}",
        status: "queued" as const,
        skip_reason: null,
        due_at: sentAt,
        created_at: sentAt,
      });
      await insertMessages(store.db, [sent("m1", "+821012345678", t0), sent("m2", "+821098765432", t0)]);
      for (const [id, wamid] of [
        ["m1", "wamid.OUT1"],
        ["m2", "wamid.OUT2"],
      ] as const)
        await store.db
          .updateTable("messages")
          .set({ status: "sent", provider_message_id: wamid, sent_at: t0 })
          .where("id", "=", id)
          .execute();

      clock.now = t0 + 2 * HOUR;
      const text = {
        from: "821012345678",
        id: "wamid.IN1",
        timestamp: String((t0 + HOUR) / 1000),
        type: "text",
        text: { body: "할인 코드 주세요" },
      };
      await apply(inbound([text]));
      await apply(inbound([text])); // Meta delivers it again
      const rows = await store.db.selectFrom("inbound_messages").selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        provider_message_id: "wamid.IN1",
        sender_id: sender.id,
        contact_seq: seqOf("+821012345678"),
        type: "text",
        text: "할인 코드 주세요",
        reply_to_message_id: "m1",
        campaign_id: campaign.id,
        received_at: t0 + HOUR,
      });
      const m1 = await store.db.selectFrom("messages").select("replied_at").where("id", "=", "m1").executeTakeFirst();
      expect(m1?.replied_at).toBe(t0 + HOUR);

      // A button tap a day and a half later still answers the message it quotes; a later answer keeps the first time.
      const button = {
        from: "821012345678",
        id: "wamid.IN2",
        timestamp: String((t0 + 36 * HOUR) / 1000),
        type: "button",
        context: { from: "15550783881", id: "wamid.OUT1" },
        button: { payload: "YES", text: "YES" },
      };
      // The other contact writes 25 hours after the send: too late to count as a reply to it.
      const late = {
        from: "821098765432",
        id: "wamid.IN3",
        timestamp: String((t0 + 25 * HOUR) / 1000),
        type: "text",
        text: { body: "hello?" },
      };
      await apply(inbound([button, late]));
      const byId = await store.db
        .selectFrom("inbound_messages")
        .select(["provider_message_id", "payload", "text", "reply_to_message_id"])
        .orderBy("provider_message_id")
        .execute();
      expect(byId).toEqual([
        { provider_message_id: "wamid.IN1", payload: null, text: "할인 코드 주세요", reply_to_message_id: "m1" },
        { provider_message_id: "wamid.IN2", payload: "YES", text: "YES", reply_to_message_id: "m1" },
        { provider_message_id: "wamid.IN3", payload: null, text: "hello?", reply_to_message_id: null },
      ]);
      const replied = await store.db.selectFrom("messages").select(["id", "replied_at"]).orderBy("id").execute();
      expect(replied).toEqual([
        { id: "m1", replied_at: t0 + HOUR },
        { id: "m2", replied_at: null },
      ]);

      const count = (op: "eq" | "neq") =>
        countSegment(
          store.db,
          {
            rules: { kind: "condition", field: "campaign.replied", op, value: campaign.id },
            excludeInactive: false,
            excludeOptedOut: false,
          },
          clock.now,
        );
      expect(await count("eq")).toBe(1);
      expect(await count("neq")).toBe(1);
    });
  });
}
