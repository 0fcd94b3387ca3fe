import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TemplateInput } from "../../src/domain/template/index.js";
import { createCloudApiProvider } from "../../src/whatsapp/cloud-api/client.js";
import type { Provider, SenderRef } from "../../src/whatsapp/provider.js";
import { type Sandbox, startSandbox } from "../../src/whatsapp/sandbox/index.js";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: routes, auth, validation, SQLite, the Cloud API client and the sandbox over HTTP on 127.0.0.1 (its review
// and its template list). Faked: both clocks (the sandbox runs on virtual time, so its review is instant to wait for).
const token = "sandbox-token-templates-0123";
const phone = { id: "106540352242922", wabaId: "102290129340398" };
const REVIEW_MS = 60_000;

const springSale: TemplateInput = {
  name: "spring_sale",
  language: "en_US",
  category: "MARKETING",
  body: "Hi {{1}}, our spring sale starts today. Use code {{2}} for 20% off everything until Sunday.",
  examples: { "1": "Minsu", "2": "SPRING20" },
  footer: "Reply STOP to opt out",
  buttons: [
    { kind: "QUICK_REPLY", text: "YES" },
    { kind: "QUICK_REPLY", text: "STOP" },
  ],
};

describe("templates API", () => {
  let sandbox: Sandbox & { origin: string };
  let t: TestApp;
  let admin: Record<string, string>;
  let senderId: string;
  let outside: Provider;
  const ref: SenderRef = { phoneNumberId: phone.id, wabaId: phone.wabaId, accessToken: token };

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      clock: "virtual",
      templateReviewDelayMs: REVIEW_MS,
      phoneNumbers: [{ ...phone, displayPhoneNumber: "15550783881", accessToken: token, appSecret: "app-secret-x" }],
    });
    outside = createCloudApiProvider({ origin: sandbox.origin, version: "v23.0" });
  });
  afterAll(async () => {
    await outside.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    sandbox.reset();
    t = await buildTestApp({}, undefined, { sandboxOrigin: sandbox.origin });
    admin = { authorization: await t.bearer("admin") };
    senderId = await addSender(token);
  });
  afterEach(async () => {
    await t.close();
  });

  async function addSender(accessToken: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/senders",
      headers: admin,
      payload: {
        name: "Seoul store",
        provider: "sandbox",
        phoneNumberId: phone.id,
        wabaId: phone.wabaId,
        accessToken,
        appSecret: "app-secret-x",
        verifyToken: "verify-token-x",
        ...extra,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  }

  const call = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function createDraft(body: TemplateInput & { senderId?: string | null } = springSale): Promise<string> {
    const res = await call("POST", "/api/v1/templates", body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  async function reviewAndSync() {
    await sandbox.advance(REVIEW_MS + 1_000);
    t.clock.now += REVIEW_MS + 1_000;
    const res = await call("POST", "/api/v1/templates/sync", {});
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  }

  it("refuses a draft that breaks Meta's rules, naming every field and rule, and saves nothing", async () => {
    const res = await call("POST", "/api/v1/templates", {
      ...springSale,
      name: "Spring Sale",
      body: "{{1}}, our sale starts today with code {{2}}",
      examples: { "1": "Minsu" },
      footer: "x".repeat(61),
      buttons: [{ kind: "QUICK_REPLY", text: "Yes please, tell me more about it" }],
    });
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.details.issues as { path: string; rule: string; message: string }[];
    expect(issues.map((i) => [i.path, i.rule])).toEqual(
      expect.arrayContaining([
        ["name", "name.charset"],
        ["body", "body.variable_at_start"],
        ["body", "body.variable_at_end"],
        ["examples.2", "example.required"],
        ["footer", "footer.length"],
        ["buttons[0].text", "button.text.length"],
      ]),
    );
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
    expect((await call("GET", "/api/v1/templates")).json().data).toEqual([]);
  });

  it("reports malformed input by field, with the paths Meta's rules use, and refuses unknown fields", async () => {
    const res = await call("POST", "/api/v1/templates", {
      ...springSale,
      footr: "typo",
      category: "PROMO",
      buttons: [{ kind: "QUICK_REPLY" }],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["footr", "category", "buttons[0].text"]));
  });

  it("lints an unsaved template for live authoring: rule issues, shape issues and approval-risk warnings", async () => {
    const promo = await call("POST", "/api/v1/templates/lint", {
      ...springSale,
      category: "UTILITY",
      footer: null,
      buttons: [],
    });
    expect(promo.statusCode).toBe(200);
    expect(promo.json()).toMatchObject({ valid: true, issues: [] });
    expect(promo.json().warnings.map((w: { code: string }) => w.code)).toContain("promotional_wording");

    const broken = await call("POST", "/api/v1/templates/lint", { ...springSale, body: "Hi {{1}}{{2}} today" });
    expect(broken.json().valid).toBe(false);
    expect(broken.json().issues).toContainEqual(
      expect.objectContaining({ path: "body", rule: "body.adjacent_variables" }),
    );

    const shapeless = await call("POST", "/api/v1/templates/lint", { name: "x" });
    expect(shapeless.statusCode).toBe(200);
    expect(shapeless.json().issues).toContainEqual({ path: "body", rule: "shape", message: expect.any(String) });
  });

  it("submits a draft to the sandbox (PENDING) and, after Meta's review, a sync records APPROVED in the timeline", async () => {
    const id = await createDraft();
    const submitted = await call("POST", `/api/v1/templates/${id}/submit`, { senderId });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: "PENDING", wabaId: phone.wabaId, senderId });
    expect(submitted.json().providerTemplateId).toMatch(/^\d+$/);

    const [report] = await reviewAndSync();
    expect(report).toMatchObject({ wabaId: phone.wabaId, listed: 1, updated: 1, imported: 0, error: null });

    const detail = (await call("GET", `/api/v1/templates/${id}`)).json();
    expect(detail).toMatchObject({ status: "APPROVED", rejectedReason: null });
    expect(
      detail.history.map((h: { event: string; source: string; status: string }) => [h.event, h.source, h.status]),
    ).toEqual([
      ["CREATED", "create", "DRAFT"],
      ["SUBMITTED", "submit", "PENDING"],
      ["APPROVED", "sync", "APPROVED"],
    ]);
    // A second sync with nothing new changes nothing.
    const [again] = (await call("POST", "/api/v1/templates/sync", { senderId })).json().data;
    expect(again).toMatchObject({ updated: 0, imported: 0, deleted: 0 });
    expect((await call("GET", `/api/v1/templates/${id}`)).json().history).toHaveLength(3);
  });

  it("records REJECTED with Meta's reason when review refuses too many variables for the text, then resubmits a fix", async () => {
    const id = await createDraft({
      ...springSale,
      name: "dense",
      body: "Hi {{1}}, code {{2}}, see {{3}} now.",
      examples: { "1": "Ann", "2": "X1", "3": "shop" },
    });
    const lint = (await call("GET", `/api/v1/templates/${id}`)).json().lint;
    expect(lint.map((w: { code: string }) => w.code)).toContain("too_many_variables");
    await call("POST", `/api/v1/templates/${id}/submit`, { senderId });
    await reviewAndSync();
    const rejected = (await call("GET", `/api/v1/templates/${id}`)).json();
    expect(rejected).toMatchObject({ status: "REJECTED", rejectedReason: "INVALID_FORMAT" });

    const renamed = await call("PUT", `/api/v1/templates/${id}`, { ...springSale, name: "other" });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().error.details.issues).toEqual([{ path: "name", message: "cannot change after submission" }]);
    const fixed = await call("PUT", `/api/v1/templates/${id}`, { ...springSale, name: "dense" });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const resubmitted = await call("POST", `/api/v1/templates/${id}/submit`, { senderId });
    expect(resubmitted.json()).toMatchObject({ status: "PENDING", rejectedReason: null });
    expect(resubmitted.json().providerTemplateId).not.toBe(rejected.providerTemplateId);
    await reviewAndSync();
    const final = (await call("GET", `/api/v1/templates/${id}`)).json();
    expect(final.status).toBe("APPROVED");
    expect(final.history.map((h: { status: string }) => h.status)).toEqual([
      "DRAFT",
      "PENDING",
      "REJECTED",
      "PENDING",
      "APPROVED",
    ]);
    const atMeta = await outside.listTemplates(ref);
    expect(atMeta.templates.map((tpl) => tpl.id)).toEqual([final.providerTemplateId]);
  });

  it("answers 409 with Meta's code when the name and language already exist at WhatsApp, and writes nothing", async () => {
    await outside.createTemplate(ref, {
      name: "spring_sale",
      language: "en_US",
      category: "MARKETING",
      components: [{ type: "BODY", text: "Made outside Herald, hello there." }],
    });
    const id = await createDraft();
    const res = await call("POST", `/api/v1/templates/${id}/submit`, { senderId });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.provider).toMatchObject({ code: 100, subcode: 2388024 });
    expect((await call("GET", `/api/v1/templates/${id}`)).json()).toMatchObject({ status: "DRAFT", wabaId: null });
  });

  it("turns a refused token into 400 with Meta's code and meaning, and an unreachable provider into 503", async () => {
    const id = await createDraft();
    const badToken = await addSender("wrong-token-123", { phoneNumberId: "999001" });
    const refused = await call("POST", `/api/v1/templates/${id}/submit`, { senderId: badToken });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.provider).toMatchObject({ code: 190, action: "stop_sender" });
    expect(refused.json().error.details.issues[0].path).toBe("sender");

    const nowhere = await addSender(token, { phoneNumberId: "999002", apiOrigin: "http://127.0.0.1:9" });
    const down = await call("POST", `/api/v1/templates/${id}/submit`, { senderId: nowhere });
    expect(down.statusCode).toBe(503);
    expect((await call("GET", `/api/v1/templates/${id}`)).json().status).toBe("DRAFT");

    const missing = await call("POST", `/api/v1/templates/${id}/submit`, { senderId: "nope" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.issues).toEqual([{ path: "senderId", message: "no such sender" }]);
  });

  it("imports templates created outside Herald on sync, and marks DELETED the ones Meta no longer lists", async () => {
    await outside.createTemplate(ref, {
      name: "order_shipped",
      language: "ko",
      category: "UTILITY",
      parameterFormat: "POSITIONAL",
      components: [
        {
          type: "BODY",
          text: "안녕하세요 {{1}}님, 주문하신 상품이 발송되었습니다.",
          example: { body_text: [["김민수"]] },
        },
        {
          type: "BUTTONS",
          buttons: [
            {
              type: "URL",
              text: "배송 조회",
              url: "https://shop.example.com/o/{{1}}",
              example: ["https://shop.example.com/o/A1"],
            },
          ],
        },
      ],
    });
    await outside.createTemplate(ref, {
      name: "cards",
      language: "en_US",
      category: "MARKETING",
      components: [
        { type: "BODY", text: "Our picks for you this week." },
        { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Open" } as never] },
      ],
    });
    const [report] = await reviewAndSync();
    expect(report).toMatchObject({ listed: 2, imported: 1 });
    expect(report.skipped).toEqual([
      { name: "cards", language: "en_US", reason: expect.stringContaining("components[1].buttons[0].type") },
    ]);
    const [imported] = (await call("GET", "/api/v1/templates?search=order")).json().data;
    expect(imported).toMatchObject({ status: "APPROVED", wabaId: phone.wabaId, createdBy: null });
    expect(imported.template).toMatchObject({
      body: "안녕하세요 {{1}}님, 주문하신 상품이 발송되었습니다.",
      examples: { "1": "김민수" },
      buttons: [{ kind: "URL", text: "배송 조회", url: "https://shop.example.com/o/{{1}}", example: "A1" }],
    });
    const history = (await call("GET", `/api/v1/templates/${imported.id}`)).json().history;
    expect(history).toMatchObject([{ event: "IMPORTED", source: "sync", status: "APPROVED" }]);

    await outside.deleteTemplate(ref, "order_shipped");
    const [after] = (await call("POST", "/api/v1/templates/sync", {})).json().data;
    expect(after).toMatchObject({ deleted: 1 });
    expect((await call("GET", `/api/v1/templates/${imported.id}`)).json().status).toBe("DELETED");
  });

  it("deletes a submitted template at the provider and keeps it as DELETED; a draft is simply removed", async () => {
    const draft = await createDraft({ ...springSale, name: "just_a_draft" });
    expect((await call("DELETE", `/api/v1/templates/${draft}`)).statusCode).toBe(204);
    expect((await call("GET", `/api/v1/templates/${draft}`)).statusCode).toBe(404);

    const id = await createDraft();
    await call("POST", `/api/v1/templates/${id}/submit`, { senderId });
    expect((await outside.listTemplates(ref)).templates).toHaveLength(1);
    expect((await call("DELETE", `/api/v1/templates/${id}`)).statusCode).toBe(204);
    expect((await outside.listTemplates(ref)).templates).toHaveLength(0);
    const detail = (await call("GET", `/api/v1/templates/${id}`)).json();
    expect(detail.status).toBe("DELETED");
    expect(detail.history.at(-1)).toMatchObject({ event: "DELETED", source: "delete", previousStatus: "PENDING" });
    expect((await call("GET", "/api/v1/templates")).json().data).toEqual([]);
    // The name is free again in Herald.
    await createDraft();
  });

  it("refuses to edit or resubmit a template under review", async () => {
    const id = await createDraft();
    await call("POST", `/api/v1/templates/${id}/submit`, { senderId });
    expect((await call("PUT", `/api/v1/templates/${id}`, springSale)).statusCode).toBe(409);
    expect((await call("POST", `/api/v1/templates/${id}/submit`, { senderId })).statusCode).toBe(409);
  });

  it("lists with filters and a cursor: status, sender, category and search", async () => {
    for (const name of ["alpha", "bravo", "charlie"]) await createDraft({ ...springSale, name });
    const submitted = await createDraft({
      ...springSale,
      name: "delta",
      category: "UTILITY",
      body: "Hi {{1}}, your order {{2}} has shipped today.",
    });
    await call("POST", `/api/v1/templates/${submitted}/submit`, { senderId });

    const page1 = (await call("GET", "/api/v1/templates?limit=2")).json();
    expect(page1.data.map((x: { name: string }) => x.name)).toEqual(["delta", "charlie"]);
    const page2 = (await call("GET", `/api/v1/templates?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2).toMatchObject({ nextCursor: null });
    expect(page2.data.map((x: { name: string }) => x.name)).toEqual(["bravo", "alpha"]);

    const names = async (query: string) =>
      (await call("GET", `/api/v1/templates?${query}`)).json().data.map((x: { name: string }) => x.name);
    expect(await names("status=pending")).toEqual(["delta"]);
    expect(await names("status=DRAFT,PENDING&category=MARKETING")).toEqual(["charlie", "bravo", "alpha"]);
    expect(await names(`senderId=${senderId}`)).toEqual(["delta"]);
    expect(await names("search=RAV")).toEqual(["bravo"]);
    const bad = await call("GET", "/api/v1/templates?status=LIVE&limit=0");
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["limit", "status"]);
  });

  it("previews with the samples by default, with given values, and names a value WhatsApp would refuse", async () => {
    const id = await createDraft({
      ...springSale,
      buttons: [
        { kind: "QUICK_REPLY", text: "YES" },
        { kind: "URL", text: "Shop", url: "https://shop.example.com/s/{{1}}", example: "spring" },
      ],
    });
    const samples = (await call("POST", `/api/v1/templates/${id}/preview`, {})).json();
    expect(samples.ok).toBe(true);
    expect(samples.bubble.body).toBe(
      "Hi Minsu, our spring sale starts today. Use code SPRING20 for 20% off everything until Sunday.",
    );
    expect(samples.bubble.buttons[1]).toEqual({ kind: "URL", text: "Shop", url: "https://shop.example.com/s/spring" });

    const given = (
      await call("POST", `/api/v1/templates/${id}/preview`, {
        values: { body: { "1": "김민수" }, buttons: { "0": "OFFER_YES" } },
      })
    ).json();
    expect(given.bubble.body).toContain("Hi 김민수,");
    expect(given.components).toContainEqual({
      type: "button",
      sub_type: "quick_reply",
      index: "0",
      parameters: [{ type: "payload", payload: "OFFER_YES" }],
    });

    const refused = (
      await call("POST", `/api/v1/templates/${id}/preview`, { values: { body: { "1": "a\nb" } } })
    ).json();
    expect(refused).toMatchObject({ ok: false, issues: [{ path: "body.1", code: "invalid_whitespace" }] });
  });

  it("documents every template route and its schemas in the OpenAPI document", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/templates",
        "/api/v1/templates/lint",
        "/api/v1/templates/sync",
        "/api/v1/templates/{id}",
        "/api/v1/templates/{id}/submit",
        "/api/v1/templates/{id}/preview",
      ]),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        "Template",
        "TemplateDetail",
        "TemplateHistoryEntry",
        "TemplateCheck",
        "TemplatePreview",
      ]),
    );
  });

  it("lets marketers manage templates and refuses agents with 403 on every route", async () => {
    const id = await createDraft();
    const marketer = { authorization: await t.bearer("marketer") };
    expect((await t.app.inject({ method: "GET", url: "/api/v1/templates", headers: marketer })).statusCode).toBe(200);
    const agent = { authorization: await t.bearer("agent") };
    const routes: [string, string, object?][] = [
      ["GET", "/api/v1/templates"],
      ["POST", "/api/v1/templates", springSale],
      ["POST", "/api/v1/templates/lint", springSale],
      ["POST", "/api/v1/templates/sync", {}],
      ["GET", `/api/v1/templates/${id}`],
      ["PUT", `/api/v1/templates/${id}`, springSale],
      ["DELETE", `/api/v1/templates/${id}`],
      ["POST", `/api/v1/templates/${id}/submit`, { senderId }],
      ["POST", `/api/v1/templates/${id}/preview`, {}],
    ];
    for (const [method, url, payload] of routes) {
      const res = await t.app.inject({
        method: method as "GET",
        url,
        headers: agent,
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});
