import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyticsTick } from "../../src/engine/analytics-refresh.js";
import { buildHistory, DAY, type History, T0 } from "../support/analytics-history.js";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: routes, auth, the database (SQLite), the analytics loop's tick. Faked: the clock.
describe("analytics API", () => {
  let t: TestApp;
  let h: History;
  let marketer: { authorization: string };
  beforeEach(async () => {
    t = await buildTestApp();
    t.clock.now = T0 + 10 * DAY;
    h = await buildHistory(t.store.db);
    marketer = { authorization: await t.bearer("marketer") };
  });
  afterEach(async () => {
    await t.close();
  });

  it("redirects a short link with 302, counts a person's clicks once per message and ignores bots", async () => {
    const bot = await t.app.inject({
      method: "GET",
      url: "/r/AAAAAAAAA1",
      headers: { "user-agent": "WhatsApp/2.24 A" },
    });
    expect(bot.statusCode).toBe(302);
    expect(bot.headers.location).toBe("https://shop.example/autumn");
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({
        method: "GET",
        url: "/r/AAAAAAAAA1",
        headers: { "user-agent": "Mozilla/5.0 (iPhone)" },
      });
      expect(res.statusCode).toBe(302);
    }
    const link = await t.store.db.selectFrom("link_codes").selectAll().executeTakeFirstOrThrow();
    expect(link.clicks).toBe(2);
    expect(Number(link.first_click_at)).toBe(T0 + 10 * DAY);
    const clicks = await t.store.db.selectFrom("link_clicks").select("bot").execute();
    expect(clicks.map((c) => c.bot).sort()).toEqual([0, 0, 1]);
    expect((await t.app.inject({ method: "GET", url: "/r/ZZZZZZZZZ9" })).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: "/r/..%2Fetc" })).statusCode).toBe(404);
  });

  it("serves a campaign report with Meta's meaning of each failure, and its CSV", async () => {
    await analyticsTick(t.store, t.clock.now, { force: true });
    const res = await t.app.inject({
      method: "GET",
      url: `/api/v1/analytics/campaigns/${h.campaignA}`,
      headers: marketer,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.funnel[1]).toEqual({ stage: "sent", count: 4, rateOfSent: 1, stepRate: 4 / 6 });
    expect(body.failures.find((f: { code: number }) => f.code === 131_050).meaning).toBe(
      "The user stopped marketing messages from this business.",
    );
    const csv = await t.app.inject({
      method: "GET",
      url: `/api/v1/analytics/campaigns/${h.campaignA}/report.csv`,
      headers: marketer,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    const lines = csv.body.split("\n");
    expect(lines[0]).toBe("section,key,value,detail");
    expect(lines).toContain("funnel,delivered,3,0.75");
    expect(lines).toContain("skipped,frequency_cap,1,");
    expect(lines).toContain("money,revenue,50000,KRW"); // o1, two days after m1 was read
    const missing = await t.app.inject({ method: "GET", url: "/api/v1/analytics/campaigns/nope", headers: marketer });
    expect(missing.statusCode).toBe(404);
  });

  it("shows and validates the attribution rule; agents may not read analytics", async () => {
    const get = await t.app.inject({ method: "GET", url: "/api/v1/analytics/settings", headers: marketer });
    expect(get.json()).toMatchObject({ windowDays: 7, touches: "read_or_click", usdRate: 1400, baseCurrency: "KRW" });
    expect(get.json().rule).toContain("within 7 days");
    const bad = await t.app.inject({
      method: "PUT",
      url: "/api/v1/analytics/settings",
      headers: marketer,
      payload: { windowDays: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain("windowDays");
    const ok = await t.app.inject({
      method: "PUT",
      url: "/api/v1/analytics/settings",
      headers: marketer,
      payload: { windowDays: 14, touches: "click" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().rule).toContain("within 14 days after clicking");
    const agent = { authorization: await t.bearer("agent") };
    expect((await t.app.inject({ method: "GET", url: "/api/v1/analytics/senders", headers: agent })).statusCode).toBe(
      403,
    );
  });

  it("answers every report route", async () => {
    await analyticsTick(t.store, t.clock.now, { force: true });
    const from = T0 - DAY;
    for (const url of [
      `/api/v1/analytics/attribution?by=segment&from=${from}`,
      `/api/v1/analytics/segments/compare?segmentIds=${h.segmentG},${h.segmentH}&from=${from}`,
      `/api/v1/analytics/send-times?segmentId=${h.segmentG}&from=${from}`,
      "/api/v1/analytics/senders",
      "/api/v1/analytics/customer-value",
    ]) {
      const res = await t.app.inject({ method: "GET", url, headers: marketer });
      expect(res.statusCode, url).toBe(200);
    }
    const cmp = await t.app.inject({
      method: "GET",
      url: `/api/v1/analytics/segments/compare?segmentIds=${h.segmentG}&from=${from}`,
      headers: marketer,
    });
    expect(cmp.json().segments[0].readRate).toBe(2 / 3);
  });
});
