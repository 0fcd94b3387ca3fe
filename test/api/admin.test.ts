import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: routes, roles, validation, SQLite. Faked: the network (app.inject) and the clock.
describe("users and API keys administration", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it("lets an admin create, list, change and delete users", async () => {
    const admin = await t.login("admin");
    const h = { cookie: admin.cookie, "x-csrf-token": admin.csrf };
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: h,
      payload: { email: "New@Example.com", name: "이지은", password: "twelve chars ok", role: "agent" },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      email: "new@example.com",
      name: "이지은",
      role: "agent",
      disabled: false,
      lastLoginAt: null,
    });
    const list = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: h });
    expect(list.json().data.map((u: { email: string }) => u.email)).toContain("new@example.com");
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${user.id}`,
      headers: h,
      payload: { role: "marketer" },
    });
    expect(patched.json().role).toBe("marketer");
    const dup = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: h,
      payload: { email: "new@example.com", password: "twelve chars ok", role: "agent" },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.issues[0].path).toBe("email");
    const del = await t.app.inject({ method: "DELETE", url: `/api/v1/users/${user.id}`, headers: h });
    expect(del.statusCode).toBe(204);
    const again = await t.app.inject({ method: "DELETE", url: `/api/v1/users/${user.id}`, headers: h });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe("not_found");
  });

  it("does not let an admin demote, disable or delete themself, nor remove the last admin", async () => {
    const admin = await t.login("admin");
    const h = { cookie: admin.cookie, "x-csrf-token": admin.csrf };
    for (const payload of [{ role: "agent" }, { disabled: true }]) {
      const res = await t.app.inject({ method: "PATCH", url: `/api/v1/users/${admin.userId}`, headers: h, payload });
      expect(res.statusCode).toBe(409);
    }
    expect(
      (await t.app.inject({ method: "DELETE", url: `/api/v1/users/${admin.userId}`, headers: h })).statusCode,
    ).toBe(409);
    // Through an admin API key (no acting user), the last enabled admin still stays.
    const bearer = await t.bearer("admin");
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${admin.userId}`,
      headers: { authorization: bearer },
      payload: { role: "agent" },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain("last enabled admin");
  });

  it("rejects invalid user input naming each failing field, and stores nothing", async () => {
    const admin = await t.login("admin");
    const h = { cookie: admin.cookie, "x-csrf-token": admin.csrf };
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: h,
      payload: { email: "not-an-email", password: "short", role: "owner" },
    });
    expect(res.statusCode).toBe(400);
    const { code, details } = res.json().error;
    expect(code).toBe("validation_failed");
    expect(details.in).toBe("body");
    const paths = details.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(["email", "password", "role"]);
    const list = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: h });
    expect(list.json().data).toHaveLength(1);
  });

  it("rejects unknown fields in a body", async () => {
    const admin = await t.login("admin");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf },
      payload: { name: "CRM", role: "agent", scopes: ["all"] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("scopes");
  });

  it("creates an API key shown once, which then authenticates until revoked", async () => {
    const admin = await t.login("admin");
    const h = { cookie: admin.cookie, "x-csrf-token": admin.csrf };
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: h,
      payload: { name: "CRM sync", role: "marketer" },
    });
    expect(created.statusCode).toBe(201);
    const { apiKey, key } = created.json();
    expect(key).toMatch(/^hk_[\w-]{43}$/);
    expect(apiKey).toMatchObject({ name: "CRM sync", role: "marketer", createdBy: admin.userId, revokedAt: null });
    const list = await t.app.inject({ method: "GET", url: "/api/v1/api-keys", headers: h });
    expect(list.body).not.toContain(key);
    const me = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: null, role: "marketer", apiKey: { name: "CRM sync" } });
    const used = await t.app.inject({ method: "GET", url: "/api/v1/api-keys", headers: h });
    expect(used.json().data[0].lastUsedAt).toBe(t.clock.now);
    expect(
      (await t.app.inject({ method: "DELETE", url: `/api/v1/api-keys/${apiKey.id}`, headers: h })).statusCode,
    ).toBe(204);
    const after = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toContain("revoked");
  });

  it("checks roles: marketers and agents may not manage users or keys, whether by session or by key", async () => {
    for (const role of ["marketer", "agent"] as const) {
      const s = await t.login(role);
      const bySession = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: { cookie: s.cookie } });
      expect(bySession.statusCode).toBe(403);
      expect(bySession.json().error).toMatchObject({
        code: "forbidden",
        details: { permission: "users.manage", role },
      });
      const byKey = await t.app.inject({
        method: "POST",
        url: "/api/v1/api-keys",
        headers: { authorization: await t.bearer(role) },
        payload: { name: "x", role: "admin" },
      });
      expect(byKey.statusCode).toBe(403);
    }
    const keys = await t.app.inject({
      method: "GET",
      url: "/api/v1/api-keys",
      headers: { authorization: await t.bearer("admin") },
    });
    expect(keys.json().data).toHaveLength(3);
  });

  it("does not need a CSRF token for API-key requests", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: { authorization: await t.bearer("admin") },
      payload: { name: "from a script", role: "agent" },
    });
    expect(res.statusCode).toBe(201);
  });

  it("answers 401 for a malformed Authorization header or an unknown key", async () => {
    for (const authorization of ["Basic abc", "Bearer", "Bearer hk_unknown", "Bearer not-even-a-key"]) {
      const res = await t.app.inject({ method: "GET", url: "/api/v1/users", headers: { authorization } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe("unauthorized");
    }
  });
});
