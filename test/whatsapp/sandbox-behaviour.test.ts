// Conformance: template review, the simulated audience, the control API and bad input.
// real: HTTP on 127.0.0.1, the sandbox, the client, the receiver and parser. fake: time (virtual clock).
import { afterEach, describe, expect, test } from "vitest";
import type { TemplateDefinition } from "../../src/whatsapp/provider.js";
import { localHour, readWeight } from "../../src/whatsapp/sandbox/audience.js";
import { reviewTemplate } from "../../src/whatsapp/sandbox/review.js";
import type { WebhookEvent } from "../../src/whatsapp/webhook/events.js";
import { type Harness, metaError, PHONE_ID, rawPost, sender, startHarness, TOKEN, WABA_ID } from "./harness.js";

const KR = "821012345678";
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const body = (
  text: string,
  category: TemplateDefinition["category"] = "MARKETING",
  examples = [["x", "y"]],
): TemplateDefinition => ({
  name: `t_${Math.abs(hash(text + category))}`,
  language: "ko",
  category,
  components: [{ type: "BODY", text, example: { body_text: examples } }],
});
function hash(s: string): number {
  let x = 0;
  for (const c of s) x = (x * 31 + (c.codePointAt(0) ?? 0)) | 0;
  return x;
}
const templateEvents = (events: WebhookEvent[]) =>
  events.filter((e) => e.kind === "template_status" || e.kind === "template_category");

