import { describe, expect, it } from "vitest";
import { DEMO_RULES } from "../../../src/demo-automation.js";
import {
  type ContactFacts,
  DEFAULT_GUARD_POLICY,
  evaluateRules,
  type InboundFacts,
  isOpen,
  looksAutomated,
  type Rule,
  replyAllowed,
  ruleInputSchema,
  type Trigger,
  triggerFires,
} from "../../../src/domain/automation/index.js";

// Real: the pure matcher, conditions, guards and planner. Plain values; a fixed instant (Thursday 26 Nov 2026).
const NOW = Date.UTC(2026, 10, 26, 3, 0, 0); // 12:00 in Seoul
const text = (t: string, extra: Partial<InboundFacts> = {}): InboundFacts => ({
  text: t,
  payload: null,
  firstMessage: false,
  receivedAt: NOW,
  ...extra,
});
const contact: ContactFacts = { tags: new Set(["vip"]), segments: new Set(["seg-1"]), consent: "opted_in" };
const allow = { allowed: true } as const;

function rule(id: string, partial: Partial<Rule>): Rule {
  return {
    id,
    name: id,
    enabled: true,
    position: 0,
    trigger: { kind: "keyword", mode: "contains", keywords: ["할인"] },
    conditions: [],
    actions: [{ kind: "reply", content: { kind: "text", body: `reply ${id}` }, template: null }],
    ...partial,
  };
}

describe("keyword triggers", () => {
  const exact: Trigger = { kind: "keyword", mode: "exact", keywords: ["YES", "할인"] };
  const contains: Trigger = { kind: "keyword", mode: "contains", keywords: ["할인", "discount code"] };
  const anyOf: Trigger = { kind: "keyword", mode: "any_of", keywords: ["ok", "네"] };

  it.each(["YES", "yes", "yes!", "Yes please", "“yes”", "ＹＥＳ", "할인", "할인!!", "할인요", "할인 주세요"])(
    "exact keyword matches %s",
    (t) => expect(triggerFires(exact, text(t)).fired).toBe(true),
  );
  it.each(["yes and no", "yesterday", "할인 코드 주세요", "no"])("exact keyword does not match %s", (t) =>
    expect(triggerFires(exact, text(t)).fired).toBe(false),
  );
  it.each(["할인 코드 주세요", "할인이요", "봄할인 있나요?", "Any DISCOUNT-CODE today?"])("contains matches %s", (t) =>
    expect(triggerFires(contains, text(t)).fired).toBe(true),
  );
  it("contains keeps Latin word boundaries", () => {
    expect(triggerFires({ kind: "keyword", mode: "contains", keywords: ["yes"] }, text("yesterday")).fired).toBe(false);
  });
  it("any-of matches a whole word of the message", () => {
    expect(triggerFires(anyOf, text("ok, thanks")).fired).toBe(true);
    expect(triggerFires(anyOf, text("네 알겠습니다")).fired).toBe(true);
    expect(triggerFires(anyOf, text("okay")).fired).toBe(false);
  });
  it("regex runs over NFKC, lower-cased text", () => {
    const re: Trigger = { kind: "regex", pattern: "order\\s*#?\\d{4,}" };
    expect(triggerFires(re, text("Where is ORDER #12345?")).fired).toBe(true);
    expect(triggerFires(re, text("ｏｒｄｅｒ １２３４５")).fired).toBe(true);
    expect(triggerFires(re, text("where is my order")).fired).toBe(false);
  });
  it("a message without text never matches a keyword", () => {
    expect(triggerFires(exact, text("", { text: null })).fired).toBe(false);
  });
});

describe("other triggers", () => {
  it("button payloads compare case-insensitively", () => {
    const t: Trigger = { kind: "button", payloads: ["OFFER_YES"] };
    expect(triggerFires(t, text("YES", { payload: "offer_yes" })).fired).toBe(true);
    expect(triggerFires(t, text("YES")).fired).toBe(false);
  });
  it("first message fires only for a new contact", () => {
    expect(triggerFires({ kind: "first_message" }, text("hi", { firstMessage: true })).fired).toBe(true);
    expect(triggerFires({ kind: "first_message" }, text("hi")).fired).toBe(false);
  });
  it("outside hours knows the business's time zone and days", () => {
    const hours = { timeZone: "Asia/Seoul", days: [1, 2, 3, 4, 5], open: "09:00", close: "18:00" };
    expect(isOpen(hours, NOW)).toBe(true); // Thursday 12:00 KST
    expect(isOpen(hours, Date.UTC(2026, 10, 26, 10, 0))).toBe(false); // 19:00 KST
    expect(isOpen(hours, Date.UTC(2026, 10, 28, 3, 0))).toBe(false); // Saturday
    expect(
      triggerFires({ kind: "outside_hours", hours }, text("hi", { receivedAt: Date.UTC(2026, 10, 25, 23, 0) })).fired,
    ).toBe(true); // 08:00
  });
});

