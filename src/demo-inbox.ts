/**
 * Demo conversations for the team inbox (first `herald start`): Korean and English customers writing to the
 * sandbox number — one VIP waiting, one unanswered for 3 hours (overdue), one answered by an agent, one answered
 * by an automatic reply, one pending — and canned replies /hours, /shipping and /refund in both languages.
 * Written straight into the database with past times, as the applier and the dispatcher would have written them.
 */
import { createCannedReply } from "./store/canned-replies.js";
import { recordConversationInbound, recordConversationReplies, recordReplyAuthor } from "./store/conversations.js";
import type { Store } from "./store/db.js";
import { storeInboundMessage } from "./store/inbound.js";
import { insertMessages } from "./store/messages.js";

const MIN = 60_000;

const CANNED = [
  {
    shortcut: "hours",
    language: "ko",
    title: "영업시간",
    body: "고객센터 운영시간은 평일 오전 9시부터 오후 6시까지입니다 (주말·공휴일 휴무).",
  },
  {
    shortcut: "hours",
    language: "en",
    title: "Opening hours",
    body: "Our support team is available Monday to Friday, 9:00–18:00 KST.",
  },
  {
    shortcut: "shipping",
    language: "ko",
    title: "배송 안내",
    body: "주문 후 1~2일 안에 출고되며, 출고 후 보통 1~2일 안에 도착합니다. 송장번호는 출고 시 알림톡으로 보내드려요.",
  },
  {
    shortcut: "shipping",
    language: "en",
    title: "Shipping",
    body: "Orders ship within 1–2 business days and usually arrive 1–2 days later. We send the tracking number when it ships.",
  },
  {
    shortcut: "refund",
    language: "ko",
    title: "환불 안내",
    body: "상품 수령 후 7일 이내에 환불을 요청하실 수 있어요. 주문번호를 알려주시면 바로 도와드리겠습니다.",
  },
  {
    shortcut: "refund",
    language: "en",
    title: "Refunds",
    body: "You can ask for a refund within 7 days of delivery. Send us your order number and we will take care of it.",
  },
];

interface DemoContact {
  seq: number;
  phone: string;
}

/** Creates the demo conversations and canned replies; returns a line for the start banner. */
export async function seedInboxDemo(store: Store, senderId: string, now: number): Promise<string> {
  const db = store.db;
  for (const c of CANNED) await createCannedReply(db, c, null, now);
  const agent = await db.selectFrom("users").select("id").orderBy("created_at").executeTakeFirst();

  const vip = await db
    .selectFrom("contacts as c")
    .innerJoin("contact_tags as t", "t.contact_seq", "c.seq")
    .select(["c.seq", "c.phone"])
    .where("t.tag", "=", "VIP")
    .where("c.language", "=", "ko")
    .orderBy("c.seq")
    .executeTakeFirst();
  const others = await db
    .selectFrom("contacts")
    .select(["seq", "phone", "language"])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("contact_tags")
            .select("tag")
            .whereRef("contact_seq", "=", "contacts.seq")
            .where("tag", "=", "VIP"),
        ),
      ),
    )
    .orderBy("seq")
    .limit(40)
    .execute();
  const korean = others.filter((c) => c.language === "ko");
  const english = others.find((c) => c.language === "en");
  let n = 0;
  const writes = async (who: DemoContact, text: string, at: number) => {
    n += 1;
    const stored = await storeInboundMessage(
      db,
      {
        providerMessageId: `wamid.demo.in.${n}`,
        senderId,
        contactSeq: who.seq,
        waId: who.phone.slice(1),
        type: "text",
        text,
        payload: null,
        contextMessageId: null,
        message: { from: who.phone.slice(1), id: `wamid.demo.in.${n}`, timestamp: at, type: "text", body: text },
        receivedAt: at,
      },
      at,
    );
    if (stored) await recordConversationInbound(db, stored.id, at);
  };
  const answer = async (who: DemoContact, origin: "agent" | "auto_reply", text: string, at: number) => {
    n += 1;
    const id = `demo-reply-${n}`;
    await insertMessages(db, [
      {
        id,
        campaign_id: null,
        contact_seq: who.seq,
        sender_id: senderId,
        to_phone: who.phone.slice(1),
        origin,
        category: "service",
        payload: JSON.stringify({ kind: "text", to: who.phone.slice(1), body: text }),
        status: "queued",
        skip_reason: null,
        due_at: at,
        created_at: at,
      },
    ]);
    await db
      .updateTable("messages")
      .set({
        status: "read",
        provider_message_id: `wamid.demo.out.${n}`,
        sent_at: at,
        delivered_at: at + 2_000,
        read_at: at + 60_000,
      })
      .where("id", "=", id)
      .execute();
    if (origin === "agent") {
      const conversation = await db
        .selectFrom("conversations")
        .select("id")
        .where("contact_seq", "=", who.seq)
        .where("sender_id", "=", senderId)
        .executeTakeFirstOrThrow();
      await recordReplyAuthor(db, { messageId: id, conversationId: conversation.id, userId: agent?.id ?? null }, at);
      // Answering from the inbox assigns an unassigned conversation to whoever answered (engine/inbox.ts).
      await db
        .updateTable("conversations")
        .set({ assigned_to: agent?.id ?? null })
        .where("id", "=", conversation.id)
        .execute();
    }
    await recordConversationReplies(db, [{ id, kind: "sent", providerMessageId: `wamid.demo.out.${n}`, at }], at);
  };

  const lines: string[] = [];
  if (vip) {
    await writes(vip, "VIP 전용 할인은 언제 시작하나요?", now - 20 * MIN);
    lines.push("a VIP waiting 20 minutes");
  }
  const [late, auto, pending] = korean;
  if (late) {
    await writes(late, "주문한 상품이 아직 안 왔어요. 확인 부탁드립니다.", now - 190 * MIN);
    await writes(late, "주문번호는 20261125-0042 입니다.", now - 185 * MIN);
    lines.push("one overdue");
  }
  if (english) {
    await writes(english, "Hi, can I change the delivery address of my order?", now - 75 * MIN);
    await answer(english, "agent", "Of course! Please send us the new address and your order number.", now - 72 * MIN);
    await writes(english, "Thanks! It is 12 Teheran-ro, Gangnam-gu, Seoul. Order 20261125-0107.", now - 50 * MIN);
  }
  if (auto) {
    await writes(auto, "할인", now - 240 * MIN);
    await answer(auto, "auto_reply", "이번 주 할인 코드는 WELCOME10 입니다 🎁", now - 240 * MIN + 1_500);
    await writes(auto, "감사합니다!", now - 230 * MIN);
    await answer(auto, "agent", "감사합니다. 좋은 하루 보내세요!", now - 226 * MIN);
    await db
      .updateTable("conversations")
      .set({ status: "closed", unread: 0 })
      .where("contact_seq", "=", auto.seq)
      .execute();
  }
  if (pending) {
    await writes(pending, "교환 신청했는데 택배 기사님이 언제 오시나요?", now - 30 * 60 * MIN);
    await answer(pending, "agent", "택배사에 확인 중입니다. 확인되는 대로 알려드릴게요.", now - 29 * 60 * MIN);
    await db
      .updateTable("conversations")
      .set({ status: "pending", unread: 0 })
      .where("contact_seq", "=", pending.seq)
      .execute();
  }
  const count = await db
    .selectFrom("conversations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return `${Number(count.n)} inbox conversations (${lines.join(", ")}), canned replies /hours /shipping /refund in ko and en`;
}
