// Conformance: the sandbox against the documented shapes — statuses, windows, failures, webhook signatures.
// real: HTTP on 127.0.0.1, the sandbox, the receiver (checks X-Hub-Signature-256 with the app secret), parser.
// fake: time (virtual clock).
import { afterEach, describe, expect, test } from "vitest";
import type { StatusUpdate, WebhookEvent } from "../../src/whatsapp/webhook/events.js";
import { signBody } from "../../src/whatsapp/webhook/signature.js";
import { APP_SECRET, approvedTemplate, type Harness, PHONE_ID, rawPost, sender, startHarness } from "./harness.js";

const KR = "821012345678";
let h: Harness;
afterEach(async () => {
  await h.close();
});

const statuses = (events: WebhookEvent[], id?: string): StatusUpdate[] =>
  events.flatMap((e) => (e.kind === "status" && (id === undefined || e.status.messageId === id) ? [e.status] : []));

const offer = {
  name: "offer",
  language: "ko",
  category: "MARKETING" as const,
  components: [
    {
      type: "BODY" as const,
      text: "안녕하세요 {{1}}님, 이번 주 특가 소식을 알려드려요.",
      example: { body_text: [["김민수"]] },
    },
    {
      type: "BUTTONS" as const,
      buttons: [
        { type: "QUICK_REPLY" as const, text: "YES" },
        { type: "QUICK_REPLY" as const, text: "STOP" },
      ],
    },
  ],
};
const sendOffer = (to: string) =>
  h.provider.send(sender, {
    kind: "template",
    to,
    name: "offer",
    language: "ko",
    body: [{ type: "text", text: "민수" }],
  });

describe("statuses and pricing", () => {
  test("reports sent, delivered and read with PMP pricing on sent and on delivered only, and a v23 conversation", async () => {
    h = await startHarness({
      audience: {
        unreachableRate: 0,
        marketingOptOutRate: 0,
        overrides: { [KR]: { readRate: 1, deliveryRate: 1, readDelayMeanMs: 60_000, replyRate: 0 } },
      },
    });
    await approvedTemplate(h, offer);
    const { messageId } = await sendOffer(KR);
    await h.sandbox.flush();
    const s = statuses(h.events(), messageId);
    expect(s.map((x) => x.status)).toEqual(["sent", "delivered", "read"]);
    expect(s[0]?.pricing).toEqual({ billable: true, pricingModel: "PMP", type: "regular", category: "marketing" });
    expect(s[1]?.pricing).toBeDefined();
    expect(s[2]?.pricing).toBeUndefined();
    expect(s[0]?.conversation).toMatchObject({ originType: "marketing" });
    expect(s[0]?.conversation?.expiresAt).toBe((s[0]?.timestamp ?? 0) + 86_400_000);
    expect(h.deliveries.every((d) => d.validSignature)).toBe(true);
  });

  test("omits conversation on v24 webhooks", async () => {
    h = await startHarness();
    await approvedTemplate(h, offer);
    const r = await rawPost(h, `/v24.0/${PHONE_ID}/messages`, {
      messaging_product: "whatsapp",
      to: KR,
      type: "template",
      template: {
        name: "offer",
        language: { code: "ko" },
        components: [{ type: "body", parameters: [{ type: "text", text: "a" }] }],
      },
    });
    expect(r.status).toBe(200);
    await h.sandbox.advance(10_000);
    const sent = statuses(h.events()).find((x) => x.status === "sent");
    expect(sent?.pricing?.category).toBe("marketing");
    expect(sent?.conversation).toBeUndefined();
  });

  test("echoes biz_opaque_callback_data in every status", async () => {
    h = await startHarness();
    await approvedTemplate(h, offer);
    await h.provider.send(sender, {
      kind: "template",
      to: KR,
      name: "offer",
      language: "ko",
      body: [{ type: "text", text: "a" }],
      callbackData: "cmp-42:c-9",
    });
    await h.sandbox.advance(30_000);
    const s = statuses(h.events());
    expect(s.length).toBeGreaterThan(0);
    expect(s.every((x) => x.callbackData === "cmp-42:c-9")).toBe(true);
  });
});

describe("the 24-hour window", () => {
  test("fails free text with 131047 in a status webhook when the recipient's last message is 25 hours old", async () => {
    h = await startHarness();
    h.sandbox.inbound(PHONE_ID, KR, { text: "hi" });
    await h.sandbox.advance(25 * 3_600_000);
    const { messageId } = await h.provider.send(sender, { kind: "text", to: KR, body: "still there?" });
    await h.sandbox.advance(5_000);
    const [failed] = statuses(h.events(), messageId);
    expect(failed).toMatchObject({ status: "failed", errors: [{ code: 131047 }] });
    expect(failed?.pricing).toBeUndefined();
  });

  test("delivers free text as a free service message 23 hours after the recipient wrote", async () => {
    h = await startHarness({ audience: { unreachableRate: 0, marketingOptOutRate: 0, deliveryRate: 1 } });
    h.sandbox.inbound(PHONE_ID, KR, { text: "hi" });
    await h.sandbox.advance(23 * 3_600_000);
    const { messageId } = await h.provider.send(sender, { kind: "text", to: KR, body: "yes we are" });
    await h.sandbox.advance(5_000);
    const [sent] = statuses(h.events(), messageId);
    expect(sent).toMatchObject({
      status: "sent",
      pricing: { billable: false, type: "free_customer_service", category: "service" },
    });
  });
});