describe("template review", () => {
  test("approves a clean template after the review delay and reports it by webhook", async () => {
    h = await startHarness({ templateReviewDelayMs: 120_000 });
    const created = await h.provider.createTemplate(
      sender,
      body("안녕하세요 {{1}}님, 주문하신 상품 {{2}}이 발송되었습니다. 감사합니다."),
    );
    await h.sandbox.advance(119_000);
    expect(templateEvents(h.events())).toEqual([]);
    await h.sandbox.advance(1_100); // the review at 120 s, then the webhook batch window
    expect(templateEvents(h.events())).toMatchObject([
      { kind: "template_status", event: "APPROVED", templateId: created.id },
    ]);
  });

  test.each([
    ["a variable at the very start", "{{1}}님, 주문하신 상품 {{2}}이 발송되었습니다. 감사합니다."],
    ["a variable at the very end", "안녕하세요, 주문하신 상품이 발송되었습니다. 받는 분: {{1}} 주소: {{2}}."],
    ["adjacent variables", "안녕하세요 고객님, 주문 {{1}} {{2}} 이 발송되었습니다. 감사합니다."],
    ["too many variables for the text", "주문 {{1}} 상품 {{2}} 확인."],
  ])("rejects %s as INVALID_FORMAT with rejection_info", async (_why, text) => {
    h = await startHarness();
    await h.provider.createTemplate(sender, body(text, "UTILITY"));
    await h.sandbox.advance(61_000);
    const [e] = templateEvents(h.events());
    expect(e).toMatchObject({ kind: "template_status", event: "REJECTED", reason: "INVALID_FORMAT" });
    expect(e?.kind === "template_status" && e.rejectionInfo?.reason).toBeTruthy();
  });

  test("approves a UTILITY template with Korean promotional words (할인, 기간 한정) as MARKETING", async () => {
    h = await startHarness();
    await h.provider.createTemplate(
      sender,
      body("안녕하세요 {{1}}님, 기간 한정 할인 쿠폰 {{2}}을 확인하세요. 감사합니다.", "UTILITY"),
    );
    await h.sandbox.advance(61_000);
    expect(templateEvents(h.events())).toMatchObject([
      { kind: "template_status", event: "APPROVED", category: "MARKETING" },
      { kind: "template_category", newCategory: "MARKETING", previousCategory: "UTILITY" },
    ]);
    const [t] = (await h.provider.listTemplates(sender)).templates;
    expect(t?.category).toBe("MARKETING");
  });

  test("rejects an English 'discount' UTILITY template as INCORRECT_CATEGORY when configured to reject", async () => {
    h = await startHarness({ utilityPromotional: "reject" });
    await h.provider.createTemplate(
      sender,
      body("Hello {{1}}, your order {{2}} shipped. Enjoy a discount on your next order!", "UTILITY"),
    );
    await h.sandbox.advance(61_000);
    expect(templateEvents(h.events())).toMatchObject([{ event: "REJECTED", reason: "INCORRECT_CATEGORY" }]);
  });

  test("refuses bad definitions at once with 100 naming the field, and a duplicate name+language with subcode 2388024", async () => {
    h = await startHarness();
    const post = (b: unknown) => rawPost(h, `/v23.0/${WABA_ID}/message_templates`, b);
    const cases: [unknown, string][] = [
      [{ ...body("ok {{1}} text {{2}} more words here"), name: "Bad Name" }, "name"],
      [{ ...body("ok"), category: "PROMO" }, "category"],
      [{ ...body("x"), components: [{ type: "BODY", text: "Hi {{1}} there friend" }] }, "components[0].example"],
      [{ ...body("x"), components: [{ type: "BODY", text: "x".repeat(1025) }] }, "components[0].text"],
      [{ ...body("x"), components: [{ type: "FOOTER", text: "f" }] }, "components"],
    ];
    for (const [b, field] of cases) {
      const r = await post(b);
      expect(r.status, field).toBe(400);
      expect(metaError(r.body).code).toBe(100);
      expect(metaError(r.body).error_data?.details).toContain(field);
    }
    const ok = body("안녕하세요 {{1}}님, 주문하신 상품 {{2}}이 발송되었습니다. 감사합니다.");
    expect((await post(ok)).status).toBe(200);
    const dup = await post(ok);
    expect(metaError(dup.body)).toMatchObject({ code: 100, error_subcode: 2388024 });
  });

  test("review rules are a pure function of the text", () => {
    const base = { hasOtpButton: false, utilityPromotional: "recategorize" as const, draw: 0.5, randomRejectRate: 0 };
    expect(
      reviewTemplate({ ...base, category: "MARKETING", body: "Hi {{1}}, see our new {{2}} arrivals today!" }).status,
    ).toBe("APPROVED");
    expect(
      reviewTemplate({ ...base, category: "AUTHENTICATION", body: "Your code is {{1}}. Do not share it." }).reason,
    ).toBe("INVALID_FORMAT");
    expect(
      reviewTemplate({
        ...base,
        category: "MARKETING",
        body: "You have won the lottery {{1}}, send a wire transfer now",
      }).reason,
    ).toBe("SCAM");
    expect(
      reviewTemplate({ ...base, category: "MARKETING", body: "Hi {{1}} we sell shoes here", randomRejectRate: 1 })
        .status,
    ).toBe("REJECTED");
  });
});

