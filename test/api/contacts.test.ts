import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: routes, auth, validation, SQLite store. Faked: the clock (fixed).
describe("contacts API", () => {
  let t: TestApp;
  let auth: { authorization: string };
  let agent: { authorization: string };

  beforeAll(async () => {
    t = await buildTestApp();
    auth = { authorization: await t.bearer("marketer") };
    agent = { authorization: await t.bearer("agent") };
    await t.app.inject({
      method: "POST",
      url: "/api/v1/attributes",
      headers: auth,
      payload: { name: "vip_level", type: "number" },
    });
  });
  afterAll(async () => t.close());

  const post = (url: string, payload: unknown, headers = auth) =>
    t.app.inject({ method: "POST", url, headers, payload: payload as object });
  const get = (url: string, headers = auth) => t.app.inject({ method: "GET", url, headers });

  it("creates a contact from a national number, deriving country and time zone (201), then updates it (200)", async () => {
    const created = await post("/api/v1/contacts", {
      phone: "010-1234-5678",
      defaultCountry: "KR",
      name: "김민지",
      attributes: { vip_level: 2 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      phone: "+821012345678",
      country: "KR",
      timeZone: "Asia/Seoul",
      attributes: { vip_level: 2 },
    });
    const updated = await post("/api/v1/contacts", {
      phone: "+82 10 1234 5678",
      language: "ko",
      consent: { state: "opted_in", source: "form" },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      id: created.json().id,
      name: "김민지",
      language: "ko",
      consent: { state: "opted_in", source: "form" },
    });
  });

  it("rejects an invalid phone with the numbering plan's reason, and an unknown attribute by name", async () => {
    const phone = await post("/api/v1/contacts", { phone: "+8212" });
    expect(phone.statusCode).toBe(400);
    expect(phone.json().error.details.issues[0]).toMatchObject({
      path: "phone",
      message: expect.stringContaining("too_short"),
    });
    const attribute = await post("/api/v1/contacts", { phone: "+821099990000", attributes: { shoe_size: 270 } });
    expect(attribute.statusCode).toBe(400);
    expect(attribute.json().error.details.issues[0]).toMatchObject({
      path: "attributes.shoe_size",
      message: expect.stringContaining('no attribute "shoe_size"'),
    });
    const typed = await post("/api/v1/contacts", { phone: "+821099990000", attributes: { vip_level: "gold" } });
    expect(typed.json().error.details.issues[0].path).toBe("attributes.vip_level");
    const unknownKey = await post("/api/v1/contacts", { phone: "+821099990000", favourite: "x" });
    expect(unknownKey.statusCode).toBe(400);
    expect((await get("/api/v1/contacts?phone=%2B821099990000")).json().data).toEqual([]);
  });

  it("bulk upserts with one result per item: created, duplicate, invalid shape, invalid phone", async () => {
    const res = await post("/api/v1/contacts/bulk", {
      defaultCountry: "KR",
      contacts: [
        { phone: "010-2000-0001" },
        { phone: "+821020000001" },
        { phone: 12345 },
        { phone: "abc" },
        { phone: "010-2000-0002", name: "Lee" },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ created: 2, updated: 0, rejected: 3 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      "created",
      "rejected",
      "rejected",
      "rejected",
      "created",
    ]);
    expect(body.results[1].issues[0].message).toContain("duplicate_in_request");
    expect(body.results[2].issues[0].path).toBe("contacts[2].phone");
    expect(body.results[3].issues[0]).toMatchObject({
      path: "contacts[3].phone",
      message: expect.stringContaining("not_a_number"),
    });
  });

  it("refuses more than 10,000 items with 413 and writes nothing", async () => {
    const contacts = Array.from({ length: 10_001 }, (_, i) => ({ phone: `+8210${String(40_000_000 + i)}` }));
    const res = await post("/api/v1/contacts/bulk", { contacts });
    expect(res.statusCode).toBe(413);
    expect((await get("/api/v1/contacts?phone=%2B821040000000")).json().data).toEqual([]);
  });

  it("lists newest first with a stable cursor and filters", async () => {
    const first = await get("/api/v1/contacts?limit=2");
    expect(first.json().data).toHaveLength(2);
    const next = first.json().nextCursor as string;
    const second = await get(`/api/v1/contacts?limit=2&cursor=${next}`);
    const ids = [...first.json().data, ...second.json().data].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await get("/api/v1/contacts?q=%EA%B9%80")).json().data.map((c: { name: string }) => c.name)).toEqual([
      "김민지",
    ]);
    // A phone as people write it at home finds the E.164 number; a different number does not.
    const names = async (q: string) =>
      (await get(`/api/v1/contacts?q=${encodeURIComponent(q)}`)).json().data.map((c: { name: string }) => c.name);
    expect(await names("010-1234-5678")).toEqual(["김민지"]);
    expect(await names("1234 5678")).toEqual(["김민지"]);
    expect(await names("010-9999-0000")).toEqual([]);
    expect((await get("/api/v1/contacts?cursor=nonsense")).statusCode).toBe(400);
  });

  it("changes consent by the rules: an API opt-in does not undo the contact's opt-out", async () => {
    const id = (await get("/api/v1/contacts?phone=%2B821012345678")).json().data[0].id;
    const out = await post(`/api/v1/contacts/${id}/opt-out`, { reason: "keyword", note: "STOP" });
    expect(out.json()).toMatchObject({
      changed: true,
      contact: { consent: { state: "opted_out", reason: "keyword", note: "STOP" } },
    });
    t.clock.now += 60_000;
    const back = await post(`/api/v1/contacts/${id}/opt-in`, { source: "api" });
    expect(back.json()).toMatchObject({ changed: false, ignored: "opt_out_needs_contact_action" });
    expect(
      (await post(`/api/v1/contacts/${id}/opt-in`, { source: "keyword", at: t.clock.now + 60_000 })).statusCode,
    ).toBe(400);
  });

  it("patches fields and refuses a phone that belongs to another contact (409)", async () => {
    const id = (await get("/api/v1/contacts?phone=%2B821020000002")).json().data[0].id;
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/contacts/${id}`,
      headers: auth,
      payload: { name: "Lee Jun", attributes: { vip_level: 4 } },
    });
    expect(res.json()).toMatchObject({ name: "Lee Jun", attributes: { vip_level: 4 } });
    const clash = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/contacts/${id}`,
      headers: auth,
      payload: { phone: "+821020000001" },
    });
    expect(clash.statusCode).toBe(409);
  });

  it("tags by hand and shows why on the contact page", async () => {
    const id = (await get("/api/v1/contacts?phone=%2B821020000002")).json().data[0].id;
    const tagged = await post(`/api/v1/contacts/${id}/tags`, { tag: "도매", note: "met at the fair" });
    expect(tagged.json().data).toEqual([
      expect.objectContaining({ tag: "도매", source: "manual", explanation: "Added by hand: met at the fair" }),
    ]);
    const profile = await get(`/api/v1/contacts/${id}/profile`);
    expect(profile.json()).toMatchObject({
      contact: { id },
      metrics: { ordersTotal: 0, frequencyClass: "none" },
      tags: [{ tag: "도매" }],
    });
    expect((await get("/api/v1/contacts?tag=%EB%8F%84%EB%A7%A4")).json().data).toHaveLength(1);
    const removed = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/contacts/${id}/tags/${encodeURIComponent("도매")}`,
      headers: auth,
    });
    expect(removed.statusCode).toBe(204);
  });

  it("lets agents read but not write", async () => {
    expect((await get("/api/v1/contacts", agent)).statusCode).toBe(200);
    expect((await post("/api/v1/contacts", { phone: "+821033334444" }, agent)).statusCode).toBe(403);
  });

  it("exports a filter as streamed CSV with attributes and formula-safe fields", async () => {
    await post("/api/v1/contacts", { phone: "+821055556666", name: "=cmd|' /C calc'!A0" });
    const res = await get("/api/v1/contacts/export.csv?country=KR");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    const lines = res.body.trim().split("\n");
    expect(lines[0]).toBe(
      "id,phone,name,language,country,time_zone,consent,consent_source,consent_reason,consent_at,created_at,tags,vip_level",
    );
    expect(
      lines.some((line) => line.includes(",\"'=cmd|' /C calc'!A0\",") || line.includes(",'=cmd|' /C calc'!A0,")),
    ).toBe(true);
    expect(lines.length).toBe(1 + (await get("/api/v1/contacts?country=KR&limit=500")).json().data.length);
  });

  it("deletes a contact (204, then 404)", async () => {
    const id = (await get("/api/v1/contacts?phone=%2B821055556666")).json().data[0].id;
    expect((await t.app.inject({ method: "DELETE", url: `/api/v1/contacts/${id}`, headers: auth })).statusCode).toBe(
      204,
    );
    expect((await get(`/api/v1/contacts/${id}`)).statusCode).toBe(404);
  });
});
