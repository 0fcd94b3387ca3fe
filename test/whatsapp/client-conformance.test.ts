// Conformance: Herald's Cloud API client against the sandbox over real HTTP on 127.0.0.1 (port 0).
// real: HTTP, the client, the sandbox, the webhook receiver, signatures (app secret on both sides), parser.
// fake: time (virtual clock, advanced by the test).
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { TemplateDefinition } from "../../src/whatsapp/provider.js";
import { isProviderError, type ProviderError } from "../../src/whatsapp/provider-error.js";
import { approvedTemplate, DISPLAY, type Harness, PHONE_ID, sender, startHarness } from "./harness.js";

const KR = "821012345678";
const spring: TemplateDefinition = {
  name: "spring_sale",
  language: "ko",
  category: "MARKETING",
  components: [
    {
      type: "BODY",
      text: "안녕하세요 {{1}}님, 봄맞이 {{2}} 쿠폰이 도착했어요. 확인해 보세요!",
      example: { body_text: [["김민수", "10%"]] },
    },
    {
      type: "BUTTONS",
      buttons: [
        { type: "QUICK_REPLY", text: "Yes" },
        { type: "QUICK_REPLY", text: "No" },
      ],
    },
  ],
};

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isProviderError(err)) throw new Error(`expected a ProviderError, got ${String(err)}`);
  return err;
}

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("Cloud API client ↔ sandbox", () => {
  test("sends an approved template and gets Meta's answer: input echoed, wa_id normalised, a wamid", async () => {
    await approvedTemplate(h, spring);
    const r = await h.provider.send(sender, {
      kind: "template",
      to: "+82 10-1234-5678",
      name: "spring_sale",
      language: "ko",
      body: [
        { type: "text", text: "김민수" },
        { type: "text", text: "20%" },
      ],
      buttons: [{ subType: "quick_reply", index: 0, payload: "OFFER_YES" }],
    });
    expect(r.input).toBe("+82 10-1234-5678");
    expect(r.waId).toBe(KR);
    expect(r.messageId).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    expect(h.sandbox.received(KR)[0]).toMatchObject({
      text: "안녕하세요 김민수님, 봄맞이 20% 쿠폰이 도착했어요. 확인해 보세요!",
    });
  });

  test("sends text, media by link and id, reply buttons, lists, reactions and replies inside the window", async () => {
    h.sandbox.inbound(PHONE_ID, KR, { text: "hi" });
    const { id: mediaId } = await h.provider.uploadMedia(sender, {
      data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]),
      mimeType: "image/jpeg",
      filename: "a.jpg",
    });
    const sends = [
      h.provider.send(sender, { kind: "text", to: KR, body: "안녕하세요 😀", previewUrl: true }),
      h.provider.send(sender, {
        kind: "media",
        to: KR,
        mediaType: "image",
        media: { link: "https://example.com/a.jpg" },
        caption: "c",
      }),
      h.provider.send(sender, { kind: "media", to: KR, mediaType: "image", media: { id: mediaId } }),
      h.provider.send(sender, {
        kind: "media",
        to: KR,
        mediaType: "document",
        media: { link: "https://example.com/a.pdf" },
        filename: "a.pdf",
      }),
      h.provider.send(sender, {
        kind: "buttons",
        to: KR,
        body: "Want it?",
        buttons: [
          { id: "Y", title: "Yes" },
          { id: "N", title: "No" },
        ],
      }),
      h.provider.send(sender, {
        kind: "list",
        to: KR,
        body: "Pick",
        buttonLabel: "Sizes",
        sections: [{ title: "Shirts", rows: [{ id: "S", title: "Small", description: "90" }] }],
      }),
      h.provider.send(sender, { kind: "reaction", to: KR, messageId: "wamid.X", emoji: "👍" }),
      h.provider.send(sender, { kind: "text", to: KR, body: "quoted", replyTo: "wamid.X" }),
    ];
    const results = await Promise.all(sends);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(sends.length);
    await h.sandbox.advance(5_000);
    const failed = h.events().filter((e) => e.kind === "status" && e.status.status === "failed");
    expect(failed).toEqual([]);
  });

  test("marks an inbound message read", async () => {
    const id = h.sandbox.inbound(PHONE_ID, KR, { text: "hi" });
    await expect(h.provider.markRead(sender, id)).resolves.toBeUndefined();
  });

  test("creates, lists (paged), and deletes templates on the WABA", async () => {
    const created = await h.provider.createTemplate(sender, spring);
    expect(created).toMatchObject({ status: "PENDING", category: "MARKETING" });
    await h.provider.createTemplate(sender, { ...spring, name: "spring_sale_2" });
    await h.provider.createTemplate(sender, { ...spring, language: "en_US" });
    const first = await h.provider.listTemplates(sender, { limit: 2 });
    expect(first.templates).toHaveLength(2);
    expect(first.next).toBeDefined();
    const second = await h.provider.listTemplates(sender, { limit: 2, after: first.next });
    expect(second.templates).toHaveLength(1);
    expect(second.next).toBeUndefined();
    await h.sandbox.advance(60_000);
    const approved = await h.provider.listTemplates(sender, { status: "APPROVED", name: "spring_sale" });
    expect(approved.templates.length).toBe(3);
    await h.provider.deleteTemplate(sender, "spring_sale");
    const left = await h.provider.listTemplates(sender);
    expect(left.templates.map((t) => `${t.name}/${t.language}`)).toEqual(["spring_sale_2/ko"]);
    expect((await failure(h.provider.deleteTemplate(sender, "spring_sale"))).code).toBe(100);
  });

  test("reads the phone number's quality, tier and throughput for 'test connection'", async () => {
    expect(await h.provider.getPhoneNumber(sender)).toEqual({
      id: PHONE_ID,
      displayPhoneNumber: `+${DISPLAY}`,
      verifiedName: "Herald Sandbox",
      qualityRating: "GREEN",
      messagingLimit: "TIER_10K",
      throughputLevel: "STANDARD",
    });
  });

  test("answers 190 (stop sender) to an invalid token and 100 subcode 33 to another WABA", async () => {
    const e = await failure(h.provider.send({ ...sender, accessToken: "nope" }, { kind: "text", to: KR, body: "x" }));
    expect(e).toMatchObject({ code: 190, httpStatus: 401, action: "stop_sender", retryable: false });
    expect(e.fbtraceId).toMatch(/^A/);
    const other = await failure(h.provider.listTemplates({ ...sender, wabaId: "999" }));
    expect(other).toMatchObject({ code: 100, subcode: 33 });
  });

  test("answers 132001 to a template that does not exist in that language or is not approved", async () => {
    const missing = await failure(h.provider.send(sender, { kind: "template", to: KR, name: "nope", language: "ko" }));
    expect(missing).toMatchObject({ code: 132001, action: "stop_campaign" });
    await h.provider.createTemplate(sender, spring);
    const pending = await failure(
      h.provider.send(sender, { kind: "template", to: KR, name: "spring_sale", language: "ko" }),
    );
    expect(pending.code).toBe(132001);
    await h.sandbox.advance(60_000);
    const wrongLanguage = await failure(
      h.provider.send(sender, { kind: "template", to: KR, name: "spring_sale", language: "en_US" }),
    );
    expect(wrongLanguage.code).toBe(132001);
  });

  test("answers 132000 when the parameter count does not match the template", async () => {
    await approvedTemplate(h, spring);
    const e = await failure(
      h.provider.send(sender, {
        kind: "template",
        to: KR,
        name: "spring_sale",
        language: "ko",
        body: [{ type: "text", text: "a" }],
      }),
    );
    expect(e).toMatchObject({ code: 132000, action: "fix_request", httpStatus: 400 });
    expect(String(e.details)).toContain("(1) does not match the expected number of params (2)");
  });

  test("answers 132018 to a parameter with a newline, and the client refuses a 4097-character text before the network", async () => {
    await approvedTemplate(h, spring);
    const e = await failure(
      h.provider.send(sender, {
        kind: "template",
        to: KR,
        name: "spring_sale",
        language: "ko",
        body: [
          { type: "text", text: "a\nb" },
          { type: "text", text: "c" },
        ],
      }),
    );
    expect(e.code).toBe(132018);
    const local = await failure(h.provider.send(sender, { kind: "text", to: KR, body: "x".repeat(4097) }));
    expect(local).toMatchObject({ code: 100, origin: "local" });
    expect(local.message).toContain("text.body");
  });

  test("answers 130429 when the number's messages-per-second limit is exceeded", async () => {
    await h.close();
    h = await startHarness({}, { mpsLimit: 5 });
    h.sandbox.inbound(PHONE_ID, KR, { text: "hi" });
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) => h.provider.send(sender, { kind: "text", to: `8210000000${i}`, body: "x" })),
    );
    const codes = results.map((r) => (r.status === "fulfilled" ? 200 : (r.reason as ProviderError).code));
    expect(codes.filter((c) => c === 200)).toHaveLength(5);
    expect(codes.filter((c) => c === 130429)).toHaveLength(2);
    await h.sandbox.advance(1_000);
    await expect(h.provider.send(sender, { kind: "text", to: KR, body: "again" })).resolves.toBeDefined();
  });

  test("answers 131056 when one recipient gets more than the pair limit allows", async () => {
    await h.close();
    h = await startHarness({ pairLimit: { intervalMs: 6_000, burst: 3 } });
    h.sandbox.inbound(PHONE_ID, KR, { text: "hi" });
    for (let i = 0; i < 3; i++) await h.provider.send(sender, { kind: "text", to: KR, body: `m${i}` });
    const e = await failure(h.provider.send(sender, { kind: "text", to: KR, body: "m4" }));
    expect(e).toMatchObject({ code: 131056, action: "retry_recipient_later", retryable: true });
    await h.sandbox.advance(6_000);
    await expect(h.provider.send(sender, { kind: "text", to: KR, body: "m5" })).resolves.toBeDefined();
  });

  test("answers Meta's 100 naming the field for bad parameters", async () => {
    const e = await failure(
      h.provider.send(sender, {
        kind: "buttons",
        to: KR,
        body: "x",
        buttons: [{ id: "a", title: "a title longer than twenty" }],
      }),
    );
    expect(e).toMatchObject({ code: 100, origin: "local" });
    expect(e.message).toContain("interactive.action.buttons.0.reply.title");
  });
});
