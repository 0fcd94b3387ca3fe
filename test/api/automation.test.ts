import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";
import { DIALECTS } from "../support/dialects.js";

// Real: routes, validation, roles, the store (each dialect) and the tester. Faked: the clock (fixed, 18:00 KST).
for (const dialect of DIALECTS) {
  describe(`automation rules API on ${dialect.name}`, () => {
    let t: TestApp;
    let marketer: { authorization: string };
    let agent: { authorization: string };

    beforeAll(async () => {
      t = await buildTestApp({}, dialect);
      marketer = { authorization: await t.bearer("marketer") };
      agent = { authorization: await t.bearer("agent") };
    });
    afterAll(async () => t.close());

    const call = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, payload?: unknown, as = marketer) =>
      t.app.inject({ method, url, headers: as, ...(payload === undefined ? {} : { payload: payload as object }) });
    const discount = {
      name: "Discount code",
      trigger: { kind: "keyword", mode: "contains", keywords: ["할인", "discount"] },
      actions: [
        { kind: "reply", content: { kind: "text", body: "할인 코드: SPRING20" } },
        { kind: "add_tag", tag: "asked-discount" },
      ],
    };
    const stop = {
      name: "Opt out",
      trigger: { kind: "keyword", mode: "exact", keywords: ["STOP", "UNSUBSCRIBE", "수신거부"] },
      actions: [{ kind: "opt_out", confirmation: "수신거부 처리되었습니다. START로 다시 받을 수 있어요." }],
    };

    it("creates rules in order and lists them with statistics", async () => {
      const a = await call("POST", "/api/v1/automation/rules", discount);
      expect(a.statusCode).toBe(201);
      expect(a.json()).toMatchObject({
        position: 0,
        enabled: true,
        conditions: [],
        stats: { matches: 0, replies: 0, repliesSent: 0, lastMatchedAt: null },
      });
      const b = await call("POST", "/api/v1/automation/rules", { ...stop, position: 0 });
      expect(b.json().position).toBe(0);
      const list = await call("GET", "/api/v1/automation/rules", undefined, agent);
      expect(list.statusCode).toBe(200);
      expect(list.json().data.map((r: { name: string }) => r.name)).toEqual(["Opt out", "Discount code"]);
    });

    it("rejects a bad rule naming the field, and agents may not write", async () => {
      const bad = await call("POST", "/api/v1/automation/rules", {
        ...discount,
        trigger: { kind: "regex", pattern: "([" },
      });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json().error.details)).toContain("trigger");
      const twoReplies = await call("POST", "/api/v1/automation/rules", {
        ...discount,
        actions: [...discount.actions, { kind: "opt_out", confirmation: "bye" }],
      });
      expect(twoReplies.statusCode).toBe(400);
      expect((await call("POST", "/api/v1/automation/rules", discount, agent)).statusCode).toBe(403);
    });

    it("tests a message: which rule fires, why the others did not, what it would send", async () => {
      const res = await call("POST", "/api/v1/automation/test", { text: "할인 코드 주세요" }, agent);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.verdicts.map((v: { outcome: string }) => v.outcome)).toEqual(["no_match", "fired"]);
      expect(body.plan).toMatchObject({ ruleName: "Discount code", addTags: ["asked-discount"] });
      expect(body.wouldSend).toMatchObject({ kind: "text", body: "할인 코드: SPRING20" });
      const stopped = (await call("POST", "/api/v1/automation/test", { text: "수신거부" })).json();
      expect(stopped.plan.consent).toBe("opt_out");
      const closed = (await call("POST", "/api/v1/automation/test", { text: "할인", windowClosed: true })).json();
      expect(closed.wouldSend).toBeNull();
      expect(closed.replyProblem).toMatch(/window_closed/);
      expect((await call("POST", "/api/v1/automation/test", {})).statusCode).toBe(400);
    });

    it("reorders, disables, edits and deletes", async () => {
      const ids = (await call("GET", "/api/v1/automation/rules")).json().data.map((r: { id: string }) => r.id);
      const reordered = await call("PUT", "/api/v1/automation/rules/order", { ids: [...ids].reverse() });
      expect(reordered.json().data.map((r: { name: string }) => r.name)).toEqual(["Discount code", "Opt out"]);
      expect((await call("PUT", "/api/v1/automation/rules/order", { ids: [ids[0]] })).statusCode).toBe(400);
      const off = await call("PATCH", `/api/v1/automation/rules/${ids[1]}`, { enabled: false });
      expect(off.json()).toMatchObject({
        enabled: false,
        name: "Discount code",
        actions: discount.actions.map(() => expect.anything()),
      });
      const tested = (await call("POST", "/api/v1/automation/test", { text: "할인" })).json();
      expect(tested.verdicts[0]).toMatchObject({ outcome: "disabled" });
      expect(tested.plan).toBeNull();
      expect((await call("DELETE", `/api/v1/automation/rules/${ids[1]}`)).statusCode).toBe(204);
      expect((await call("GET", `/api/v1/automation/rules/${ids[1]}`)).statusCode).toBe(404);
    });

    it("reads and changes the guard settings", async () => {
      expect((await call("GET", "/api/v1/automation/settings")).json()).toEqual({
        maxRepliesPerHour: 10,
        loopMaxReplies: 3,
        loopWindowMinutes: 2,
      });
      const put = await call("PUT", "/api/v1/automation/settings", {
        maxRepliesPerHour: 5,
        loopMaxReplies: 2,
        loopWindowMinutes: 1,
      });
      expect(put.json().maxRepliesPerHour).toBe(5);
      expect(
        (
          await call("PUT", "/api/v1/automation/settings", {
            maxRepliesPerHour: 0,
            loopMaxReplies: 2,
            loopWindowMinutes: 1,
          })
        ).statusCode,
      ).toBe(400);
    });
  });
}