describe("evaluating rules in priority order", () => {
  it("the first matching rule fires and the others say why they did not", () => {
    const rules = [
      rule("off", { enabled: false }),
      rule("stop", { trigger: { kind: "keyword", mode: "exact", keywords: ["STOP"] } }),
      rule("discount", {}),
      rule("also-discount", {}),
    ];
    const result = evaluateRules({
      rules,
      inbound: text("할인 코드 주세요"),
      contact,
      windowOpen: true,
      guard: allow,
      now: NOW,
    });
    expect(result.verdicts.map((v) => v.outcome)).toEqual(["disabled", "no_match", "fired", "not_reached"]);
    expect(result.plan?.reply).toEqual({ kind: "free", content: { kind: "text", body: "reply discount" } });
  });

  it("a failing condition passes the message on to the next rule", () => {
    const rules = [
      rule("vip-only", { conditions: [{ kind: "tag", op: "lacks", tag: "vip" }] }),
      rule("segment", {
        conditions: [
          { kind: "segment", op: "in", segmentId: "seg-1" },
          { kind: "consent", states: ["opted_in"] },
        ],
      }),
    ];
    const result = evaluateRules({ rules, inbound: text("할인"), contact, windowOpen: true, guard: allow, now: NOW });
    expect(result.verdicts[0]).toMatchObject({ outcome: "condition_failed", detail: 'the contact has the tag "vip"' });
    expect(result.plan?.ruleId).toBe("segment");
  });

  it("time-of-day conditions wrap midnight", () => {
    const night = rule("night", {
      conditions: [{ kind: "time_of_day", timeZone: "Asia/Seoul", from: "22:00", to: "08:00" }],
    });
    const at2am = Date.UTC(2026, 10, 26, 17, 0); // 02:00 KST
    expect(
      evaluateRules({ rules: [night], inbound: text("할인"), contact, windowOpen: true, guard: allow, now: at2am })
        .plan,
    ).not.toBeNull();
    expect(
      evaluateRules({ rules: [night], inbound: text("할인"), contact, windowOpen: true, guard: allow, now: NOW }).plan,
    ).toBeNull();
  });

  it("never sends free text outside the window: the template instead, or nothing", () => {
    const withTemplate = rule("t", {
      actions: [
        {
          kind: "reply",
          content: { kind: "text", body: "hi" },
          template: { templateId: "tpl", variables: { "1": "A" } },
        },
      ],
    });
    const closed = { inbound: text("할인"), contact, windowOpen: false, guard: allow, now: NOW };
    expect(evaluateRules({ rules: [withTemplate], ...closed }).plan?.reply).toEqual({
      kind: "template",
      template: { templateId: "tpl", variables: { "1": "A" } },
    });
    const plan = evaluateRules({ rules: [rule("x", {})], ...closed }).plan;
    expect(plan?.reply).toBeNull();
    expect(plan?.replySuppressed).toMatch(/^window_closed/);
  });

  it("an opt-out rule records consent and its confirmation; a guard stops only the reply", () => {
    const stop = rule("stop", {
      trigger: { kind: "keyword", mode: "exact", keywords: ["STOP", "UNSUBSCRIBE", "수신거부"] },
      actions: [
        { kind: "opt_out", confirmation: "수신거부 처리되었습니다." },
        { kind: "add_tag", tag: "opted-out" },
        { kind: "handover", note: null },
      ],
    });
    const open = evaluateRules({
      rules: [stop],
      inbound: text("수신거부요"),
      contact,
      windowOpen: true,
      guard: allow,
      now: NOW,
    }).plan;
    expect(open).toMatchObject({ consent: "opt_out", addTags: ["opted-out"], handover: { note: null } });
    expect(open?.reply).toEqual({ kind: "free", content: { kind: "text", body: "수신거부 처리되었습니다." } });
    const guarded = evaluateRules({
      rules: [stop],
      inbound: text("STOP"),
      contact,
      windowOpen: true,
      guard: { allowed: false, reason: "hourly_cap", detail: "10 automatic replies in the last hour" },
      now: NOW,
    }).plan;
    expect(guarded).toMatchObject({
      consent: "opt_out",
      reply: null,
      replySuppressed: "hourly_cap: 10 automatic replies in the last hour",
    });
  });
});

