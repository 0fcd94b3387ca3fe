import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: routes, validation, the segment compiler, SQLite. Faked: the clock (fixed).
describe("segments, orders and tag rules API", () => {
  let t: TestApp;
  let auth: { authorization: string };
  const DAY = 86_400_000;

  beforeAll(async () => {
    t = await buildTestApp();
    auth = { authorization: await t.bearer("marketer") };
    await post("/api/v1/attributes", { name: "vip_level", type: "number" });
    const contacts = [
      {
        phone: "+821050000001",
        name: "Kim",
        consent: { state: "opted_in", source: "form" },
        attributes: { vip_level: 3 },
      },
      { phone: "+821050000002", name: "Lee", consent: { state: "opted_in", source: "form" } },
      { phone: "+821050000003", name: "Park", consent: { state: "opted_out", reason: "keyword" } },
      { phone: "+14155550123", name: "Smith", consent: { state: "opted_in", source: "form" } },
    ];
    await post("/api/v1/contacts/bulk", { contacts });
  });
  afterAll(async () => t.close());

  const post = (url: string, payload: unknown) =>
    t.app.inject({ method: "POST", url, headers: auth, payload: payload as object });
  const get = (url: string) => t.app.inject({ method: "GET", url, headers: auth });
  const cond = (field: string, op: string, value?: unknown) => ({
    kind: "condition",
    field,
    op,
    ...(value === undefined ? {} : { value }),
  });

  it("upserts an order idempotently by external id and updates the contact's metrics at once", async () => {
    const body = {
      externalId: "shop-1",
      phone: "+821050000001",
      amount: 39_000,
      currency: "KRW",
      placedAt: t.clock.now - 2 * DAY,
      status: "paid",
    };
    const created = await post("/api/v1/orders", body);
    expect(created.statusCode).toBe(201);
    const again = await post("/api/v1/orders", { ...body, amount: 41_000 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: created.json().id, amount: 41_000 });
    const profile = await get(`/api/v1/contacts/${created.json().contactId}/profile`);
    expect(profile.json().metrics).toMatchObject({
      ordersTotal: 1,
      totalSpent: 41_000,
      orders30d: 1,
      frequencyClass: "occasional",
    });
    expect(profile.json().recentOrders).toHaveLength(1);
  });

  it("rejects orders clearly: unknown contact 404, both contact fields 400, bad currency, per-item bulk results", async () => {
    const base = { externalId: "x-1", amount: 1000, currency: "KRW", placedAt: t.clock.now, status: "paid" };
    expect((await post("/api/v1/orders", { ...base, contactId: "nope" })).statusCode).toBe(404);
    const both = await post("/api/v1/orders", { ...base, contactId: "a", phone: "+821050000001" });
    expect(both.json().error.details.issues[0].path).toBe("phone");
    const currency = await post("/api/v1/orders", { ...base, phone: "+821050000001", currency: "WON" });
    expect(currency.json().error.details.issues[0]).toMatchObject({ path: "currency" });
    const bulk = await post("/api/v1/orders/bulk", {
      orders: [
        { ...base, externalId: "b-1", phone: "+821050000002", placedAt: t.clock.now - 40 * DAY },
        { ...base, externalId: "b-1", phone: "+821050000002" },
        { ...base, externalId: "b-2", phone: "+821050000002", amount: -5 },
        { ...base, externalId: "b-3", phone: "+821050000002", placedAt: t.clock.now - 5 * DAY },
      ],
    });
    expect(bulk.json()).toMatchObject({ created: 2, rejected: 2 });
    expect(bulk.json().results[2].issues[0].path).toBe("orders[2].amount");
    expect((await post("/api/v1/orders/bulk", { orders: Array.from({ length: 10_001 }, () => ({})) })).statusCode).toBe(
      413,
    );
  });

  it("previews an unsaved tree with the default exclusions visible", async () => {
    const res = await post("/api/v1/segments/preview", { rules: cond("contact.country", "eq", "KR") });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ count: 2, excluded: { inactive: 0, optedOut: 1 } });
    expect(res.json().sample).toHaveLength(2);
    const all = await post("/api/v1/segments/preview", {
      rules: cond("contact.country", "eq", "KR"),
      excludeOptedOut: false,
    });
    expect(all.json().count).toBe(3);
  });

  it("explains bad trees with paths: unknown field, wrong operator, too deep, campaign conditions", async () => {
    const unknown = await post("/api/v1/segments/preview", {
      rules: { kind: "and", children: [cond("contacts.phone); drop table contacts; --", "eq", "x")] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.issues[0]).toMatchObject({
      path: "rules.children[0].field",
      message: expect.stringContaining("not a field"),
    });
    const attribute = await post("/api/v1/segments/preview", { rules: cond("attributes.shoe", "eq", 1) });
    expect(attribute.json().error.details.issues[0].message).toContain("no such custom attribute");
    const op = await post("/api/v1/segments/preview", { rules: cond("metrics.orders_90d", "contains", "1") });
    expect(op.json().error.details.issues[0].path).toBe("rules.op");
    let deep: unknown = cond("contact.country", "eq", "KR");
    for (let i = 0; i < 50; i++) deep = { kind: "not", child: deep };
    const tooDeep = await post("/api/v1/segments/preview", { rules: deep });
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json().error.details.issues[0].message).toContain("nest more than 8 levels");
    const replied = await post("/api/v1/segments/preview", { rules: cond("campaign.replied", "eq", "c1") });
    expect(replied.statusCode).toBe(200);
    expect(replied.json().count).toBe(0);
    const read = await post("/api/v1/segments/preview", { rules: cond("campaign.read", "eq", "c1") });
    expect(read.json().count).toBe(0);
  });

  it("treats SQL in values as data", async () => {
    const res = await post("/api/v1/segments/preview", { rules: cond("contact.name", "eq", "' or '1'='1") });
    expect(res.json().count).toBe(0);
    expect((await get("/api/v1/contacts?limit=500")).json().data).toHaveLength(4);
  });

  it("saves, lists, pages members, changes and deletes a segment", async () => {
    const created = await post("/api/v1/segments", { name: "VIP 고객", rules: cond("attributes.vip_level", "gte", 2) });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ excludeInactive: true, excludeOptedOut: true });
    expect((await post("/api/v1/segments", { name: "VIP 고객", rules: cond("tags", "has", "x") })).statusCode).toBe(
      409,
    );
    const id = created.json().id;
    expect((await get(`/api/v1/segments/${id}/preview`)).json().count).toBe(1);
    expect((await get(`/api/v1/segments/${id}/contacts`)).json().data[0].name).toBe("Kim");
    expect((await get(`/api/v1/contacts?segmentId=${id}`)).json().data).toHaveLength(1);
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/segments/${id}`,
      headers: auth,
      payload: { rules: cond("contact.country", "eq", "US") },
    });
    expect(patched.json().rules).toMatchObject({ field: "contact.country" });
    expect((await get("/api/v1/segments")).json().data).toHaveLength(1);
    expect((await t.app.inject({ method: "DELETE", url: `/api/v1/segments/${id}`, headers: auth })).statusCode).toBe(
      204,
    );
  });

  it("lists the fields for the builder, every field available, attributes included", async () => {
    const fields = (await get("/api/v1/segments/fields")).json().data as {
      id: string;
      available: boolean;
      operators: string[];
    }[];
    expect(fields.find((f) => f.id === "campaign.read")?.available).toBe(true);
    expect(fields.find((f) => f.id === "campaign.replied")?.available).toBe(true);
    expect(fields.find((f) => f.id === "attributes.vip_level")?.operators).toContain("gte");
  });

  it("applies a tag rule at once, explains it on the contact page, and refuses manual use of its tag", async () => {
    const rule = await post("/api/v1/tag-rules", { tag: "vip", rule: { kind: "top_spenders", share: 0.1 } });
    expect(rule.statusCode).toBe(201);
    expect(rule.json()).toMatchObject({ tag: "vip", contacts: 1 });
    const kim = (await get("/api/v1/contacts?phone=%2B821050000001")).json().data[0].id;
    const tags = (await get(`/api/v1/contacts/${kim}/profile`)).json().tags;
    expect(tags[0]).toMatchObject({
      tag: "vip",
      source: "rule",
      explanation: expect.stringContaining("the top 10% of 2 buyers starts at ₩41,000"),
    });
    expect((await post(`/api/v1/contacts/${kim}/tags`, { tag: "vip" })).statusCode).toBe(409);
    const bad = await post("/api/v1/tag-rules", {
      tag: "x",
      rule: { kind: "high_frequency", periods: 0, periodDays: 30 },
    });
    expect(bad.json().error.details.issues[0].path).toBe("rule.periods");
    expect((await get("/api/v1/tags")).json().data).toContainEqual({ tag: "vip", contacts: 1, ruleId: rule.json().id });
  });
});