describe("delivery failures the audience causes", () => {
  test("fails an unreachable number with 131026 and no sent status", async () => {
    h = await startHarness({ audience: { overrides: { [KR]: { unreachable: true } } } });
    await approvedTemplate(h, offer);
    const { messageId } = await sendOffer(KR);
    await h.sandbox.flush();
    expect(statuses(h.events(), messageId).map((s) => [s.status, s.errors[0]?.code])).toEqual([["failed", 131026]]);
  });

  test("fails a marketing template to a US number with 131049 but delivers it to a Canadian one", async () => {
    h = await startHarness({ audience: { unreachableRate: 0, marketingOptOutRate: 0, deliveryRate: 1 } });
    await approvedTemplate(h, offer);
    const us = await sendOffer("+1 (650) 555-1234");
    const ca = await sendOffer("+1 416 555 1234");
    await h.sandbox.advance(10_000);
    expect(statuses(h.events(), us.messageId)[0]).toMatchObject({ status: "failed", errors: [{ code: 131049 }] });
    expect(statuses(h.events(), ca.messageId)[0]?.status).toBe("sent");
  });

  test("fails marketing to a user who stopped it with 131050", async () => {
    h = await startHarness({ audience: { overrides: { [KR]: { marketingOptOut: true } } } });
    await approvedTemplate(h, offer);
    const { messageId } = await sendOffer(KR);
    await h.sandbox.advance(5_000);
    expect(statuses(h.events(), messageId)[0]?.errors[0]?.code).toBe(131050);
  });

  test("fails the 51st unique recipient outside a window on a TIER_50 portfolio (131048 by default)", async () => {
    h = await startHarness({}, { tier: "TIER_50" });
    await approvedTemplate(h, offer);
    const ids: string[] = [];
    for (let i = 0; i < 51; i++) ids.push((await sendOffer(`8210000${String(i).padStart(5, "0")}`)).messageId);
    await sendOffer("821000000000"); // the first user again: already counted, still fine
    await h.sandbox.advance(5_000);
    const firstStatus = (id: string) => statuses(h.events(), id)[0];
    expect(firstStatus(ids[49] as string)?.status).toBe("sent");
    expect(firstStatus(ids[50] as string)).toMatchObject({ status: "failed", errors: [{ code: 131048 }] });
  });
});

describe("webhook delivery", () => {
  test("signs Meta-escaped bytes that both sides verify with the app secret", async () => {
    h = await startHarness();
    h.sandbox.inbound(PHONE_ID, KR, { text: "할인 🎉" }, "김민수");
    await h.sandbox.advance(1_000);
    const [d] = h.deliveries;
    const raw = d?.raw.toString("utf8") ?? "";
    expect(/^[\x20-\x7e]*$/.test(raw)).toBe(true);
    expect(raw).toContain("\\ud560\\uc778 \\ud83c\\udf89");
    expect(raw).toContain("\\uae40\\ubbfc\\uc218");
    expect(d?.signature).toBe(signBody(d?.raw ?? "", APP_SECRET));
    expect(d?.events[0]).toMatchObject({
      kind: "message",
      contact: { name: "김민수" },
      message: { type: "text", body: "할인 🎉" },
    });
  });

  test("retries a batch refused with 500 with the same bytes and signature until it is accepted", async () => {
    h = await startHarness();
    h.receiverStatus.code = 500;
    h.sandbox.inbound(PHONE_ID, KR, { text: "hi" });
    await h.sandbox.advance(200);
    expect(h.deliveries).toHaveLength(1);
    await h.sandbox.advance(1_000);
    await h.sandbox.advance(5_000);
    expect(h.deliveries).toHaveLength(3);
    h.receiverStatus.code = 200;
    await h.sandbox.advance(30_000);
    expect(h.deliveries).toHaveLength(4);
    expect(new Set(h.deliveries.map((d) => d.raw.toString())).size).toBe(1);
    expect(new Set(h.deliveries.map((d) => d.signature)).size).toBe(1);
    await h.sandbox.advance(3_600_000);
    expect(h.deliveries).toHaveLength(4);
  });

  test("duplicates updates into later POSTs when configured, as Meta's retries do", async () => {
    h = await startHarness({ webhook: { duplicateRate: 1 } });
    h.sandbox.inbound(PHONE_ID, KR, { text: "one" });
    h.sandbox.inbound(PHONE_ID, KR, { text: "two" });
    await h.sandbox.flush();
    const bodies = h
      .events()
      .flatMap((e) => (e.kind === "message" && e.message.type === "text" ? [e.message.body] : []));
    expect(bodies.sort()).toEqual(["one", "one", "two", "two"]);
    expect(h.deliveries.length).toBe(2);
  });

  test("batches updates of one window into one POST", async () => {
    h = await startHarness();
    for (let i = 0; i < 5; i++) h.sandbox.inbound(PHONE_ID, `8210000000${i}`, { text: `m${i}` });
    await h.sandbox.advance(500);
    expect(h.deliveries).toHaveLength(1);
    expect(h.deliveries[0]?.events).toHaveLength(5);
  });

  test("answers Meta's verification challenge through the control API", async () => {
    h = await startHarness();
    const r = await rawPost(h, `/_sandbox/phone-numbers/${PHONE_ID}/verify-webhook`, {});
    expect(r.body).toMatchObject({ ok: true, status: 200 });
  });
});
