import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { createApiKey } from "../../src/store/api-keys.js";

// Real: the whole server (HTTP, SQLite, dispatcher, applier) and the embedded sandbox over 127.0.0.1, which reviews
// the template, accepts the sends at the number's rate and calls back with statuses. Nothing is faked.
type Json = Record<string, unknown> & { id: string; status: string };
const run = promisify(execFile);
const main = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const phoneNumberId = "500700800";
const customer = "821077770001";

describe("single messages from the API reach the customer", () => {
  let server: RunningServer;
  let dir: string;
  let senderId: string;
  let api: <T = Json>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-e2e-messages-"));
    const config = loadConfig({
      env: {
        PORT: "0",
        HERALD_SANDBOX_PORT: "0",
        HERALD_SANDBOX_REVIEW_DELAY_MS: "100",
        HERALD_DATA_DIR: dir,
        HERALD_LOG_LEVEL: "silent",
      },
      envFileDir: null,
      createDataDir: true,
    });
    server = await startServer({ config, logger: createLogger(config), demo: false });
    const { key } = await createApiKey(server.store.db, { name: "crm", role: "marketer", createdBy: null }, Date.now());
    api = async (method, path, body) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    };
    const admin = await createApiKey(server.store.db, { name: "admin", role: "admin", createdBy: null }, Date.now());
    const sender = await fetch(`${server.url}/api/v1/senders`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.key}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "Shop",
        provider: "sandbox",
        phoneNumberId,
        wabaId: "600700800",
        displayPhoneNumber: "15550007777",
        accessToken: "sandbox-token-messages",
        appSecret: "sandbox-secret-messages",
        verifyToken: "verify-token-messages",
        mpsLimit: 20,
        messagingTier: "TIER_10K",
      }),
    });
    expect(sender.status).toBe(201);
    senderId = ((await sender.json()) as Json).id;
    // The customer's number always delivers (the simulated audience has 2% unreachable numbers).
    await fetch(`${server.sandbox!.origin}/_sandbox/audience/${customer}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ unreachable: false, deliveryRate: 1, deliveryDelayMeanMs: 200, readRate: 0 }),
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async (what: string, check: () => Promise<boolean>, ms = 20_000) => {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const delivered = async (id: string) => {
    let last: Json | null = null;
    await until(`message ${id} delivered`, async () => {
      await server.sandbox!.sandbox.flush();
      await server.engine!.applier.drain();
      last = (await api("GET", `/api/v1/messages/${id}`)).body;
      return last.status === "delivered" || last.status === "read";
    });
    return last as unknown as Json;
  };

  it("sends an approved template at once and free text only after the customer wrote", async () => {
    const template = await api("POST", "/api/v1/templates", {
      name: "order_shipped",
      language: "ko",
      category: "UTILITY",
      parameterFormat: "POSITIONAL",
      header: null,
      body: "주문번호 {{1}} 상품이 오늘 출고되었습니다. 배송 조회는 아래에서 확인해 주세요.",
      examples: { "1": "A-1001" },
      footer: null,
      buttons: [],
    });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    expect((await api("POST", `/api/v1/templates/${template.body.id}/submit`, { senderId })).status).toBe(200);
    await until(
      "template approval",
      async () => (await api("GET", `/api/v1/templates/${template.body.id}`)).body.status === "APPROVED",
    );

    const sent = await api("POST", "/api/v1/messages", {
      senderId,
      to: `+${customer}`,
      template: { name: "order_shipped", language: "ko", variables: { "1": "A-2002" } },
      idempotencyKey: "order-A-2002-shipped",
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.status).toBe("queued");
    const done = await delivered(sent.body.id);
    expect(done).toMatchObject({ origin: "api", category: "utility", error: null });
    expect(done.providerMessageId).toMatch(/^wamid\./);
    const received = server.sandbox!.sandbox.received(customer);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ id: done.providerMessageId, template: { name: "order_shipped" } });
    expect(received[0]?.text).toContain("A-2002");
    // The CRM retries its request: the same message, nothing sent again.
    const retry = await api("POST", "/api/v1/messages", {
      senderId,
      to: `+${customer}`,
      template: { name: "order_shipped", language: "ko", variables: { "1": "A-2002" } },
      idempotencyKey: "order-A-2002-shipped",
    });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(sent.body.id);

    // Free text before the customer ever wrote: refused with the reason.
    const text = { senderId, to: `+${customer}`, text: { body: "문의 주셔서 감사합니다. 내일 도착 예정입니다." } };
    const refused = await api<{ error: { code: string; details: { reason: string } } }>(
      "POST",
      "/api/v1/messages",
      text,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.reason).toBe("outside_service_window");

    // The customer writes; the webhook opens the 24-hour window; the same text now goes.
    const inbound = await fetch(`${server.sandbox!.origin}/_sandbox/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phoneNumberId, from: customer, text: "언제 도착하나요?" }),
    });
    expect(inbound.status).toBe(200);
    await until("the inbound message applied", async () => {
      await server.sandbox!.sandbox.flush();
      await server.engine!.applier.drain();
      return (await api("POST", "/api/v1/messages", { ...text, idempotencyKey: "reply-1" })).status === 201;
    });
    const reply = await api("POST", "/api/v1/messages", { ...text, idempotencyKey: "reply-1" });
    expect(reply.status).toBe(200);
    const replied = await delivered(reply.body.id);
    expect(replied).toMatchObject({ kind: "text", category: "service", contactId: expect.any(String) });
    expect(server.sandbox!.sandbox.received(customer).map((m) => m.type)).toEqual(["template", "text"]);
  });

  it("queues a message from the command line, which the running server sends", async () => {
    const env = { ...process.env, HERALD_DATA_DIR: dir, DATABASE_URL: "", HERALD_LOG_LEVEL: "silent" };
    const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", main, ...args], { env });
    const { stdout, stderr } = await cli(
      "send",
      "--to",
      "+821077770002",
      "--template",
      "order_shipped",
      "--var",
      "1=B-7",
    );
    expect(stderr).toContain("queued message");
    const id = stdout.trim();
    expect((await delivered(id)).template).toEqual({ name: "order_shipped", language: "ko" });
    expect(server.sandbox!.sandbox.received("821077770002")[0]?.text).toContain("B-7");
    // Refusals read like the API's: free text to someone who never wrote.
    await expect(cli("send", "--to", "+821077770002", "--text", "hello")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("within 24 hours"),
    });
    await expect(cli("start", "--role", "nope")).rejects.toMatchObject({ code: 2 });
  }, 90_000);
});
