import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addUser } from "../../src/api/auth/accounts.js";
import { startApplier } from "../../src/engine/applier.js";
import { createEventHandlers } from "../../src/engine/handlers/index.js";
import { createLogger } from "../../src/logger.js";
import {
  assignConversation,
  findConversationId,
  markConversationRead,
  recordConversationReplies,
  recordReplyAuthor,
  setConversationStatus,
} from "../../src/store/conversations.js";
import {
  conversationsChangedSince,
  getConversationView,
  listConversations,
  setInboxSettings,
} from "../../src/store/conversations-list.js";
import type { Store } from "../../src/store/db.js";
import { createSegment } from "../../src/store/segments.js";
import { teamMetrics } from "../../src/store/team-metrics.js";
import { insertWebhookEvent } from "../../src/store/webhook-events.js";
import { DIALECTS } from "../support/dialects.js";
import {
  customerWrites,
  INBOX_PHONE_ID,
  INBOX_WABA,
  inboxContacts,
  inboxSender,
  sentMessage,
} from "../support/inbox.js";

// Real: the database (each dialect), the inbound handler through the applier (first test). Faked: the clock.
const MIN = 60_000;
const HOUR = 60 * MIN;
const t0 = Date.UTC(2026, 10, 26, 9);
const A = "+821011110001";
const B = "+821011110002";
const C = "+821011110003";

