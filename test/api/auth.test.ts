import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, sessionCookie, TEST_PASSWORD, type TestApp } from "../support/app.js";

// Real: routes, auth, zod validation, SQLite. Faked: the network (app.inject) and the clock.
describe("authentication, sessions and CSRF", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp({ HERALD_LOGIN_RATE_MAX: "3" });
  });
  afterEach(async () => {
    await t.close();
  });

  it("signs in with a correct password and sets an HttpOnly, SameSite session cookie", async () => {
    await t.login("admin", "boss@example.com");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "BOSS@example.com", password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === "herald_session");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    expect(cookie?.path).toBe("/");
    const body = res.json();
    expect(body.user).toMatchObject({ email: "boss@example.com", role: "admin", disabled: false });
    expect(body.user).not.toHaveProperty("passwordHash");
    expect(JSON.stringify(body)).not.toContain("scrypt");
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
  });

  it("answers 401 for a wrong password and for an unknown email, with the same message", async () => {
    await t.login("agent", "a@example.com");
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "a@example.com", password: "nope nope nope" },
    });
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "zz@example.com", password: "nope nope nope" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe("unauthorized");
    expect(wrong.cookies).toHaveLength(0);
  });

  it("rate-limits sign-in attempts per address and email, with Retry-After", async () => {
    await t.login("agent", "a@example.com");
    const attempt = () =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "a@example.com", password: "wrong password!" },
      });
    for (let i = 0; i < 2; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe("rate_limited");
    expect(limited.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.headers["retry-after"]).toBeDefined();
    // Even the right password is refused until the window passes…
    const right = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "a@example.com", password: TEST_PASSWORD },
    });
    expect(right.statusCode).toBe(429);
    // …and accepted after it.
    t.clock.now += t.config.loginRateWindowMs;
    const later = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "a@example.com", password: TEST_PASSWORD },
    });
    expect(later.statusCode).toBe(200);
  });

  it("refuses a disabled user's sign-in", async () => {
    const admin = await t.login("admin");
    const { userId } = await t.login("agent", "gone@example.com");
    const patch = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${userId}`,
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf },
      payload: { disabled: true },
    });
    expect(patch.statusCode).toBe(200);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "gone@example.com", password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(401);
  });

  it("returns the session user and CSRF token from /auth/me, and 401 without a session", async () => {
    const s = await t.login("marketer");
    const me = await t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ role: "marketer", csrfToken: s.csrf, apiKey: null });
    const anon = await t.app.inject({ method: "GET", url: "/api/v1/auth/me" });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe("unauthorized");
    const bogus = await t.app.inject({
      method: "GET",
      url: "/api/v1/auth/me",
      headers: { cookie: "herald_session=forged" },
    });
    expect(bogus.statusCode).toBe(401);
  });

  it("refuses a state-changing cookie request without the CSRF token and changes nothing", async () => {
    const s = await t.login("admin");
    const before = await t.app.inject({ method: "GET", url: "/api/v1/api-keys", headers: { cookie: s.cookie } });
    for (const headers of [{ cookie: s.cookie }, { cookie: s.cookie, "x-csrf-token": "wrong-token" }]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/api-keys",
        headers,
        payload: { name: "x", role: "agent" },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toContain("CSRF");
    }
    const after = await t.app.inject({ method: "GET", url: "/api/v1/api-keys", headers: { cookie: s.cookie } });
    expect(after.json()).toEqual(before.json());
  });

  it("signs out: the session stops working", async () => {
    const s = await t.login("agent");
    const out = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
    });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(401);
  });

  it("expires a session after its time-to-live without use", async () => {
    const s = await t.login("agent");
    t.clock.now += t.config.sessionTtlMs + 1;
    const me = await t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(401);
  });

  it("ends a user's sessions when their password changes", async () => {
    const admin = await t.login("admin");
    const agent = await t.login("agent");
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${agent.userId}`,
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf },
      payload: { password: "a brand new password" },
    });
    expect(res.statusCode).toBe(200);
    const me = await t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: agent.cookie } });
    expect(me.statusCode).toBe(401);
    const relogin = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: agent.email, password: "a brand new password" },
    });
    expect(relogin.statusCode).toBe(200);
    expect(sessionCookie(relogin)).toMatch(/^herald_session=/);
  });
});