describe("simulated audience", () => {
  test("taps a quick-reply button of the template it read, with the payload and the template's wamid as context", async () => {
    h = await startHarness({
      audience: { overrides: { [KR]: { readRate: 1, replyRate: 1, deliveryRate: 1 } }, buttonTapShare: 1 },
    });
    await h.provider.createTemplate(sender, {
      name: "offer",
      language: "ko",
      category: "MARKETING",
      components: [
        { type: "BODY", text: "안녕하세요 {{1}}님, 새 상품이 나왔어요. 보시겠어요?", example: { body_text: [["a"]] } },
        { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "Yes" }] },
      ],
    });
    await h.sandbox.advance(60_000);
    const { messageId } = await h.provider.send(sender, {
      kind: "template",
      to: KR,
      name: "offer",
      language: "ko",
      body: [{ type: "text", text: "민수" }],
      buttons: [{ subType: "quick_reply", index: 0, payload: "OFFER_YES" }],
    });
    await h.sandbox.flush();
    const tap = h.events().find((e) => e.kind === "message");
    expect(tap).toMatchObject({
      message: { type: "button", payload: "OFFER_YES", text: "Yes", context: { id: messageId } },
    });
    expect(h.sandbox.received(KR)[0]).toMatchObject({ status: "read", reply: "OFFER_YES" });
  });

  test("replies with the configured text, which opens the window for free text", async () => {
    h = await startHarness({
      audience: { overrides: { [KR]: { readRate: 1, replyRate: 1, deliveryRate: 1, replyText: "할인" } } },
    });
    await h.provider.createTemplate(sender, {
      name: "hello",
      language: "ko",
      category: "UTILITY",
      components: [{ type: "BODY", text: "주문이 접수되었습니다. 감사합니다." }],
    });
    await h.sandbox.advance(60_000);
    await h.provider.send(sender, { kind: "template", to: KR, name: "hello", language: "ko" });
    await h.sandbox.flush();
    expect(h.events().find((e) => e.kind === "message")).toMatchObject({ message: { type: "text", body: "할인" } });
    const { messageId } = await h.provider.send(sender, { kind: "text", to: KR, body: "쿠폰 코드는 SAVE10 입니다" });
    await h.sandbox.advance(5_000);
    const s = h.events().find((e) => e.kind === "status" && e.status.messageId === messageId);
    expect(s).toMatchObject({ status: { status: "sent" } });
  });

  test("is deterministic: the same seed gives the same statuses at the same times", async () => {
    const run = async () => {
      const x = await startHarness({ seed: 7, audience: {} });
      await x.provider.createTemplate(
        sender,
        body("안녕하세요 {{1}}님, 주문하신 상품 {{2}}이 발송되었습니다. 감사합니다."),
      );
      await x.sandbox.advance(60_000);
      for (let i = 0; i < 20; i++) {
        await x.provider.send(sender, {
          kind: "template",
          to: `8210555${String(i).padStart(5, "0")}`,
          name: body("안녕하세요 {{1}}님, 주문하신 상품 {{2}}이 발송되었습니다. 감사합니다.").name,
          language: "ko",
          body: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        });
      }
      await x.sandbox.flush();
      const out = x
        .events()
        .flatMap((e) =>
          e.kind === "status"
            ? [`${e.status.recipientId}:${e.status.status}:${e.status.timestamp}`]
            : e.kind === "message"
              ? [`reply:${e.message.from}`]
              : [],
        )
        .sort();
      await x.close();
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a.length).toBeGreaterThan(40);
    expect(a).toEqual(b);
  });

  test("reads more at 10–12 h and 20–22 h local time than at night", () => {
    expect(readWeight(11)).toBeGreaterThan(readWeight(15));
    expect(readWeight(21)).toBeGreaterThan(readWeight(15));
    expect(readWeight(3)).toBeLessThan(readWeight(15));
    // 01:00 UTC is 10:00 in Seoul (+9).
    expect(localHour(Date.UTC(2026, 0, 5, 1), 540)).toBe(10);
  });
});

