import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: Fastify parsing and the error handler, SQLite. Faked: the network (app.inject).
describe("bad input and the error shape", () => {
  let t: TestApp;
  let bearer: string;
  beforeEach(async () => {
    t = await buildTestApp({ HERALD_BODY_LIMIT: "2048" });
    bearer = await t.bearer("admin");
  });
  afterEach(async () => {
    await t.close();
  });

  const expectShape = (body: unknown, code: string) => {
    expect(body).toMatchObject({ error: { code, message: expect.any(String) } });
    expect(body).toHaveProperty("error.details");
  };

  it("answers malformed JSON with 400 validation_failed", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: { authorization: bearer, "content-type": "application/json" },
      payload: '{"name": "x", ',
    });
    expect(res.statusCode).toBe(400);
    expectShape(res.json(), "validation_failed");
  });

  it("answers wrong types with 400 naming the field", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: { authorization: bearer },
      payload: { name: 42, role: "agent" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues).toEqual([{ path: "name", message: expect.stringContaining("string") }]);
  });

  it("answers an oversized body with 413 and stores nothing", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: { authorization: bearer },
      payload: { name: "x".repeat(5000), role: "agent" },
    });
    expect(res.statusCode).toBe(413);
    expectShape(res.json(), "payload_too_large");
    const keys = await t.app.inject({ method: "GET", url: "/api/v1/api-keys", headers: { authorization: bearer } });
    expect(keys.json().data).toHaveLength(1);
  });

  it("answers a body that is not JSON with 415", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers: { authorization: bearer, "content-type": "text/plain" },
      payload: "name=x",
    });
    expect(res.statusCode).toBe(415);
    expectShape(res.json(), "unsupported_media_type");
  });

  it("answers an unknown API path with 404 in the error shape, also for unauthenticated callers", async () => {
    for (const headers of [{ authorization: bearer }, {}]) {
      const res = await t.app.inject({ method: "GET", url: "/api/v1/nothing-here", headers });
      expect(res.statusCode).toBe(404);
      expectShape(res.json(), "not_found");
    }
  });

  it("answers a bad path parameter with 400", async () => {
    const res = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/api-keys/${"x".repeat(100)}`,
      headers: { authorization: bearer },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.in).toBe("params");
  });

  it("answers 500 without internals when the database fails", async () => {
    await t.store.close();
    const res = await t.app.inject({ method: "GET", url: "/api/v1/api-keys", headers: { authorization: bearer } });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe("internal");
    expect(res.json().error.message).toBe("internal error");
    expect(res.body).not.toMatch(/sqlite|database|stack|at /i);
  });
});

describe("health, metrics and the API reference", () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it("reports ok with the database kind, and 503 when the database is gone", async () => {
    t = await buildTestApp();
    const ok = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: "ok", db: "sqlite" });
    await t.store.close();
    const down = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: "unavailable", db: "sqlite" });
  });

  it("serves Prometheus metrics with HTTP latency by route and event-loop lag", async () => {
    t = await buildTestApp();
    await t.app.inject({ method: "GET", url: "/healthz" });
    const res = await t.app.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    expect(res.body).toMatch(
      /herald_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/,
    );
    expect(res.body).toContain("nodejs_eventloop_lag_seconds");
  });

  it("protects metrics with a token when one is configured", async () => {
    t = await buildTestApp({ HERALD_METRICS_TOKEN: "metrics-token-0123456789" });
    expect((await t.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    const wrong = await t.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: "Bearer metrics-token-0123456780" },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: "Bearer metrics-token-0123456789" },
    });
    expect(ok.statusCode).toBe(200);
  });

  it("publishes an OpenAPI document covering every /api/v1 route, and a browsable reference", async () => {
    t = await buildTestApp();
    const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/auth/login",
        "/api/v1/auth/me",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/api-keys",
        "/api/v1/api-keys/{id}",
        "/healthz",
      ]),
    );
    expect(doc.paths["/api/v1/users"].post.requestBody.content["application/json"].schema).toBeDefined();
    const docs = await t.app.inject({ method: "GET", url: "/docs" });
    expect([200, 302]).toContain(docs.statusCode);
  });
});
