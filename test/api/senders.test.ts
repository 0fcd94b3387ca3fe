import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/whatsapp/sandbox/index.js";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: routes, validation, SQLite, AES-GCM sealing, the Cloud API client and the sandbox over HTTP on
// 127.0.0.1. Faked: the clock; the sandbox plays Meta.
const token = "sandbox-token-0123456789";
const body = {
  name: "Seoul store",
  provider: "sandbox",
  phoneNumberId: "106540352242922",
  wabaId: "102290129340398",
  accessToken: token,
  appSecret: "app-secret-abcdef",
  verifyToken: "verify-token-123",
};

describe("sender numbers", () => {
  let sandbox: Sandbox & { origin: string };
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      phoneNumbers: [
        {
          id: body.phoneNumberId,
          wabaId: body.wabaId,
          displayPhoneNumber: "15550783881",
          accessToken: token,
          appSecret: body.appSecret,
          tier: "TIER_2K",
          quality: "YELLOW",
        },
      ],
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    t = await buildTestApp({}, undefined, { sandboxOrigin: sandbox.origin });
    admin = { authorization: await t.bearer("admin") };
  });
  afterEach(async () => {
    await t.close();
  });

  it("stores a sender with defaults, and never returns or stores its secrets in clear", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/v1/senders", headers: admin, payload: body });
    expect(res.statusCode).toBe(201);
    const sender = res.json();
    expect(sender).toMatchObject({
      name: "Seoul store",
      provider: "sandbox",
      mpsLimit: 80,
      messagingTier: "TIER_250",
      apiVersion: "v23.0",
      qualityRating: "UNKNOWN",
    });
    for (const secret of [body.accessToken, body.appSecret, body.verifyToken]) {
      expect(res.body).not.toContain(secret);
      const list = await t.app.inject({ method: "GET", url: "/api/v1/senders", headers: admin });
      expect(list.body).not.toContain(secret);
    }
    const row = await t.store.db.selectFrom("senders").selectAll().executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const secret of [body.accessToken, body.appSecret, body.verifyToken]) expect(stored).not.toContain(secret);
    expect(row.access_token_sealed).toMatch(/^v1:/);
  });

  it("refuses a second sender with the same phone number id", async () => {
    await t.app.inject({ method: "POST", url: "/api/v1/senders", headers: admin, payload: body });
    const again = await t.app.inject({
      method: "POST",
      url: "/api/v1/senders",
      headers: admin,
      payload: { ...body, name: "again" },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.issues[0].path).toBe("phoneNumberId");
  });

  it("rejects bad fields by name: non-digit ids, an origin with a path, a rate above 1,000, an unknown tier", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/senders",
      headers: admin,
      payload: {
        ...body,
        phoneNumberId: "12ab",
        apiOrigin: "http://127.0.0.1:4010/v23.0",
        mpsLimit: 5000,
        messagingTier: "TIER_1M",
      },
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .error.details.issues.map((i: { path: string }) => i.path)
      .sort();
    expect(paths).toEqual(["apiOrigin", "messagingTier", "mpsLimit", "phoneNumberId"]);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/senders", headers: admin })).json().data).toEqual([]);
  });

  it("keeps stored credentials when a change omits them, and replaces them when given", async () => {
    const id = (await t.app.inject({ method: "POST", url: "/api/v1/senders", headers: admin, payload: body })).json()
      .id;
    const before = await t.store.db.selectFrom("senders").selectAll().executeTakeFirstOrThrow();
    const renamed = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/senders/${id}`,
      headers: admin,
      payload: { name: "Busan store", mpsLimit: 20 },
    });
    expect(renamed.json()).toMatchObject({ name: "Busan store", mpsLimit: 20 });
    const mid = await t.store.db.selectFrom("senders").selectAll().executeTakeFirstOrThrow();
    expect(mid.access_token_sealed).toBe(before.access_token_sealed);
    await t.app.inject({
      method: "PATCH",
      url: `/api/v1/senders/${id}`,
      headers: admin,
      payload: { accessToken: "a-new-token-value" },
    });
    const after = await t.store.db.selectFrom("senders").selectAll().executeTakeFirstOrThrow();
    expect(after.access_token_sealed).not.toBe(before.access_token_sealed);
  });

  it("lets marketers list senders but not add or change them", async () => {
    const marketer = { authorization: await t.bearer("marketer") };
    expect((await t.app.inject({ method: "GET", url: "/api/v1/senders", headers: marketer })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: "POST", url: "/api/v1/senders", headers: marketer, payload: body })).statusCode,
    ).toBe(403);
    const agent = { authorization: await t.bearer("agent") };
    expect((await t.app.inject({ method: "GET", url: "/api/v1/senders", headers: agent })).statusCode).toBe(403);
  });

  it("tests the connection against the provider and records the number's quality and tier", async () => {
    const id = (await t.app.inject({ method: "POST", url: "/api/v1/senders", headers: admin, payload: body })).json()
      .id;
    const res = await t.app.inject({ method: "POST", url: `/api/v1/senders/${id}/test`, headers: admin });
    expect(res.statusCode).toBe(200);
    const result = res.json();
    expect(result.ok).toBe(true);
    expect(result.phoneNumber).toMatchObject({
      id: body.phoneNumberId,
      qualityRating: "YELLOW",
      messagingLimit: "TIER_2K",
    });
    expect(result.sender).toMatchObject({
      qualityRating: "YELLOW",
      messagingTier: "TIER_2K",
      lastCheckedAt: t.clock.now,
      lastCheckError: null,
    });
  });

  it("reports Meta's invalid-token error (190) from a connection test with a wrong token", async () => {
    const id = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/senders",
        headers: admin,
        payload: { ...body, accessToken: "wrong-token-xyz" },
      })
    ).json().id;
    const result = (await t.app.inject({ method: "POST", url: `/api/v1/senders/${id}/test`, headers: admin })).json();
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe(190);
    expect(result.sender.lastCheckError).toMatch(/^190: /);
    expect(JSON.stringify(result)).not.toContain("wrong-token-xyz");
  });
});