describe("control API", () => {
  test("lowers a number's tier and quality and sends phone_number_quality_update", async () => {
    h = await startHarness();
    const r = await fetch(`${h.origin}/_sandbox/phone-numbers/${PHONE_ID}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tier: "TIER_250", quality: "RED" }),
    });
    expect(r.status).toBe(200);
    await h.sandbox.advance(1_000);
    expect(h.events()).toMatchObject([
      { kind: "phone_number_quality", event: "DOWNGRADE", currentLimit: "TIER_250", oldLimit: "TIER_10K" },
    ]);
    expect(await h.provider.getPhoneNumber(sender)).toMatchObject({ qualityRating: "RED", messagingLimit: "TIER_250" });
  });

  test("injects inbound messages of any type, including unknown ones kept by the parser", async () => {
    h = await startHarness();
    const post = (b: unknown) =>
      rawPost(h, "/_sandbox/inbound", { phoneNumberId: PHONE_ID, from: KR, ...(b as object) }, null);
    expect((await post({ text: "STOP" })).status).toBe(200);
    expect((await post({ interactive: { kind: "list_reply", id: "S", title: "Small" } })).status).toBe(200);
    expect((await post({ message: { type: "hologram", hologram: { x: 1 } } })).status).toBe(200);
    await h.sandbox.advance(1_000);
    expect(h.events().map((e) => (e.kind === "message" ? e.message.type : e.kind))).toEqual([
      "text",
      "interactive",
      "unknown",
    ]);
  });

  test("lists what a number received and resets state", async () => {
    h = await startHarness();
    h.sandbox.inbound(PHONE_ID, KR, { text: "hi" });
    await h.provider.send(sender, { kind: "text", to: KR, body: "hello" });
    const list = (await (await fetch(`${h.origin}/_sandbox/received/${KR}`)).json()) as { messages: unknown[] };
    expect(list.messages).toMatchObject([{ type: "text", text: "hello", to: KR, phoneNumberId: PHONE_ID }]);
    await rawPost(h, "/_sandbox/reset", {}, null);
    expect(h.sandbox.received(KR)).toEqual([]);
  });
});

describe("bad input never crashes the sandbox", () => {
  test("answers Meta's error body to malformed requests and keeps serving", async () => {
    h = await startHarness();
    const path = `/v23.0/${PHONE_ID}/messages`;
    const cases: [unknown, number, string?][] = [
      ["{not json", 100, "body"],
      [[1, 2, 3], 100, "body"],
      [{ to: KR, type: "text", text: { body: "x" } }, 100, "messaging_product"],
      [{ messaging_product: "whatsapp", to: KR, type: "text", text: { body: "x" }, foo: 1 }, 100, "foo"],
      [{ messaging_product: "whatsapp", to: "abc", type: "text", text: { body: "x" } }, 100, "to"],
      [{ messaging_product: "whatsapp", to: KR, type: "carrier_pigeon", carrier_pigeon: {} }, 100, "carrier_pigeon"],
      [{ messaging_product: "whatsapp", to: KR, type: "location" }, 100, "location"],
      [{ messaging_product: "whatsapp", to: KR, type: "text", text: { body: 5 } }, 100, "text['body']"],
      [{ messaging_product: "whatsapp", to: KR, type: "image", image: { link: "ftp://x" } }, 100, "image['link']"],
      [
        { messaging_product: "whatsapp", to: KR, type: "template", template: { name: "x" } },
        100,
        "template['language']['code']",
      ],
      [
        {
          messaging_product: "whatsapp",
          to: KR,
          type: "interactive",
          interactive: { type: "button", body: { text: "x" }, action: { buttons: [] } },
        },
        100,
        "buttons",
      ],
    ];
    for (const [b, code, field] of cases) {
      const r = await rawPost(h, path, b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      const e = metaError(r.body);
      expect(e).toMatchObject({ code, type: "OAuthException" });
      expect(e.fbtrace_id).toBeTruthy();
      if (field) expect(e.error_data?.details).toContain(field);
    }
    const unknownPath = await rawPost(h, "/v23.0/x/y/z", {});
    expect(metaError(unknownPath.body).code).toBe(2500);
    const noToken = await rawPost(h, path, { messaging_product: "whatsapp" }, null);
    expect(noToken.status).toBe(401);
    expect(metaError(noToken.body).code).toBe(190);
    for (let i = 0; i < 50; i++) {
      const junk = i % 2 ? JSON.stringify({ [`k${i}`]: "x".repeat(i) }) : `${"\u0000".repeat(i)}}`;
      const r = await rawPost(h, path, junk, TOKEN);
      expect(r.status).toBe(400);
    }
    expect((await fetch(`${h.origin}/_sandbox/state`)).status).toBe(200);
  });
});
