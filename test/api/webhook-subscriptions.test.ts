import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: routes, validation, auth, SQLite, AES-GCM sealing. Faked: the clock. No HTTP out (no test event here:
// test/e2e/outbound-webhooks.e2e.test.ts covers delivery).
describe("webhook subscriptions API", () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeEach(async () => {
    t = await buildTestApp();
    admin = { authorization: await t.bearer("admin") };
  });
  afterEach(async () => {
    await t.close();
  });

  const create = (payload: unknown, headers = admin) =>
    t.app.inject({ method: "POST", url: "/api/v1/webhook-subscriptions", headers, payload: payload as object });

  it("creates a subscription, returns its secret once, and never lists it", async () => {
    const res = await create({ name: "CRM", url: "https://crm.example.com/h", events: ["contact.opted_out"] });
    expect(res.statusCode).toBe(201);
    const { subscription, secret } = res.json();
    expect(secret).toMatch(/^whsec_/);
    expect(subscription).toMatchObject({ name: "CRM", enabled: true, events: ["contact.opted_out"], pending: 0 });
    const list = await t.app.inject({ method: "GET", url: "/api/v1/webhook-subscriptions", headers: admin });
    expect(list.body).not.toContain(secret);
    expect(list.json().data).toHaveLength(1);
    const rotated = await t.app.inject({
      method: "POST",
      url: `/api/v1/webhook-subscriptions/${subscription.id}/rotate-secret`,
      headers: admin,
    });
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(secret);
  });

  it("rejects a bad URL and an unknown event, naming the field", async () => {
    const bad = await create({ name: "CRM", url: "https://user:pw@crm.example.com/", events: ["contact.opted_out"] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe("url");
    const unknown = await create({ name: "CRM", url: "https://crm.example.com/", events: ["contact.deleted"] });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().error.details)).toContain("events");
    const extra = await create({ name: "CRM", url: "https://crm.example.com/", events: ["campaign.started"], x: 1 });
    expect(extra.statusCode).toBe(400);
  });

  it("is for admins only", async () => {
    const marketer = { authorization: await t.bearer("marketer") };
    const res = await create({ name: "CRM", url: "https://crm.example.com/", events: ["campaign.started"] }, marketer);
    expect(res.statusCode).toBe(403);
  });

  it("edits, lists an empty delivery log, and deletes", async () => {
    const { subscription } = (
      await create({ name: "CRM", url: "https://crm.example.com/", events: ["campaign.started"] })
    ).json();
    const url = `/api/v1/webhook-subscriptions/${subscription.id}`;
    const patched = await t.app.inject({
      method: "PATCH",
      url,
      headers: admin,
      payload: { enabled: false, events: ["campaign.started", "campaign.completed"] },
    });
    expect(patched.json()).toMatchObject({ enabled: false, events: ["campaign.completed", "campaign.started"] });
    const log = await t.app.inject({ method: "GET", url: `${url}/deliveries`, headers: admin });
    expect(log.json()).toEqual({ data: [], nextCursor: null });
    expect((await t.app.inject({ method: "DELETE", url, headers: admin })).statusCode).toBe(204);
    expect((await t.app.inject({ method: "GET", url, headers: admin })).statusCode).toBe(404);
  });
});