describe("guards", () => {
  const MIN = 60_000;
  it("stops after K replies in M minutes (a loop with another bot)", () => {
    const v = replyAllowed(DEFAULT_GUARD_POLICY, {
      text: "hi",
      recentReplies: [NOW - MIN, NOW - 30_000, NOW - 10_000],
      now: NOW,
    });
    expect(v).toMatchObject({ allowed: false, reason: "loop" });
  });
  it("caps replies per contact per hour", () => {
    const replies = Array.from({ length: 10 }, (_, i) => NOW - (i + 2) * 5 * MIN);
    expect(replyAllowed(DEFAULT_GUARD_POLICY, { text: "hi", recentReplies: replies, now: NOW })).toMatchObject({
      reason: "hourly_cap",
    });
    expect(replyAllowed(DEFAULT_GUARD_POLICY, { text: "hi", recentReplies: replies.slice(1), now: NOW }).allowed).toBe(
      true,
    );
  });
  it("recognises another machine's automatic answer, in English and Korean", () => {
    expect(looksAutomated("This is an automated message, do not reply")).toBe(true);
    expect(looksAutomated("[자동응답] 지금은 상담 시간이 아닙니다")).toBe(true);
    expect(looksAutomated("할인 코드 주세요")).toBe(false);
  });
});

describe("rule validation", () => {
  const base = { name: "r", trigger: { kind: "keyword", mode: "exact", keywords: ["yes"] } };
  it("accepts a rule and fills defaults", () => {
    const r = ruleInputSchema.parse({ ...base, actions: [{ kind: "reply", content: { kind: "text", body: "hi" } }] });
    expect(r).toMatchObject({ enabled: true, conditions: [], actions: [{ template: null }] });
  });
  it("names the failing field", () => {
    const bad = ruleInputSchema.safeParse({ ...base, trigger: { kind: "regex", pattern: "(" }, actions: [] });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["trigger.pattern", "actions"]));
  });
  it("refuses two messages for one inbound message", () => {
    const two = ruleInputSchema.safeParse({
      ...base,
      actions: [
        { kind: "reply", content: { kind: "text", body: "a" } },
        { kind: "opt_out", confirmation: "b" },
      ],
    });
    expect(two.success).toBe(false);
  });
  it("refuses a punctuation-only keyword and a bad time zone", () => {
    expect(
      ruleInputSchema.safeParse({
        ...base,
        trigger: { kind: "keyword", mode: "exact", keywords: ["!!"] },
        actions: [{ kind: "handover" }],
      }).success,
    ).toBe(false);
    expect(
      ruleInputSchema.safeParse({
        ...base,
        trigger: { kind: "outside_hours", hours: { timeZone: "Mars/Base", days: [1], open: "09:00", close: "18:00" } },
        actions: [{ kind: "handover" }],
      }).success,
    ).toBe(false);
  });
});

describe("the demo rules", () => {
  const rules: Rule[] = DEMO_RULES.map((r, i) => ({ id: `r${i}`, position: i, ...ruleInputSchema.parse(r) }));
  const fire = (inbound: InboundFacts) =>
    evaluateRules({ rules, inbound, contact, windowOpen: true, guard: allow, now: inbound.receivedAt }).plan;

  it("answer 할인 with the discount code and the YES button with the offer", () => {
    expect(fire(text("할인 코드 있나요?"))?.ruleName).toBe("할인 → discount code");
    expect(fire(text("YES", { payload: "OFFER_YES" }))).toMatchObject({
      ruleName: "Campaign YES button → offer",
      addTags: ["spring-offer"],
    });
  });
  it("opt out on STOP and 수신거부 with a confirmation, opt in on START", () => {
    expect(fire(text("stop"))).toMatchObject({ consent: "opt_out", reply: { kind: "free" } });
    expect(fire(text("수신거부요"))?.consent).toBe("opt_out");
    expect(fire(text("START"))?.consent).toBe("opt_in");
  });
  it("say when a person will answer outside business hours", () => {
    const saturday = Date.UTC(2026, 10, 28, 3);
    expect(fire(text("hello?", { receivedAt: saturday }))?.ruleName).toBe("Outside business hours");
    expect(fire(text("hello?"))).toBeNull();
  });
});
