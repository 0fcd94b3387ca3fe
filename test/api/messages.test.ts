import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/model.js";
import { SecretBox } from "../../src/secret-box.js";
import { recordInbound } from "../../src/store/contact-metrics.js";
import { createSender } from "../../src/store/senders.js";
import { insertTemplate, type TemplateStatus } from "../../src/store/templates.js";
import { buildTestApp, type TestApp } from "../support/app.js";
import { DIALECTS } from "../support/dialects.js";

// Real: routes, auth, zod validation, the gates and the database (every dialect). Faked: the clock (fixed) and the
// engine (its wake-up is counted; nothing is sent here — test/e2e/messages.e2e.test.ts sends through the sandbox).
const WABA = "700100200";
const HOUR = 3_600_000;

const template = (name: string, category: Template["category"], body: string, examples: Record<string, string>) =>
  ({
    name,
    language: "ko",
    category,
    parameterFormat: "POSITIONAL",
    header: null,
    body,
    examples,
    footer: null,
    buttons: [],
  }) as Template;

for (const dialect of DIALECTS) {
  describe(`POST /api/v1/messages on ${dialect.name}`, () => {
    let t: TestApp;
    let auth: Record<string, string>;
    let senderId: string;

    const send = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.app.inject({ method: "POST", url: "/api/v1/messages", headers: { ...auth, ...headers }, payload: body });
    const addTemplate = async (tpl: Template, status: TemplateStatus) =>
      insertTemplate(
        t.store.db,
        { template: tpl, lint: [], wabaId: WABA, senderId, status, createdBy: null, source: "sync", event: status },
        t.clock.now,
      );
    const addContact = async (phone: string, consent: Record<string, unknown> | undefined) => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/contacts",
        headers: auth,
        payload: { phone, name: "김민수", ...(consent ? { consent } : {}) },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const shipped = (to: string, extra: Record<string, unknown> = {}) => ({
      senderId,
      to,
      template: { name: "order_shipped", language: "ko", variables: { "1": "A-1001" } },
      ...extra,
    });

    beforeEach(async () => {
      t = await buildTestApp({}, dialect);
      auth = { authorization: await t.bearer("marketer") };
      const sender = await createSender(
        t.store.db,
        new SecretBox(t.config.secretKey),
        {
          name: "Shop",
          provider: "sandbox",
          phoneNumberId: "700300400",
          wabaId: WABA,
          apiOrigin: "http://127.0.0.1:9",
          apiVersion: "v23.0",
          accessToken: "token-messages-api",
          appSecret: "secret-messages-api",
          verifyToken: "verify-messages-api",
          mpsLimit: 80,
          messagingTier: "TIER_10K",
        },
        t.clock.now,
      );
      senderId = sender.id;
      await addTemplate(
        template("order_shipped", "UTILITY", "주문하신 상품 {{1}}이 오늘 발송되었습니다. 감사합니다.", { "1": "A-1" }),
        "APPROVED",
      );
      await addTemplate(
        template("flash_sale", "MARKETING", "오늘만 {{1}} 전 상품 20% 할인 행사를 합니다.", { "1": "고객님" }),
        "APPROVED",
      );
      await addTemplate(
        template("new_notice", "UTILITY", "새 공지 {{1}}를 확인해 주세요. 감사합니다.", { "1": "N-1" }),
        "PENDING",
      );
    });
    afterEach(async () => {
      await t.close();
    });

    it("queues an approved template to a phone number as an api message and shows its status", async () => {
      const res = await send(shipped("+82 10-1234-5678"));
      expect(res.statusCode, res.body).toBe(201);
      const message = res.json();
      expect(message).toMatchObject({
        status: "queued",
        origin: "api",
        category: "utility",
        to: "+821012345678",
        senderId,
        kind: "template",
        template: { name: "order_shipped", language: "ko" },
        error: null,
        dueAt: t.clock.now,
      });
      const row = await t.store.db
        .selectFrom("messages")
        .selectAll()
        .where("id", "=", message.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(row.payload)).toMatchObject({
        kind: "template",
        to: "821012345678",
        body: [{ text: "A-1001" }],
      });
      const got = await t.app.inject({ method: "GET", url: `/api/v1/messages/${message.id}`, headers: auth });
      expect(got.statusCode).toBe(200);
      expect(got.json()).toEqual(message);
    });

    it("returns the first message for a repeated idempotency key, and refuses the key for another message", async () => {
      const first = await send(shipped("+821012345678", { idempotencyKey: "order-1001-shipped" }));
      expect(first.statusCode).toBe(201);
      const again = await send(shipped("+821012345678", { idempotencyKey: "order-1001-shipped" }));
      expect(again.statusCode).toBe(200);
      expect(again.headers["idempotent-replayed"]).toBe("true");
      expect(again.json().id).toBe(first.json().id);
      expect(again.json().idempotencyKey).toBe("order-1001-shipped");
      const other = await send(shipped("+821099998888", { idempotencyKey: "order-1001-shipped" }));
      expect(other.statusCode).toBe(409);
      expect(other.json().error.details.messageId).toBe(first.json().id);
      // The header works the same way.
      const viaHeader = await send(shipped("+821012345678"), { "idempotency-key": "order-1001-shipped" });
      expect(viaHeader.json().id).toBe(first.json().id);
      const rows = await t.store.db.selectFrom("messages").select("id").execute();
      expect(rows).toHaveLength(1);
    });

    it("refuses free text outside the 24-hour window with the reason, and sends it inside", async () => {
      const contactId = await addContact("+821055550001", undefined);
      const text = { senderId, contactId, text: { body: "배송 문의 주셔서 감사합니다. 내일 도착합니다." } };
      const outside = await send(text);
      expect(outside.statusCode).toBe(422);
      expect(outside.json().error).toMatchObject({
        code: "unprocessable",
        details: { reason: "outside_service_window" },
      });
      expect(outside.json().error.message).toMatch(/within 24 hours.*approved template/);
      await recordInbound(t.store.db, contactId, t.clock.now - 2 * HOUR, t.clock.now);
      const inside = await send(text);
      expect(inside.statusCode, inside.body).toBe(201);
      expect(inside.json()).toMatchObject({ kind: "text", category: "service", contactId });
      // 25 hours after the contact wrote, the window is closed again.
      t.clock.now += 23 * HOUR;
      expect((await send(text)).json().error.details.reason).toBe("outside_service_window");
    });

    it("applies consent and the frequency cap to marketing templates only", async () => {
      const optedOut = await addContact("+821055550002", { state: "opted_out", reason: "keyword" });
      const optedIn = await addContact("+821055550003", { state: "opted_in", source: "form" });
      const sale = (contactId: string) => ({
        senderId,
        contactId,
        template: { name: "flash_sale", language: "ko", variables: { "1": "김민수님" } },
      });
      expect((await send(sale(optedOut))).json().error.details.reason).toBe("opted_out");
      expect((await send(sale(await addContact("+821055550004", undefined)))).json().error.details.reason).toBe(
        "not_opted_in",
      );
      expect((await send(sale(optedIn))).statusCode).toBe(201);
      const capped = await send(sale(optedIn));
      expect(capped.statusCode).toBe(422);
      expect(capped.json().error.details).toEqual({ reason: "frequency_cap", retryAt: t.clock.now + 24 * HOUR });
      // A utility template still goes to the opted-out contact (an order update is not a promotion).
      const utility = await send({ ...shipped("+821055550002"), to: undefined, contactId: optedOut });
      expect(utility.statusCode, utility.body).toBe(201);
    });

    it("names the field for bad input and refuses templates that are missing or not approved", async () => {
      const badPhone = await send(shipped("12"));
      expect(badPhone.statusCode).toBe(400);
      expect(badPhone.json().error.details.issues[0].path).toBe("to");
      const noVariable = await send({
        ...shipped("+821012345678"),
        template: { name: "order_shipped", language: "ko" },
      });
      expect(noVariable.statusCode).toBe(400);
      expect(noVariable.json().error.details.issues[0].path).toBe("template.variables.1");
      const both = await send({ ...shipped("+821012345678"), text: { body: "hi" } });
      expect(both.statusCode).toBe(400);
      expect(both.json().error.details.issues[0].path).toBe("template");
      const neither = await send({ senderId, template: shipped("+821012345678").template });
      expect(neither.json().error.details.issues[0].path).toBe("to");
      const pending = await send({
        ...shipped("+821012345678"),
        template: { name: "new_notice", language: "ko", variables: { "1": "N-2" } },
      });
      expect(pending.statusCode).toBe(422);
      expect(pending.json().error.details).toMatchObject({ reason: "template_not_approved", status: "PENDING" });
      const missing = await send({ ...shipped("+821012345678"), template: { name: "nope", language: "ko" } });
      expect(missing.statusCode).toBe(404);
      expect((await send({ ...shipped("+821012345678"), senderId: "nope" })).statusCode).toBe(404);
      expect(
        (await send({ ...shipped("+821012345678"), contactId: undefined, to: undefined, contactId2: 1 })).statusCode,
      ).toBe(400);
      expect(await t.store.db.selectFrom("messages").select("id").execute()).toEqual([]);
    });

    it("is for admins and marketers, documented in the OpenAPI document, and 404s for an unknown id", async () => {
      const agent = { authorization: await t.bearer("agent") };
      const denied = await t.app.inject({
        method: "POST",
        url: "/api/v1/messages",
        headers: agent,
        payload: shipped("+821012345678"),
      });
      expect(denied.statusCode).toBe(403);
      expect((await t.app.inject({ method: "GET", url: "/api/v1/messages/nope", headers: auth })).statusCode).toBe(404);
      const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/messages", "/api/v1/messages/{id}"]));
      expect(doc.paths["/api/v1/messages"].post.responses["422"]).toBeDefined();
    });
  });
}
