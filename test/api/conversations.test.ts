import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/model.js";
import { findConversationId } from "../../src/store/conversations.js";
import { insertTemplate } from "../../src/store/templates.js";
import { buildTestApp, type TestApp } from "../support/app.js";
import { customerWrites, INBOX_WABA, inboxContacts, inboxSender } from "../support/inbox.js";

// Real: routes, auth, validation, SQLite, the inbox store. Faked: the clock; the engine handle (no dispatcher runs:
// replies stay queued, which is what these tests read).
const MIN = 60_000;
const HOUR = 60 * MIN;
const A = "+821022220001";
const B = "+821022220002";

const orderUpdate: Template = {
  name: "order_update",
  language: "en_US",
  category: "UTILITY",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "Hi {{1}}, about your order {{2}}: we will get back to you shortly.",
  examples: { "1": "Minsu", "2": "A-100" },
  footer: null,
  buttons: [],
};

describe("inbox API", () => {
  let t: TestApp;
  let agent: { cookie: string; csrf: string; userId: string };
  let senderId: string;
  let seqs: Map<string, number>;
  let idA: string;
  let idB: string;

  const as = (who: { cookie: string; csrf: string }) => ({ cookie: who.cookie, "x-csrf-token": who.csrf });
  const call = (
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    url: string,
    payload?: Record<string, unknown>,
    who = agent,
  ) => t.app.inject({ method, url, headers: as(who), ...(payload === undefined ? {} : { payload }) });

  beforeEach(async () => {
    t = await buildTestApp();
    agent = await t.login("agent");
    senderId = await inboxSender(t.store, t.clock.now);
    seqs = await inboxContacts(t.store, [A, B], t.clock.now);
    // A wrote an hour ago (window open); B wrote 25 hours ago (window closed).
    await customerWrites(t.store, {
      senderId,
      seq: seqs.get(A) as number,
      phone: A,
      text: "Where is my order?",
      at: t.clock.now - HOUR,
    });
    await customerWrites(t.store, {
      senderId,
      seq: seqs.get(B) as number,
      phone: B,
      text: "환불 가능한가요?",
      at: t.clock.now - 25 * HOUR,
    });
    idA = (await findConversationId(t.store.db, seqs.get(A) as number, senderId)) as string;
    idB = (await findConversationId(t.store.db, seqs.get(B) as number, senderId)) as string;
  });
  afterEach(async () => {
    await t.close();
  });

  it("lists conversations for an agent, longest waiting first, flagging the overdue one", async () => {
    const res = await call("GET", "/api/v1/conversations?status=open");
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.map((c: { id: string; overdue: boolean }) => [c.id, c.overdue])).toEqual([
      [idB, true],
      [idA, false],
    ]);
    expect(data[1]).toMatchObject({ unread: 1, window: { open: true, remainingMs: 23 * HOUR }, assignee: null });
    expect((await t.app.inject({ method: "GET", url: "/api/v1/conversations" })).statusCode).toBe(401);
    expect((await call("GET", "/api/v1/conversations?status=nope")).statusCode).toBe(400);
  });

  it("shows one conversation with its messages, the contact's tags and metrics, and the window", async () => {
    const res = await call("GET", `/api/v1/conversations/${idA}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.contact.phone).toBe(A);
    expect(body.messages).toEqual([expect.objectContaining({ direction: "in", text: "Where is my order?" })]);
    expect(body.conversation.window.open).toBe(true);
    expect(body.metrics).toMatchObject({ lastInboundAt: null });
    expect(Array.isArray(body.tags)).toBe(true);
    expect((await call("GET", "/api/v1/conversations/nope")).statusCode).toBe(404);
  });

  it("queues a free-text reply inside the window as an agent message, assigns and marks the conversation read", async () => {
    const res = await call("POST", `/api/v1/conversations/${idA}/reply`, { kind: "text", text: "It ships today." });
    expect(res.statusCode).toBe(202);
    const { messageId } = res.json();
    const row = await t.store.db
      .selectFrom("messages")
      .selectAll()
      .where("id", "=", messageId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      origin: "agent",
      status: "queued",
      category: "service",
      to_phone: A.slice(1),
      due_at: t.clock.now,
    });
    expect(JSON.parse(row.payload)).toEqual({ kind: "text", to: A.slice(1), body: "It ships today." });
    const detail = (await call("GET", `/api/v1/conversations/${idA}`)).json();
    expect(detail.conversation).toMatchObject({ unread: 0, assignee: { id: agent.userId } });
    expect(detail.messages.at(-1)).toMatchObject({
      direction: "out",
      origin: "agent",
      status: "queued",
      author: { id: agent.userId },
    });
  });

  it("refuses free text once the window closed and sends an approved template instead", async () => {
    const text = await call("POST", `/api/v1/conversations/${idB}/reply`, { kind: "text", text: "Hello?" });
    expect(text.statusCode).toBe(409);
    expect(text.json().error.message).toMatch(/window is closed/);
    const approved = await insertTemplate(
      t.store.db,
      {
        template: orderUpdate,
        lint: [],
        wabaId: INBOX_WABA,
        senderId,
        status: "APPROVED",
        createdBy: null,
        source: "create",
        event: "created",
      },
      t.clock.now,
    );
    const pending = await insertTemplate(
      t.store.db,
      {
        template: { ...orderUpdate, name: "order_pending" },
        lint: [],
        wabaId: INBOX_WABA,
        senderId,
        status: "PENDING",
        createdBy: null,
        source: "create",
        event: "created",
      },
      t.clock.now,
    );
    const list = (await call("GET", `/api/v1/conversations/${idB}/templates`)).json();
    expect(list.data).toEqual([expect.objectContaining({ id: approved.id, places: ["1", "2"] })]);
    const notApproved = await call("POST", `/api/v1/conversations/${idB}/reply`, {
      kind: "template",
      templateId: pending.id,
    });
    expect(notApproved.statusCode).toBe(409);
    const missing = await call("POST", `/api/v1/conversations/${idB}/reply`, {
      kind: "template",
      templateId: approved.id,
      values: { "1": "Jisoo" },
    });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json().error.details)).toContain("values.");
    const ok = await call("POST", `/api/v1/conversations/${idB}/reply`, {
      kind: "template",
      templateId: approved.id,
      values: { "1": "Jisoo", "2": "B-7" },
    });
    expect(ok.statusCode).toBe(202);
    const row = await t.store.db
      .selectFrom("messages")
      .selectAll()
      .where("id", "=", ok.json().messageId)
      .executeTakeFirstOrThrow();
    expect(row.category).toBe("utility");
    expect(JSON.parse(row.payload)).toMatchObject({ kind: "template", name: "order_update", language: "en_US" });
    const thread = (await call("GET", `/api/v1/conversations/${idB}`)).json().messages;
    expect(thread.at(-1)).toMatchObject({
      template: "order_update",
      text: "Hi Jisoo, about your order B-7: we will get back to you shortly.",
    });
  });

  it("assigns, unassigns, changes status and marks read", async () => {
    const other = await t.login("marketer");
    let res = await call("POST", `/api/v1/conversations/${idA}/assign`, { userId: other.userId });
    expect(res.json().assignee).toMatchObject({ id: other.userId });
    expect(
      (await call("GET", "/api/v1/conversations?assigned=unassigned")).json().data.map((c: { id: string }) => c.id),
    ).toEqual([idB]);
    expect((await call("GET", "/api/v1/conversations?assigned=me", undefined, other)).json().data).toHaveLength(1);
    res = await call("POST", `/api/v1/conversations/${idA}/assign`, { userId: null });
    expect(res.json().assignee).toBeNull();
    expect((await call("POST", `/api/v1/conversations/${idA}/assign`, { userId: "ghost" })).statusCode).toBe(400);
    res = await call("POST", `/api/v1/conversations/${idA}/status`, { status: "closed" });
    expect(res.json().status).toBe("closed");
    res = await call("POST", `/api/v1/conversations/${idA}/read`);
    expect(res.json().unread).toBe(0);
    const agents = (await call("GET", "/api/v1/conversations/agents")).json().data;
    expect(agents.map((u: { id: string }) => u.id).sort()).toEqual([agent.userId, other.userId].sort());
  });

  it("manages canned replies and finds them by shortcut", async () => {
    const created = await call("POST", "/api/v1/canned-replies", {
      shortcut: "/hours",
      title: "Hours",
      body: "We are open 9–18.",
      language: "en",
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().shortcut).toBe("hours");
    expect(
      (await call("POST", "/api/v1/canned-replies", { shortcut: "hours", title: "x", body: "y", language: "en" }))
        .statusCode,
    ).toBe(409);
    expect(
      (await call("POST", "/api/v1/canned-replies", { shortcut: "hours", title: "x", body: "y", language: "english" }))
        .statusCode,
    ).toBe(400);
    const id = created.json().id;
    expect((await call("PATCH", `/api/v1/canned-replies/${id}`, { body: "Open 10–19." })).json().body).toBe(
      "Open 10–19.",
    );
    expect((await call("GET", "/api/v1/canned-replies?q=/ho")).json().data).toHaveLength(1);
    expect((await call("DELETE", `/api/v1/canned-replies/${id}`)).statusCode).toBe(204);
    expect((await call("GET", `/api/v1/canned-replies/${id}`)).statusCode).toBe(404);
  });

  it("lets only an admin change what marks a high-value customer", async () => {
    expect((await call("GET", "/api/v1/conversations/settings")).json()).toEqual({
      priorityTag: "VIP",
      prioritySegmentId: null,
    });
    expect(
      (await call("PUT", "/api/v1/conversations/settings", { priorityTag: "Gold", prioritySegmentId: null }))
        .statusCode,
    ).toBe(403);
    const admin = await t.login("admin");
    const res = await call(
      "PUT",
      "/api/v1/conversations/settings",
      { priorityTag: "Gold", prioritySegmentId: null },
      admin,
    );
    expect(res.json()).toEqual({ priorityTag: "Gold", prioritySegmentId: null });
    const bad = await call(
      "PUT",
      "/api/v1/conversations/settings",
      { priorityTag: null, prioritySegmentId: "nope" },
      admin,
    );
    expect(bad.statusCode).toBe(400);
  });

  it("reports team first-response figures to agents", async () => {
    const res = await call("GET", "/api/v1/analytics/team?days=7");
    expect(res.statusCode).toBe(200);
    // Both customers are still waiting past 5 minutes and nobody answered yet.
    expect(res.json()).toMatchObject({
      team: { answered: 0, waiting: 2, within5MinShare: 0, medianMs: null },
      agents: [],
      replies: { agent: 0, auto: 0, autoShare: null },
    });
  });
});
