import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { createApiKey } from "../../src/store/api-keys.js";
import { type RunningWorker, startWorker } from "../../src/worker.js";

// Real: `herald start --role api` (HTTP, webhook intake, the embedded sandbox, no loops) and `herald worker` (the
// loops, no HTTP) as two servers on one SQLite file, the sandbox over 127.0.0.1. Checked: the split roles together
// do what `herald start` does alone — a template approved by webhook, a message queued by the API, sent by the
// worker, delivered by webhook.
type Json = Record<string, unknown> & { id: string; status: string };

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

describe("herald start --role api with a herald worker", () => {
  let dir: string;
  let server: RunningServer;
  let worker: RunningWorker;
  let api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Json }>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-e2e-roles-"));
    const config = loadConfig({
      env: {
        PORT: "0",
        HERALD_SANDBOX_PORT: String(await freePort()),
        HERALD_SANDBOX_REVIEW_DELAY_MS: "100",
        HERALD_DATA_DIR: dir,
        HERALD_LOG_LEVEL: "silent",
      },
      envFileDir: null,
      createDataDir: true,
    });
    server = await startServer({ config, logger: createLogger(config), demo: false, role: "api" });
    worker = await startWorker({ config, logger: createLogger(config) });
    const { key } = await createApiKey(server.store.db, { name: "e2e", role: "admin", createdBy: null }, Date.now());
    api = async (method, path, body) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
  });
  afterAll(async () => {
    await worker?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async (what: string, check: () => Promise<boolean>, ms = 20_000) => {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
      await server.sandbox?.sandbox.flush();
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it("serves HTTP without loops, and the worker applies webhooks and sends", async () => {
    expect(server.engine).toBeNull();
    const sender = await api("POST", "/api/v1/senders", {
      name: "Shop",
      provider: "sandbox",
      phoneNumberId: "500900100",
      wabaId: "600900100",
      displayPhoneNumber: "15550009999",
      accessToken: "sandbox-token-roles",
      appSecret: "sandbox-secret-roles",
      verifyToken: "verify-token-roles",
      mpsLimit: 20,
      messagingTier: "TIER_10K",
    });
    expect(sender.status).toBe(201);
    const template = await api("POST", "/api/v1/templates", {
      name: "order_ready",
      language: "ko",
      category: "UTILITY",
      parameterFormat: "POSITIONAL",
      header: null,
      body: "주문번호 {{1}} 상품을 매장에서 찾아가실 수 있습니다. 영업시간에 방문해 주세요.",
      examples: { "1": "A-1001" },
      footer: null,
      buttons: [],
    });
    expect(template.status).toBe(201);
    expect(
      (await api("POST", `/api/v1/templates/${template.body.id}/submit`, { senderId: sender.body.id })).status,
    ).toBe(200);
    // The approval arrives by webhook at the API process and is applied by the worker.
    await until(
      "template approval",
      async () => (await api("GET", `/api/v1/templates/${template.body.id}`)).body.status === "APPROVED",
    );
    const queued = await api("POST", "/api/v1/messages", {
      senderId: sender.body.id,
      to: "+821077770009",
      template: { name: "order_ready", language: "ko", variables: { "1": "C-3" } },
    });
    expect(queued.status).toBe(201);
    await until("the worker to send", async () =>
      ["sent", "delivered", "read"].includes((await api("GET", `/api/v1/messages/${queued.body.id}`)).body.status),
    );
    expect(worker.engine.dispatcher.heldSenders()).toEqual([sender.body.id]);
    expect(server.sandbox?.sandbox.received("821077770009")).toHaveLength(1);
  });
});