for (const dialect of DIALECTS) {
  describe(`conversations on ${dialect.name}`, () => {
    let store: Store;
    let senderId: string;
    let seqs: Map<string, number>;
    const seq = (phone: string) => seqs.get(phone) as number;

    beforeEach(async () => {
      store = await dialect.open();
      senderId = await inboxSender(store, t0);
      seqs = await inboxContacts(store, [A, B, C], t0);
    });
    afterEach(async () => {
      await store.close();
    });

    it("the inbound handler opens a conversation for a customer's first message", async () => {
      const body = JSON.stringify({
        object: "whatsapp_business_account",
        entry: [
          {
            id: INBOX_WABA,
            changes: [
              {
                field: "messages",
                value: {
                  messaging_product: "whatsapp",
                  metadata: { display_phone_number: "15550783881", phone_number_id: INBOX_PHONE_ID },
                  contacts: [{ profile: { name: "김민수" }, wa_id: A.slice(1) }],
                  messages: [
                    {
                      from: A.slice(1),
                      id: "wamid.in.1",
                      timestamp: String(t0 / 1000),
                      type: "text",
                      text: { body: "배송 언제 와요?" },
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
      await insertWebhookEvent(store.db, { senderId: null, body }, t0);
      const applier = startApplier({
        store,
        handlers: createEventHandlers(),
        logger: createLogger({ logLevel: "silent" }),
        now: () => t0 + 500,
      });
      await applier.drain();
      await applier.stop();
      const { data } = await listConversations(store.db, {}, { limit: 10, offset: 0 }, t0 + MIN);
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({
        status: "open",
        unread: 1,
        waitingSince: t0,
        lastInboundAt: t0,
        lastPreview: "배송 언제 와요?",
        contact: { phone: A },
        overdue: false,
        window: { open: true, closesAt: t0 + 24 * HOUR },
      });
    });

    it("counts unread messages, keeps the first unanswered time, and reopens a closed conversation", async () => {
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "hello", at: t0 });
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "anyone there?", at: t0 + 5 * MIN });
      const id = (await findConversationId(store.db, seq(A), senderId)) as string;
      let view = await getConversationView(store.db, id, t0 + 6 * MIN);
      expect(view).toMatchObject({ unread: 2, waitingSince: t0, lastPreview: "anyone there?", waitingMs: 6 * MIN });
      await setConversationStatus(store.db, id, "closed", t0 + 7 * MIN);
      await markConversationRead(store.db, id, t0 + 7 * MIN);
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "one more thing", at: t0 + 8 * MIN });
      view = await getConversationView(store.db, id, t0 + 8 * MIN);
      expect(view).toMatchObject({ status: "open", unread: 1, waitingSince: t0 });
    });

    it("an agent reply ends the wait with a first-response record; an automatic reply counts as auto", async () => {
      const agent = await addUser(store, { email: "agent@example.com", password: "x".repeat(12), role: "agent" }, t0);
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "refund?", at: t0 });
      const id = (await findConversationId(store.db, seq(A), senderId)) as string;
      await sentMessage(store, {
        id: "m-agent-1",
        senderId,
        seq: seq(A),
        phone: A,
        origin: "agent",
        text: "Sure",
        at: t0 + 3 * MIN,
      });
      await recordReplyAuthor(store.db, { messageId: "m-agent-1", conversationId: id, userId: agent.id }, t0);
      // A campaign message in the same batch changes nothing in the inbox.
      await sentMessage(store, {
        id: "m-camp-1",
        senderId,
        seq: seq(B),
        phone: B,
        origin: "campaign",
        text: "Sale",
        at: t0 + 3 * MIN,
      });
      await recordConversationReplies(
        store.db,
        [
          { id: "m-agent-1", kind: "sent", providerMessageId: "x", at: t0 + 3 * MIN },
          { id: "m-camp-1", kind: "sent", providerMessageId: "y", at: t0 + 3 * MIN },
        ],
        t0 + 3 * MIN,
      );
      const view = await getConversationView(store.db, id, t0 + 4 * MIN);
      expect(view).toMatchObject({ waitingSince: null, unread: 0, lastOutboundAt: t0 + 3 * MIN, lastPreview: "Sure" });
      expect(await findConversationId(store.db, seq(B), senderId)).toBeNull();

      // The second waiting period is answered by an automatic reply 20 s later.
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "할인", at: t0 + 10 * MIN });
      await sentMessage(store, {
        id: "m-auto-1",
        senderId,
        seq: seq(A),
        phone: A,
        origin: "auto_reply",
        text: "CODE10",
        at: t0 + 10 * MIN + 20_000,
      });
      await recordConversationReplies(
        store.db,
        [{ id: "m-auto-1", kind: "sent", providerMessageId: "z", at: t0 }],
        t0 + 11 * MIN,
      );
      // Recording the same batch again adds nothing.
      await recordConversationReplies(
        store.db,
        [{ id: "m-auto-1", kind: "sent", providerMessageId: "z", at: t0 }],
        t0 + 11 * MIN,
      );
      const responses = await store.db
        .selectFrom("conversation_responses")
        .selectAll()
        .orderBy("responded_at")
        .execute();
      expect(responses.map((r) => [Number(r.response_ms), r.responder, r.user_id])).toEqual([
        [3 * MIN, "agent", agent.id],
        [20_000, "auto", null],
      ]);
      // The automatic reply leaves the unread count for a person to clear.
      expect((await getConversationView(store.db, id, t0 + 11 * MIN)).unread).toBe(1);

      const metrics = await teamMetrics(store.db, { from: t0 - HOUR, to: t0 + HOUR }, t0 + HOUR);
      expect(metrics.team).toMatchObject({ answered: 2, medianMs: 20_000, within5MinShare: 1, autoShare: 0.5 });
      expect(metrics.agents).toEqual([
        expect.objectContaining({ userId: agent.id, answered: 1, medianMs: 3 * MIN, replies: 1, within5MinShare: 1 }),
      ]);
      expect(metrics.replies).toEqual({ agent: 1, auto: 1, autoShare: 0.5 });
    });

    it("records a batch of replies, two to one conversation, as if they were recorded one by one", async () => {
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "할인?", at: t0 });
      await customerWrites(store, { senderId, seq: seq(B), phone: B, text: "hi", at: t0 });
      const reply = (id: string, phone: string, origin: "agent" | "auto_reply", text: string, at: number) =>
        sentMessage(store, { id, senderId, seq: seq(phone), phone, origin, text, at });
      await reply("m-a1", A, "auto_reply", "CODE10", t0 + MIN);
      await reply("m-b1", B, "agent", "Hello B", t0 + MIN);
      await reply("m-a2", A, "agent", "Anything else?", t0 + 2 * MIN);
      await store.db.transaction().execute((trx) =>
        recordConversationReplies(
          trx,
          ["m-a1", "m-b1", "m-a2"].map((id, i) => ({ id, kind: "sent" as const, providerMessageId: `w${i}`, at: t0 })),
          t0 + 3 * MIN,
        ),
      );
      const responses = await store.db
        .selectFrom("conversation_responses")
        .select(["message_id", "responder", "response_ms"])
        .orderBy("message_id")
        .execute();
      // The automatic reply ended A's wait; the agent's later reply to A found nothing waiting.
      expect(responses.map((r) => [r.message_id, r.responder, Number(r.response_ms)])).toEqual([
        ["m-a1", "auto", MIN],
        ["m-b1", "agent", MIN],
      ]);
      const a = await getConversationView(store.db, (await findConversationId(store.db, seq(A), senderId)) ?? "", t0);
      expect(a).toMatchObject({
        waitingSince: null,
        unread: 0,
        lastOutboundAt: t0 + 2 * MIN,
        lastPreview: "Anything else?",
      });
      const b = await getConversationView(store.db, (await findConversationId(store.db, seq(B), senderId)) ?? "", t0);
      expect(b).toMatchObject({ waitingSince: null, unread: 0, lastOutboundAt: t0 + MIN, lastPreview: "Hello B" });
    });

    it("counts a customer still waiting past 5 minutes as a miss in the 5-minute share", async () => {
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "hi", at: t0 });
      await customerWrites(store, { senderId, seq: seq(B), phone: B, text: "hi", at: t0 });
      await sentMessage(store, {
        id: "m-a",
        senderId,
        seq: seq(A),
        phone: A,
        origin: "agent",
        text: "Hello",
        at: t0 + MIN,
      });
      await recordConversationReplies(
        store.db,
        [{ id: "m-a", kind: "sent", providerMessageId: "x", at: t0 + MIN }],
        t0 + MIN,
      );
      const metrics = await teamMetrics(store.db, { from: t0 - HOUR, to: t0 + HOUR }, t0 + 10 * MIN);
      expect(metrics.team).toMatchObject({ answered: 1, waiting: 1, within5MinShare: 0.5 });
    });

    it("lists high-value customers first, then the longest waiting, and flags those waiting 2 hours", async () => {
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "a", at: t0 });
      await customerWrites(store, { senderId, seq: seq(B), phone: B, text: "b", at: t0 + HOUR });
      await customerWrites(store, { senderId, seq: seq(C), phone: C, text: "c", at: t0 + 90 * MIN });
      await store.db.insertInto("tags").values({ name: "VIP", created_at: t0 }).execute();
      await store.db
        .insertInto("contact_tags")
        .values({
          contact_seq: seq(C),
          tag: "VIP",
          source: "manual",
          rule_id: null,
          note: null,
          added_at: t0,
          added_by: null,
        })
        .execute();
      const now = t0 + 2 * HOUR + MIN;
      let { data } = await listConversations(store.db, {}, { limit: 10, offset: 0 }, now);
      expect(data.map((c) => [c.contact.phone, c.priority, c.overdue])).toEqual([
        [C, true, false],
        [A, false, true],
        [B, false, false],
      ]);
      // A segment instead of the tag: contacts whose language is "en".
      await store.db.updateTable("contacts").set({ language: "en" }).where("seq", "=", seq(B)).execute();
      const segment = await createSegment(
        store.db,
        {
          name: "English",
          description: "",
          rules: { kind: "condition", field: "contact.language", op: "eq", value: "en" },
        },
        t0,
      );
      await setInboxSettings(store.db, { priorityTag: null, prioritySegmentId: segment.id }, now);
      ({ data } = await listConversations(store.db, {}, { limit: 10, offset: 0 }, now));
      expect(data.map((c) => c.contact.phone)).toEqual([B, A, C]);
      // Paging.
      const first = await listConversations(store.db, {}, { limit: 2, offset: 0 }, now);
      expect(first.nextOffset).toBe(2);
      const second = await listConversations(store.db, {}, { limit: 2, offset: 2 }, now);
      expect(second.data.map((c) => c.contact.phone)).toEqual([C]);
      expect(second.nextOffset).toBeNull();
    });

    it("filters by status, assignee and sender, and reports changes since a time", async () => {
      const agent = await addUser(store, { email: "a@example.com", password: "x".repeat(12), role: "agent" }, t0);
      await customerWrites(store, { senderId, seq: seq(A), phone: A, text: "a", at: t0 });
      await customerWrites(store, { senderId, seq: seq(B), phone: B, text: "b", at: t0 });
      const idA = (await findConversationId(store.db, seq(A), senderId)) as string;
      await assignConversation(store.db, idA, agent.id, t0 + MIN);
      await expect(assignConversation(store.db, idA, "nobody", t0)).rejects.toMatchObject({
        code: "validation_failed",
      });
      const list = (filter: Parameters<typeof listConversations>[1]) =>
        listConversations(store.db, filter, { limit: 10, offset: 0 }, t0 + MIN).then((r) =>
          r.data.map((c) => c.contact.phone),
        );
      expect(await list({ assigned: "me", userId: agent.id })).toEqual([A]);
      expect(await list({ assigned: "unassigned" })).toEqual([B]);
      expect(await list({ senderId: "other" })).toEqual([]);
      await setConversationStatus(store.db, idA, "pending", t0 + 2 * MIN);
      expect(await list({ status: "pending" })).toEqual([A]);
      const changed = await conversationsChangedSince(store.db, t0 + 2 * MIN, t0 + 2 * MIN);
      expect(changed.map((c) => [c.id, c.status, c.assignee?.id])).toEqual([[idA, "pending", agent.id]]);
    });
  });
}
