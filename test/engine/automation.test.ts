import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BatchScope, startApplier } from "../../src/engine/applier.js";
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

    /** A sender and the three rules every test starts with. */
    async function prepare(s: Store): Promise<string> {
      const sender = await createSender(
        s.db,
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
      await rule(s, "Opt out", { kind: "keyword", mode: "exact", keywords: ["STOP", "UNSUBSCRIBE", "수신거부"] }, [
        { kind: "opt_out", confirmation: "수신거부 처리되었습니다." },
      ]);
      await rule(s, "Discount", { kind: "keyword", mode: "contains", keywords: ["할인"] }, [
        { kind: "reply", content: { kind: "text", body: "할인 코드: SPRING20" }, template: null },
        { kind: "add_tag", tag: "asked-discount" },
      ]);
      await rule(s, "Agent", { kind: "keyword", mode: "contains", keywords: ["상담원", "agent"] }, [
        { kind: "handover", note: "asked for a person" },
      ]);
      return sender.id;
    }
    const rule = (s: Store, name: string, trigger: object, actions: object[], conditions: object[] = []) =>
      createRule(
        s.db,
        { name, enabled: true, trigger, conditions, actions } as Parameters<typeof createRule>[1],
        null,
        t0,
      );

    beforeEach(async () => {
      store = await dialect.open();
      handed = [];
      clock.now = t0;
      senderId = await prepare(store);
    });
    afterEach(async () => {
      await store.close();
    });

    type Inbound = NonNullable<BatchScope["inbound"]>;
    /** How the test hands a round to the automation's scope (default: as the inbound handler does). */
    let handRound: (inner: Inbound, ...args: Parameters<Inbound>) => Promise<void> = (inner, ...args) => inner(...args);

    /** Stores the POSTs, then applies them (all of them in one applier batch); returns the sizes of the rounds. */
    async function deliverTo(s: Store, ...bodies: string[]): Promise<number[]> {
      for (const body of bodies) await insertWebhookEvent(s.db, { senderId: null, body }, clock.now);
      const dispatcher = {
        owner: "test-dispatcher",
        sendNow: (rows: MessageRow[]) => handed.push(...rows),
      } as unknown as Dispatcher;
      const automation = createAutomation({ store: s, dispatcher, logger });
      const rounds: number[] = [];
      const applier = startApplier({
        store: s,
        handlers: createEventHandlers(),
        logger,
        now: () => clock.now,
        scope: () => {
          const scope = automation.scope();
          return {
            ...scope,
            inbound: async (trx, items, now) => {
              rounds.push(items.length);
              if (scope.inbound) await handRound(scope.inbound, trx, items, now);
            },
          };
        },
      });
      await applier.drain();
      await applier.stop();
      return rounds;
    }
    const deliver = (...bodies: string[]) => deliverTo(store, ...bodies);
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

    it("a round that fails is run again one message at a time, so the other messages are still answered", async () => {
      // A round of two contacts' messages in which one was already answered (handed twice, which the batch path
      // refuses with an error): the savepoint undoes the round, and the one-at-a-time path answers the other.
      handRound = async (inner, trx, items, now) => {
        if (items.length === 2) await inner(trx, [items[0] as (typeof items)[number]], now);
        await inner(trx, items, now);
      };
      try {
        const rounds = await deliver(
          inbound("821012345678", text("할인"), t0),
          inbound("821087654321", text("할인"), t0),
        );
        expect(rounds).toEqual([2]);
      } finally {
        handRound = (inner, ...args) => inner(...args);
      }
      const rows = await replies();
      expect(rows.map((r) => r.to_phone).sort()).toEqual(["821012345678", "821087654321"]);
      expect(handed).toHaveLength(2);
      expect(await store.db.selectFrom("automation_runs").selectAll().execute()).toHaveLength(2);
      const stats = (await listRules(store.db)).find((r) => r.name === "Discount")?.stats;
      expect(stats?.matches).toBe(2);
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

    /** Everything the inbound handler and the rules wrote, without ids (which differ between two stores). */
    async function snapshot(s: Store) {
      const runs = await s.db
        .selectFrom("automation_runs as r")
        .innerJoin("inbound_messages as i", "i.id", "r.inbound_message_id")
        .innerJoin("automation_rules as ru", "ru.id", "r.rule_id")
        .leftJoin("messages as m", "m.id", "r.message_id")
        .select(["i.provider_message_id", "ru.name", "r.outcome", "r.detail", "m.payload", "m.to_phone"])
        .orderBy("i.provider_message_id")
        .execute();
      const contacts = await s.db
        .selectFrom("contacts as c")
        .innerJoin("contact_metrics as cm", "cm.contact_seq", "c.seq")
        .select(["c.phone", "c.name", "c.consent_state", "c.consent_reason", "cm.last_inbound_at", "cm.heat"])
        .orderBy("c.phone")
        .execute();
      const tags = await s.db
        .selectFrom("contact_tags as t")
        .innerJoin("contacts as c", "c.seq", "t.contact_seq")
        .select(["c.phone", "t.tag", "t.source"])
        .orderBy("c.phone")
        .orderBy("t.tag")
        .execute();
      const conversations = await s.db
        .selectFrom("conversations as v")
        .innerJoin("contacts as c", "c.seq", "v.contact_seq")
        .select(["c.phone", "v.status", "v.unread", "v.waiting_since", "v.last_inbound_at", "v.last_preview"])
        .orderBy("c.phone")
        .execute();
      const rules = await s.db
        .selectFrom("automation_rules")
        .select(["name", "matches", "replies"])
        .orderBy("name")
        .execute();
      const handovers = await s.db
        .selectFrom("automation_handovers as h")
        .innerJoin("inbound_messages as i", "i.id", "h.inbound_message_id")
        .select(["i.provider_message_id", "h.note"])
        .orderBy("i.provider_message_id")
        .execute();
      const inbound = await s.db
        .selectFrom("inbound_messages")
        .select(["provider_message_id", "text"])
        .orderBy("provider_message_id")
        .execute();
      return { runs, contacts, tags, conversations, rules, handovers, inbound };
    }

    it("a batch with several messages of one contact and of mixed contacts ends as one message at a time", async () => {
      const more = async (s: Store) => {
        await rule(
          s,
          "VIP",
          { kind: "keyword", mode: "exact", keywords: ["vip"] },
          [{ kind: "reply", content: { kind: "text", body: "VIP 코드: GOLD" }, template: null }],
          [{ kind: "tag", op: "has", tag: "asked-discount" }],
        );
        await rule(
          s,
          "Coupon",
          { kind: "keyword", mode: "contains", keywords: ["쿠폰"] },
          [{ kind: "reply", content: { kind: "text", body: "쿠폰: WELCOME" }, template: null }],
          [{ kind: "consent", states: ["unknown", "opted_in"] }],
        );
        await rule(s, "Welcome", { kind: "first_message" }, [
          { kind: "reply", content: { kind: "text", body: "환영합니다" }, template: null },
        ]);
      };
      await more(store);
      const A = "821011110001";
      const B = "821011110002";
      const C = "821011110003";
      const D = "821011110004";
      const at = (i: number) => t0 + i * 1000;
      const a2 = inbound(A, text("할인"), at(3));
      // Interleaved: A's first message (Welcome), a discount (tags it), "vip" (needs that tag), an opt-out, then a
      // coupon (needs consent); B five discounts (the loop guard stops the 4th and 5th); C a hand-over then a
      // second message (not first any more); D "vip" without the tag (Welcome); A's discount delivered twice.
      const bodies = [
        inbound(A, text("안녕하세요"), at(1)),
        inbound(B, text("할인 0"), at(2)),
        inbound(C, text("상담원 연결"), at(2)),
        a2,
        inbound(B, text("할인 1"), at(4)),
        inbound(D, text("vip"), at(4)),
        inbound(A, text("vip"), at(5)),
        a2,
        inbound(B, text("할인 2"), at(6)),
        inbound(C, text("안녕하세요"), at(6)),
        inbound(A, text("수신거부"), at(7)),
        inbound(B, text("할인 3"), at(8)),
        inbound(A, text("쿠폰 주세요"), at(9)),
        inbound(B, text("할인 4"), at(10)),
        inbound(A, text("안녕하세요"), at(11)),
      ];
      const rounds = await deliver(...bodies);
      // One batch: round 1 holds the first message of each of the four contacts.
      expect(rounds[0]).toBe(4);
      const together = await snapshot(store);

      const alone = await dialect.open();
      try {
        await prepare(alone);
        await more(alone);
        for (const body of bodies) expect(await deliverTo(alone, body)).toEqual(expect.any(Array));
        expect(together).toEqual(await snapshot(alone));
      } finally {
        await alone.close();
      }

      const byText = new Map(together.runs.map((r) => [r.provider_message_id, r]));
      expect(together.runs.filter((r) => r.to_phone === B && r.outcome === "replied")).toHaveLength(3);
      expect(together.runs.filter((r) => r.name === "Discount" && r.outcome === "suppressed")).toHaveLength(2);
      expect(together.runs.filter((r) => r.name === "Welcome").map((r) => r.to_phone)).toEqual([A, D]);
      expect(together.runs.filter((r) => r.name === "VIP").map((r) => r.to_phone)).toEqual([A]);
      expect(together.runs.some((r) => r.name === "Coupon")).toBe(false); // A had opted out just before
      expect(together.contacts.find((c) => c.phone === `+${A}`)?.consent_state).toBe("opted_out");
      expect(together.handovers).toHaveLength(1);
      expect(together.inbound).toHaveLength(14); // the duplicate delivery stored once
      expect(together.conversations.find((c) => c.phone === `+${B}`)?.unread).toBe(5);
      expect(byText.size).toBe(together.runs.length);
    });
  });
}
