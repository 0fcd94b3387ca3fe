import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startApplier } from "../../src/engine/applier.js";
import { createEventHandlers } from "../../src/engine/handlers/index.js";
import { createLogger } from "../../src/logger.js";
import { SecretBox } from "../../src/secret-box.js";
import type { Store } from "../../src/store/db.js";
import { insertMessages } from "../../src/store/messages.js";
import { insertWebhookEvent } from "../../src/store/webhook-events.js";
import { createWebhookSubscription } from "../../src/store/webhook-subscriptions.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect), the parser, the applier and its handlers. Faked: the clock.
// What a CRM is told about WhatsApp's events: the outbox rows the applier writes in its own transaction.
const logger = createLogger({ logLevel: "silent" });
const box = new SecretBox(Buffer.alloc(32, 5));
const WABA = "102290129340398";
const T = Date.UTC(2026, 10, 26, 9);

const body = (value: unknown) =>
  JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: WABA, changes: [{ field: "messages", value }] }],
  });
const metadata = { display_phone_number: "15550783881", phone_number_id: "1065" };
const status = (id: string, s: string, seconds: number) => ({
  id,
  status: s,
  timestamp: String(seconds),
  recipient_id: "821012345678",
});

for (const dialect of DIALECTS) {
  describe(`outbound events from the applier on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    const outbox = () =>
      store.db.selectFrom("webhook_deliveries").select(["event_type", "data", "occurred_at"]).orderBy("seq").execute();

    async function apply(bodies: string[]): Promise<void> {
      for (const b of bodies) await insertWebhookEvent(store.db, { senderId: null, body: b }, T);
      const applier = startApplier({ store, handlers: createEventHandlers(), logger, now: () => T });
      await applier.drain();
      await applier.stop();
    }

    it("writes nothing when no subscription wants the events", async () => {
      await apply([body({ messaging_product: "whatsapp", metadata, statuses: [status("wamid.A", "read", 1)] })]);
      expect(await outbox()).toEqual([]);
    });

    it("reports each status move once, and an inbound message with its contact", async () => {
      await createWebhookSubscription(
        store.db,
        box,
        {
          name: "crm",
          url: "https://crm.example.com/",
          events: ["message.status_changed", "message.received"],
          enabled: true,
        },
        { userId: null },
        T,
      );
      await insertMessages(store.db, [
        {
          id: "m1",
          campaign_id: null,
          contact_seq: null,
          sender_id: "s",
          to_phone: "821012345678",
          origin: "test",
          category: "marketing",
          payload: "{}",
          status: "queued",
          skip_reason: null,
          due_at: T,
          created_at: T,
        },
      ]);
      await store.db
        .updateTable("messages")
        .set({ status: "sent", provider_message_id: "wamid.A", sent_at: T })
        .where("id", "=", "m1")
        .execute();
      await apply([
        body({
          messaging_product: "whatsapp",
          metadata,
          statuses: [status("wamid.A", "delivered", 1_800_000_001), status("wamid.unknown", "read", 1_800_000_001)],
        }),
        body({ messaging_product: "whatsapp", metadata, statuses: [status("wamid.A", "delivered", 1_800_000_002)] }),
        body({
          messaging_product: "whatsapp",
          metadata,
          contacts: [{ wa_id: "821012345678", profile: { name: "Ji-woo" } }],
          messages: [
            {
              from: "821012345678",
              id: "wamid.IN",
              timestamp: "1800000003",
              type: "text",
              text: { body: "안녕하세요" },
            },
          ],
        }),
      ]);
      const rows = await outbox();
      expect(rows.map((r) => r.event_type)).toEqual(["message.received", "message.status_changed"]);
      const [inbound, moved] = rows.map((r) => JSON.parse(r.data));
      expect(moved).toEqual({
        messageId: "m1",
        providerMessageId: "wamid.A",
        campaignId: null,
        to: "+821012345678",
        status: "delivered",
      });
      expect(rows[1]?.occurred_at).toBe(1_800_000_001_000);
      expect(inbound).toMatchObject({
        from: "+821012345678",
        name: "Ji-woo",
        phoneNumberId: "1065",
        message: { id: "wamid.IN", type: "text", body: "안녕하세요" },
      });
      expect(typeof inbound.contactId).toBe("string");
    });
  });
}
