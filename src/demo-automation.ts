/**
 * The demo's auto-reply rules (docs/automation.md): the embedded sandbox's simulated customers answer campaigns
 * with "할인", "YES" taps and "STOP", so after the first start and a demo campaign these fire and count.
 */
import type { RuleInput } from "./domain/automation/index.js";
import { createRule } from "./store/automation-rules.js";
import type { Store } from "./store/db.js";

/** The demo rules, in priority order. */
export const DEMO_RULES: RuleInput[] = [
  {
    name: "Opt out: STOP / 수신거부",
    enabled: true,
    trigger: { kind: "keyword", mode: "exact", keywords: ["STOP", "UNSUBSCRIBE", "수신거부", "수신 거부"] },
    conditions: [],
    actions: [
      {
        kind: "opt_out",
        confirmation:
          "수신거부 처리되었습니다. 더 이상 광고 메시지를 보내지 않습니다. 다시 받으시려면 START를 보내주세요.\nYou are unsubscribed. Send START to subscribe again.",
      },
    ],
  },
  {
    name: "Opt in: START",
    enabled: true,
    trigger: { kind: "keyword", mode: "exact", keywords: ["START", "수신동의"] },
    conditions: [],
    actions: [
      { kind: "opt_in", confirmation: "다시 구독해 주셔서 감사합니다! / Welcome back, you are subscribed again." },
    ],
  },
  {
    name: "Campaign YES button → offer",
    enabled: true,
    trigger: { kind: "button", payloads: ["OFFER_YES", "YES"] },
    conditions: [],
    actions: [
      {
        kind: "reply",
        content: {
          kind: "buttons",
          body: "좋아요! 봄 세일 20% 할인 코드는 SPRING20 입니다. 일요일까지 사용하세요. / Great! Your code SPRING20 takes 20% off until Sunday.",
          buttons: [
            { id: "SHOP_NOW", title: "Shop now" },
            { id: "AGENT", title: "Talk to us" },
          ],
        },
        template: null,
      },
      { kind: "add_tag", tag: "spring-offer" },
    ],
  },
  {
    name: "할인 → discount code",
    enabled: true,
    trigger: { kind: "keyword", mode: "contains", keywords: ["할인", "쿠폰", "discount", "coupon"] },
    conditions: [],
    actions: [
      {
        kind: "reply",
        content: {
          kind: "text",
          body: "할인 코드 SPRING20 을 결제 시 입력하면 20% 할인됩니다. / Use code SPRING20 for 20% off.",
        },
        template: null,
      },
      { kind: "add_tag", tag: "asked-discount" },
    ],
  },
  {
    name: "Talk to a person",
    enabled: true,
    trigger: { kind: "keyword", mode: "contains", keywords: ["상담원", "상담", "agent", "human", "talk to us"] },
    conditions: [],
    actions: [
      {
        kind: "reply",
        content: {
          kind: "text",
          body: "상담원을 연결해 드릴게요. 잠시만 기다려 주세요. / A person will answer shortly.",
        },
        template: null,
      },
      { kind: "handover", note: "asked for a person" },
    ],
  },
  {
    name: "Outside business hours",
    enabled: true,
    trigger: {
      kind: "outside_hours",
      hours: { timeZone: "Asia/Seoul", days: [1, 2, 3, 4, 5], open: "09:00", close: "18:00" },
    },
    conditions: [],
    actions: [
      {
        kind: "reply",
        content: {
          kind: "text",
          body: "지금은 상담 시간이 아니에요. 평일 오전 9시에 답변드릴게요. / We're closed now; we'll answer at 9 am (KST, Mon–Fri).",
        },
        template: null,
      },
    ],
  },
];

/** Creates the demo rules; returns a line for the start banner. */
export async function seedAutomationDemo(store: Store, now: number): Promise<string> {
  for (const rule of DEMO_RULES) await createRule(store.db, rule, null, now);
  return `${DEMO_RULES.length} auto-reply rules (할인, the YES button, STOP/수신거부, START, a person, after hours)`;
}
