import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser } from "../../src/api/auth/accounts.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";

// Real: the server (API, applier, dispatcher), the embedded sandbox over 127.0.0.1, the live stream over HTTP.
// A simulated customer writes through the sandbox's control API; an agent answers from the inbox API.
const phoneNumberId = "700300400";
const customer = "821077701234";

describe("team inbox, end to end", () => {
  let server: RunningServer;
  let dir: string;
  let headers: Record<string, string>;
  let agentId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-e2e-inbox-"));
    const config = loadConfig({
      env: { PORT: "0", HERALD_SANDBOX_PORT: "0", HERALD_DATA_DIR: dir, HERALD_LOG_LEVEL: "silent" },
      envFileDir: null,
      createDataDir: true,
    });
    server = await startServer({ config, logger: createLogger(config), demo: false });
    const agent = await addUser(
      server.store,
      { email: "agent@example.com", password: "agent password 1", role: "agent" },
      Date.now(),
    );
    agentId = agent.id;
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "agent@example.com", password: "agent password 1" }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    headers = { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" };
    // An admin adds the sandbox number (agents cannot).
    const admin = await addUser(
      server.store,
      { email: "admin2@example.com", password: "admin password 1", role: "admin" },
      Date.now(),
    );
    expect(admin.role).toBe("admin");
    const adminLogin = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin2@example.com", password: "admin password 1" }),
    });
    const adminHeaders = {
      cookie: (adminLogin.headers.get("set-cookie") ?? "").split(";")[0] ?? "",
      "x-csrf-token": ((await adminLogin.json()) as { csrfToken: string }).csrfToken,
      "content-type": "application/json",
    };
    const sender = await fetch(`${server.url}/api/v1/senders`, {
      method: "POST",
      headers: adminHeaders,
      body: JSON.stringify({
        name: "Shop",
        provider: "sandbox",
        phoneNumberId,
        wabaId: "800300400",
        displayPhoneNumber: "15550003333",
        accessToken: "sandbox-token-inbox",
        appSecret: "sandbox-secret-inbox",
        verifyToken: "verify-token-inbox",
      }),
    });
    expect(sender.status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads server-sent events until `until` accepts one (or the time runs out). */
  async function nextEvent(until: (data: Record<string, unknown>) => boolean, ms = 10_000) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    const res = await fetch(`${server.url}/api/v1/conversations/events`, { headers, signal: controller.signal });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const found = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return null;
          buffer += decoder.decode(value, { stream: true });
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split("\n").find((l) => l.startsWith("data: "));
            if (frame.includes("event: conversation") && data) {
              const parsed = JSON.parse(data.slice(6)) as Record<string, unknown>;
              if (until(parsed)) return parsed;
            }
          }
        }
      } catch {
        return null;
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
    })();
    return { found, ready: new Promise((r) => setTimeout(r, 200)) };
  }

  it("shows a customer's message as a conversation, live, and delivers the agent's reply to the customer", async () => {
    const watch = await nextEvent((c) => (c.contact as { phone: string }).phone === `+${customer}`);
    await watch.ready;
    const inbound = await fetch(`${server.sandbox!.origin}/_sandbox/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phoneNumberId, from: customer, name: "이서연", text: "주문한 상품 언제 도착하나요?" }),
    });
    expect(inbound.status).toBe(200);
    await server.sandbox!.sandbox.flush();
    await server.engine!.applier.drain();

    const live = await watch.found;
    expect(live).toMatchObject({ status: "open", unread: 1, lastPreview: "주문한 상품 언제 도착하나요?" });

    const list = (await (await fetch(`${server.url}/api/v1/conversations`, { headers })).json()) as {
      data: { id: string; contact: { name: string }; window: { open: boolean } }[];
    };
    expect(list.data).toHaveLength(1);
    const conversation = list.data[0]!;
    expect(conversation.contact.name).toBe("이서연");
    expect(conversation.window.open).toBe(true);

    const reply = await fetch(`${server.url}/api/v1/conversations/${conversation.id}/reply`, {
      method: "POST",
      headers,
      body: JSON.stringify({ kind: "text", text: "내일 도착 예정입니다. 감사합니다!" }),
    });
    expect(reply.status).toBe(202);
    await server.engine!.dispatcher.idle();
    await server.sandbox!.sandbox.flush();
    await server.engine!.applier.drain();

    const received = (await (await fetch(`${server.sandbox!.origin}/_sandbox/received/${customer}`)).json()) as
      | { text?: string; status?: string }[]
      | { messages: { text?: string; status?: string }[] };
    const messages = Array.isArray(received) ? received : received.messages;
    expect(messages.map((m) => m.text)).toContain("내일 도착 예정입니다. 감사합니다!");

    const detail = (await (
      await fetch(`${server.url}/api/v1/conversations/${conversation.id}`, { headers })
    ).json()) as {
      conversation: { waitingSince: number | null; assignee: { id: string } | null };
      messages: { direction: string; status?: string }[];
      responses: { by: string; user: { id: string } | null }[];
    };
    expect(detail.conversation.waitingSince).toBeNull();
    expect(detail.conversation.assignee?.id).toBe(agentId);
    expect(detail.messages.map((m) => m.direction)).toEqual(["in", "out"]);
    expect(["sent", "delivered", "read"]).toContain(detail.messages[1]?.status);
    expect(detail.responses).toEqual([
      expect.objectContaining({ by: "agent", user: expect.objectContaining({ id: agentId }) }),
    ]);

    const team = (await (await fetch(`${server.url}/api/v1/analytics/team`, { headers })).json()) as {
      team: { answered: number; within5MinShare: number };
      agents: { userId: string; answered: number }[];
    };
    expect(team.team).toMatchObject({ answered: 1, within5MinShare: 1 });
    expect(team.agents).toEqual([expect.objectContaining({ userId: agentId, answered: 1 })]);
  });
});
