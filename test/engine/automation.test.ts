import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startApplier } from "../../src/engine/applier.js";
import { createAutomation } from "../../src/engine/automation/index.js";
import type { Dispatcher } from "../../src/engine/dispatcher.js";
import { createEventHandlers } from "../../src/engine/handlers/index.js";
import { createLogger } from "../../src/logger.js";
import { SecretBox } from "../../src/secret-box.js";
import { createRule, listRules } from "../../src/store/automation-rules.js";
import { listHandovers } from "../../src/store/automation-runs.js";
import type { Store } from "../../src/store/db.js";
import type { MessageRow } from "../../src/store/messages.js";
import { createSender } from "../../src/store/senders.js";
import { insertWebhookEvent } from "../../src/store/webhook-events.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect), the webhook parser, the applier, its inbound handler and the auto-replies.
// Faked: the clock, and the dispatcher (a port here: it records the rows handed to it after each commit).
const logger = createLogger({ logLevel: "silent" });
const box = new SecretBox(Buffer.alloc(32, 7));
const WABA = "102290129340398";
const PHONE_ID = "106540352242922";
let wamid = 0;

function inbound(from: string, message: Record<string, unknown>, at: number): string {
  wamid += 1;
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
              contacts: [{ profile: { name: "김민수" }, wa_id: from }],
              messages: [{ from, id: `wamid.IN${wamid}`, timestamp: String(Math.floor(at / 1000)), ...message }],
            },
          },
        ],
      },
    ],
  });
}
const text = (body: string) => ({ type: "text", text: { body } });

for (const dialect of DIALECTS) {
  describe(`auto-replies on ${dialect.name}`, () => {
    let store: Store;
    const t0 = Date.UTC(2026, 10, 26, 3); // Thursday 12:00 in Seoul
    const clock = { now: t0 };
    let handed: MessageRow[];
    let senderId: string;

    beforeEach(async () => {
      store = await dialect.open();
      handed = [];
      clock.now = t0;
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
      senderId = sender.id;
      const rule = (name: string, trigger: object, actions: object[]) =>
        createRule(
          store.db,
          { name, enabled: true, trigger, conditions: [], actions } as Parameters<typeof createRule>[1],
          null,
          t0,
        );
      await rule("Opt out", { kind: "keyword", mode: "exact", keywords: ["STOP", "UNSUBSCRIBE", "수신거부"] }, [
        { kind: "opt_out", confirmation: "수신거부 처리되었습니다." },
      ]);
      await rule("Discount", { kind: "keyword", mode: "contains", keywords: ["할인"] }, [
        { kind: "reply", content: { kind: "text", body: "할인 코드: SPRING20" }, template: null },
        { kind: "add_tag", tag: "asked-discount" },
      ]);
      await rule("Agent", { kind: "keyword", mode: "contains", keywords: ["상담원", "agent"] }, [
        { kind: "handover", note: "asked for a person" },
      ]);
    });
    afterEach(async () => {
      await store.close();
    });

    async function deliver(...bodies: string[]): Promise<void> {
      for (const body of bodies) await insertWebhookEvent(store.db, { senderId: null, body }, clock.now);
      const dispatcher = {
        owner: "test-dispatcher",
        sendNow: (rows: MessageRow[]) => handed.push(...rows),
      } as unknown as Dispatcher;
      const automation = createAutomation({ store, dispatcher, logger });
      const applier = startApplier({
        store,
        handlers: createEventHandlers(),
        logger,
        now: () => clock.now,
        scope: () => automation.scope(),
      });
      await applier.drain();
      await applier.stop();
    }
    const replies = () =>
      store.db.selectFrom("messages").selectAll().where("origin", "=", "auto_reply").orderBy("created_at").execute();

    it("answers 할인 with the discount code: a leased reply row, handed to the dispatcher after the commit", async () => {
      await deliver(inbound("821012345678", text("할인 코드 주세요!"), t0));
      const rows = await replies();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: "sending",
        lease_owner: "test-dispatcher",
        sender_id: senderId,
        to_phone: "821012345678",
        category: "service",
        attempts: 1,
      });
      expect(JSON.parse(rows[0]?.payload ?? "{}")).toEqual({
        kind: "text",
        to: "821012345678",
        body: "할인 코드: SPRING20",
      });
      expect(handed.map((r) => r.id)).toEqual([rows[0]?.id]);
      const tags = await store.db.selectFrom("contact_tags").select("tag").execute();
      expect(tags.map((t) => t.tag)).toEqual(["asked-discount"]);
      const stats = (await listRules(store.db)).find((r) => r.name === "Discount")?.stats;
      expect(stats).toEqual({ matches: 1, replies: 1, repliesSent: 0, lastMatchedAt: t0 });
    });

    it("a duplicated webhook delivery does not reply twice", async () => {
      const body = inbound("821012345678", text("할인"), t0);
      await deliver(body, body);
      await deliver(body);
      expect(await replies()).toHaveLength(1);
      expect(await store.db.selectFrom("automation_runs").selectAll().execute()).toHaveLength(1);
    });

    it("stops replying after 3 replies in 2 minutes (a loop with another bot), but keeps recording", async () => {
      const bodies = [0, 1, 2, 3, 4].map((i) => inbound("821012345678", text(`할인 ${i}`), t0 + i * 1000));
      await deliver(...bodies);
      expect(await replies()).toHaveLength(3);
      const runs = await store.db.selectFrom("automation_runs").select(["outcome", "detail"]).execute();
      expect(runs.filter((r) => r.outcome === "suppressed")).toHaveLength(2);
      expect(runs.find((r) => r.outcome === "suppressed")?.detail).toMatch(/^loop/);
      // Another contact is not affected.
      await deliver(inbound("821099998888", text("할인"), t0 + 5000));
      expect(await replies()).toHaveLength(4);
    });

    it("does not answer a message that looks like another bot's automatic reply", async () => {
      await deliver(inbound("821012345678", text("[자동응답] 할인 문의는 평일에 답변드립니다"), t0));
      expect(await replies()).toHaveLength(0);
      const run = await store.db.selectFrom("automation_runs").select(["outcome", "detail"]).executeTakeFirst();
      expect(run).toMatchObject({ outcome: "suppressed" });
      expect(run?.detail).toMatch(/^automated_sender/);
    });

    it("opts out on 수신거부 and confirms; hands a conversation over to a person", async () => {
      await deliver(
        inbound("821012345678", text("수신거부"), t0),
        inbound("821055556666", text("상담원 연결해주세요"), t0),
      );
      const contact = await store.db
        .selectFrom("contacts")
        .select("consent_state")
        .where("phone", "=", "+821012345678")
        .executeTakeFirst();
      expect(contact?.consent_state).toBe("opted_out");
      const rows = await replies();
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]?.payload ?? "{}").body).toBe("수신거부 처리되었습니다.");
      const handovers = await listHandovers(store.db, { open: true, limit: 10 });
      expect(handovers).toMatchObject([
        { phone: "+821055556666", note: "asked for a person", ruleName: "Agent", text: "상담원 연결해주세요" },
      ]);
    });

    it("does nothing for a message no rule matches", async () => {
      await deliver(inbound("821012345678", text("배송은 언제 되나요?"), t0));
      expect(await replies()).toHaveLength(0);
      expect(await store.db.selectFrom("automation_runs").selectAll().execute()).toHaveLength(0);
      expect(await store.db.selectFrom("inbound_messages").selectAll().execute()).toHaveLength(1);
    });
  });
}
