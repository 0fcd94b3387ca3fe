import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pause } from "../../src/engine/campaigns.js";
import { launchCampaign } from "../../src/engine/launcher.js";
import { QuietHoursGuard } from "../../src/engine/quiet-hours-guard.js";
import { SecretBox } from "../../src/secret-box.js";
import { claimDueMessages, finishMessages } from "../../src/store/messages.js";
import { insertTemplate } from "../../src/store/templates.js";
import { buildTestApp, type TestApp } from "../support/app.js";
import { DIALECTS } from "../support/dialects.js";
import { createTestSender } from "../support/senders.js";

// Real: routes, validation, the launcher and the resume, the database (each dialect). Faked: the clock, no sending.
// 22:00 in Seoul, 05:00 in Los Angeles (PST), 14:00 in Paris.
const LATE_IN_SEOUL = Date.UTC(2026, 10, 26, 13, 0);
const SEOUL_MORNING = Date.UTC(2026, 10, 26, 23, 0); // 08:00 KST on the 27th
const LA_MORNING = Date.UTC(2026, 10, 26, 16, 0); // 08:00 PST on the 26th

for (const dialect of DIALECTS) {
  describe(`campaign quiet hours and provider comparison on ${dialect.name}`, () => {
    let t: TestApp;
    let auth: { authorization: string };
    let base: { name: string; senderId: string; templateId: string; segmentId: string; variables: object };

    beforeEach(async () => {
      t = await buildTestApp({}, dialect);
      t.clock.now = LATE_IN_SEOUL;
      auth = { authorization: await t.bearer("admin") };
      const contacts = [
        { phone: "+821050000001", name: "Kim", consent: { state: "opted_in", source: "form" } },
        { phone: "+821050000002", name: "Lee", consent: { state: "opted_in", source: "form" } },
        {
          phone: "+14155550123",
          name: "Smith",
          timeZone: "America/Los_Angeles",
          consent: { state: "opted_in", source: "form" },
        },
        // A Korean number whose owner lives in Paris: their own zone counts, not their number's.
        {
          phone: "+821050000003",
          name: "Park",
          timeZone: "Europe/Paris",
          consent: { state: "opted_in", source: "form" },
        },
      ];
      expect((await post("/api/v1/contacts/bulk", { contacts })).statusCode).toBe(200);
      const sender = await createTestSender(t.store.db, new SecretBox(t.config.secretKey), t.clock.now, {
        messagingTier: "TIER_10K",
      });
      const template = await insertTemplate(
        t.store.db,
        {
          template: {
            name: "spring_sale",
            language: "ko",
            category: "MARKETING",
            parameterFormat: "POSITIONAL",
            header: null,
            body: "(광고) {{1}}님, 봄 세일이 시작되었어요.",
            examples: { "1": "김민수" },
            footer: null,
            buttons: [],
          },
          lint: [],
          wabaId: "1022",
          senderId: sender.id,
          status: "APPROVED",
          createdBy: null,
          source: "create",
          event: "CREATED",
        },
        t.clock.now,
      );
      const segment = await post("/api/v1/segments", {
        name: "Everyone",
        rules: { kind: "condition", field: "contact.phone", op: "is_set" },
        excludeInactive: false,
      });
      expect(segment.statusCode).toBe(201);
      base = {
        name: "Spring",
        senderId: sender.id,
        templateId: template.id,
        segmentId: segment.json().id,
        variables: { "1": { from: "field", field: "name", fallback: "고객" } },
      };
    });
    afterEach(async () => t.close());

    const post = (url: string, payload?: unknown) =>
      t.app.inject({
        method: "POST",
        url,
        headers: auth,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const get = (url: string) => t.app.inject({ method: "GET", url, headers: auth });
    const dueTimes = async (campaignId: string) => {
      const rows = await t.store.db
        .selectFrom("messages")
        .select(["to_phone", "due_at", "status"])
        .where("campaign_id", "=", campaignId)
        .execute();
      return Object.fromEntries(rows.map((r) => [r.to_phone, Number(r.due_at)]));
    };
    const launchNow = async (id: string) => {
      expect((await post(`/api/v1/campaigns/${id}/launch`)).statusCode).toBe(200);
      // A cap high enough that a second campaign to the same contacts in one test is not skipped.
      await launchCampaign(id, { store: t.store, now: () => t.clock.now, cap: { max: 10, windowMs: 86_400_000 } });
    };

    it("stores quiet hours: {} is 21–8, null or omitted is none, PATCH changes only what it names", async () => {
      const none = await post("/api/v1/campaigns", base);
      expect(none.statusCode).toBe(201);
      expect(none.json().quietHours).toBeNull();
      const dflt = await post("/api/v1/campaigns", { ...base, quietHours: {} });
      expect(dflt.json().quietHours).toEqual({ startHour: 21, endHour: 8 });
      const id = dflt.json().id;
      const renamed = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/campaigns/${id}`,
        headers: auth,
        payload: { name: "Renamed" },
      });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({
        name: "Renamed",
        quietHours: { startHour: 21, endHour: 8 },
        variables: base.variables,
      });
      const changed = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/campaigns/${id}`,
        headers: auth,
        payload: { quietHours: { startHour: 22, endHour: 7 } },
      });
      expect(changed.json().quietHours).toEqual({ startHour: 22, endHour: 7 });
      expect((await get(`/api/v1/campaigns/${id}`)).json().quietHours).toEqual({ startHour: 22, endHour: 7 });
    });

    it("refuses invalid quiet hours naming the field", async () => {
      for (const [quietHours, path] of [
        [{ startHour: 24, endHour: 8 }, "quietHours.startHour"],
        [{ startHour: 21, endHour: -1 }, "quietHours.endHour"],
        [{ startHour: 21.5, endHour: 8 }, "quietHours.startHour"],
        [{ startHour: 9, endHour: 9 }, "quietHours.endHour"],
        [{ startHour: 21, endHour: 8, days: 2 }, "quietHours"],
      ] as const) {
        const res = await post("/api/v1/campaigns", { ...base, quietHours });
        expect(res.statusCode, JSON.stringify(quietHours)).toBe(400);
        expect(res.json().error.details.issues[0].path, JSON.stringify(quietHours)).toBe(path);
      }
    });

    it("launch holds each recipient until the quiet hours end in their own zone", async () => {
      const res = await post("/api/v1/campaigns", { ...base, quietHours: {} });
      await launchNow(res.json().id);
      expect(await dueTimes(res.json().id)).toEqual({
        "821050000001": SEOUL_MORNING,
        "821050000002": SEOUL_MORNING,
        "14155550123": LA_MORNING,
        "821050000003": LATE_IN_SEOUL, // 14:00 in Paris: at once
      });
      // Without quiet hours everyone is due at once.
      const plain = await post("/api/v1/campaigns", { ...base, name: "Plain" });
      await launchNow(plain.json().id);
      expect(new Set(Object.values(await dueTimes(plain.json().id)))).toEqual(new Set([LATE_IN_SEOUL]));
      const statuses = await t.store.db
        .selectFrom("messages")
        .select("status")
        .where("campaign_id", "=", plain.json().id)
        .execute();
      expect(statuses.map((r) => r.status)).toEqual(["queued", "queued", "queued", "queued"]);
    });

    it("moves a best-hour send that falls in the window to its end", async () => {
      // Best hour without history: 10:00 local. A window 9–12 holds it until 12:00.
      const res = await post("/api/v1/campaigns", {
        ...base,
        schedule: { kind: "best_hour" },
        quietHours: { startHour: 9, endHour: 12 },
      });
      await launchNow(res.json().id);
      const due = await dueTimes(res.json().id);
      expect(due["821050000001"]).toBe(Date.UTC(2026, 10, 27, 3, 0)); // 12:00 KST on the 27th
      expect(due["14155550123"]).toBe(Date.UTC(2026, 10, 26, 20, 0)); // 12:00 PST on the 26th
    });

    it("resume during quiet hours moves recipients whose time passed; progress shows them waiting", async () => {
      // Launched at 17:00 in Seoul (08:00 UTC, 00:00 in LA, 09:00 in Paris) with quiet hours 21–8.
      t.clock.now = Date.UTC(2026, 10, 26, 8, 0);
      const res = await post("/api/v1/campaigns", { ...base, quietHours: {} });
      const id = res.json().id;
      await launchNow(id);
      const launched = await dueTimes(id);
      expect(launched["821050000001"]).toBe(t.clock.now);
      expect(launched["14155550123"]).toBe(LA_MORNING);
      await pause({ store: t.store, now: () => t.clock.now, engine: noEngine }, id);
      // Resumed at 22:00 in Seoul: the Koreans wait for 08:00, Paris (14:00) goes at once, LA keeps its time.
      t.clock.now = LATE_IN_SEOUL;
      expect((await post(`/api/v1/campaigns/${id}/resume`)).statusCode).toBe(200);
      expect(await dueTimes(id)).toEqual({
        "821050000001": SEOUL_MORNING,
        "821050000002": SEOUL_MORNING,
        "14155550123": LA_MORNING,
        "821050000003": Date.UTC(2026, 10, 26, 8, 0),
      });
      const progress = (await get(`/api/v1/campaigns/${id}/progress`)).json();
      expect(progress).toMatchObject({ waiting: 3, nextDueAt: LA_MORNING });
      expect(progress.etaSeconds).toBe((SEOUL_MORNING - LATE_IN_SEOUL) / 1000);
    });

    it("the dispatcher's guard holds claimed rows of a campaign that fell behind into the quiet hours", async () => {
      // Launched at 17:00 in Seoul; at 22:00 the rows are still queued (a slow number): claimed, they go back to
      // queued until 08:00 (Seoul) / 08:00 (Los Angeles), the attempt not counted; Paris (14:00) may be sent.
      t.clock.now = Date.UTC(2026, 10, 26, 8, 0);
      const res = await post("/api/v1/campaigns", { ...base, quietHours: {} });
      const id = res.json().id;
      await launchNow(id);
      t.clock.now = LATE_IN_SEOUL;
      const owner = "test-owner";
      const claimed = await claimDueMessages(
        t.store.db,
        t.store.dialect,
        { senderId: base.senderId, owner, limit: 10, leaseUntil: t.clock.now + 60_000 },
        t.clock.now,
      );
      expect(claimed.map((r) => r.to_phone).sort()).toEqual(["821050000001", "821050000002", "821050000003"]);
      const deferred = await new QuietHoursGuard(t.store).deferrals(claimed, t.clock.now);
      const byPhone = Object.fromEntries(claimed.map((r) => [r.to_phone, deferred.get(r.id) ?? null]));
      expect(byPhone).toEqual({
        "821050000001": SEOUL_MORNING,
        "821050000002": SEOUL_MORNING,
        "821050000003": null,
      });
      await finishMessages(
        t.store.db,
        owner,
        [...deferred].map(([messageId, dueAt]) => ({ id: messageId, kind: "deferred" as const, dueAt })),
      );
      const rows = await t.store.db
        .selectFrom("messages")
        .select(["to_phone", "status", "due_at", "attempts"])
        .where("campaign_id", "=", id)
        .where("to_phone", "in", ["821050000001", "14155550123"])
        .orderBy("to_phone")
        .execute();
      expect(rows.map((r) => [r.to_phone, r.status, Number(r.due_at), Number(r.attempts)])).toEqual([
        ["14155550123", "queued", LA_MORNING, 0],
        ["821050000001", "queued", SEOUL_MORNING, 0],
      ]);
      // A campaign without quiet hours: nothing held.
      const plain = await post("/api/v1/campaigns", { ...base, name: "Plain" });
      await launchNow(plain.json().id);
      const again = await claimDueMessages(
        t.store.db,
        t.store.dialect,
        { senderId: base.senderId, owner, limit: 10, leaseUntil: t.clock.now + 60_000 },
        t.clock.now,
      );
      const plainRows = again.filter((r) => r.campaign_id === plain.json().id);
      expect(plainRows).toHaveLength(4);
      expect((await new QuietHoursGuard(t.store).deferrals(plainRows, t.clock.now)).size).toBe(0);
    });

    it("preview compares providers' plans for the campaign's sends, cheapest first", async () => {
      const res = await post("/api/v1/campaigns", base);
      const preview = await post(`/api/v1/campaigns/${res.json().id}/preview`);
      expect(preview.statusCode).toBe(200);
      const body = preview.json();
      expect(body.providers.messagesPerMonth).toBe(4);
      expect(body.providers.currency).toBe("USD");
      const meta = body.estimate.totalMicroUsd;
      expect(meta).toBeGreaterThan(0);
      const totals = body.providers.plans.map((p: { totalMicroUsd: number }) => p.totalMicroUsd);
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      const byId = Object.fromEntries(
        body.providers.plans.map((p: { planId: string; providerMicroUsd: number }) => [p.planId, p.providerMicroUsd]),
      );
      // Twilio: no monthly fee, $0.005 a message; MessageBird: $50 a month, its first 1,000 messages free.
      expect(byId).toMatchObject({ cloud_api: 0, twilio: 4 * 5_000, messagebird: 50_000_000 });
      expect(body.providers.plans[0]).toMatchObject({ planId: "cloud_api", totalMicroUsd: meta });
    });
  });
}

const noEngine = { wakeApplier: () => {}, wakeDispatcher: () => {}, tickScheduler: async () => {} };
