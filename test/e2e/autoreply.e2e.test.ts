import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { createApiKey } from "../../src/store/api-keys.js";
import { signBody } from "../../src/whatsapp/webhook/signature.js";

// Real: the server (intake, applier, auto-replies, dispatcher) and the embedded sandbox over 127.0.0.1: a simulated
// customer writes to the number, the sandbox posts the signed webhook, and the reply arrives back at the sandbox.
type Received = { type: string; text?: string; to: string };

describe("keyword auto-replies end to end", () => {
  let server: RunningServer;
  let dir: string;
  let headers: Record<string, string>;
  const phoneNumberId = "700100300";
  const wabaId = "800100300";
  const appSecret = "sandbox-secret-autoreply";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-e2e-autoreply-"));
    const config = loadConfig({
      env: { PORT: "0", HERALD_SANDBOX_PORT: "0", HERALD_DATA_DIR: dir, HERALD_LOG_LEVEL: "silent" },
      envFileDir: null,
      createDataDir: true,
    });
    server = await startServer({ config, logger: createLogger(config), demo: false });
    const { key } = await createApiKey(server.store.db, { name: "e2e", role: "admin", createdBy: null }, Date.now());
    headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const post = (url: string, body: unknown) =>
      fetch(`${server.url}${url}`, { method: "POST", headers, body: JSON.stringify(body) });
    const sender = await post("/api/v1/senders", {
      name: "Shop",
      provider: "sandbox",
      phoneNumberId,
      wabaId,
      displayPhoneNumber: "15550003333",
      accessToken: "sandbox-token-autoreply",
      appSecret,
      verifyToken: "verify-token-autoreply",
    });
    expect(sender.status).toBe(201);
    const rule = await post("/api/v1/automation/rules", {
      name: "Discount",
      trigger: { kind: "keyword", mode: "contains", keywords: ["할인"] },
      actions: [{ kind: "reply", content: { kind: "text", body: "할인 코드: SPRING20" } }],
    });
    expect(rule.status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sandboxUrl = (path: string) => `${server.sandbox?.origin}${path}`;
  const customerSays = async (from: string, text: string) => {
    const res = await fetch(sandboxUrl("/_sandbox/inbound"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phoneNumberId, from, text }),
    });
    expect(res.status).toBe(200);
  };
  const received = async (waId: string): Promise<Received[]> =>
    ((await (await fetch(sandboxUrl(`/_sandbox/received/${waId}`))).json()) as { messages: Received[] }).messages;
  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const rules = async () =>
    (
      (await (await fetch(`${server.url}/api/v1/automation/rules`, { headers })).json()) as {
        data: { stats: { matches: number; replies: number; repliesSent: number } }[];
      }
    ).data;

  it("answers 할인 with the discount code, and the rule's statistics count it", async () => {
    await customerSays("821055501111", "할인 코드 주세요");
    const got = await until(
      () => received("821055501111"),
      (m) => m.length > 0,
    );
    expect(got).toMatchObject([{ type: "text", text: "할인 코드: SPRING20" }]);
    const stats = await until(rules, (r) => r[0]?.stats.repliesSent === 1);
    expect(stats[0]?.stats).toMatchObject({ matches: 1, replies: 1, repliesSent: 1 });
  });

  it("a second identical webhook delivery does not reply twice", async () => {
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: wabaId,
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550003333", phone_number_id: phoneNumberId },
                contacts: [{ profile: { name: "Kim" }, wa_id: "821055502222" }],
                messages: [
                  {
                    from: "821055502222",
                    id: "wamid.E2E-DUPLICATE",
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: "text",
                    text: { body: "할인?" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, appSecret) },
        body,
      });
      expect(res.status).toBe(200);
    }
    await server.engine!.applier.drain();
    await server.engine!.dispatcher.idle();
    await new Promise((r) => setTimeout(r, 200));
    expect(await received("821055502222")).toHaveLength(1);
  });

  it("stops after 3 automatic replies in 2 minutes to one contact (flood and loop guard)", async () => {
    for (let i = 0; i < 5; i++) await customerSays("821055503333", `할인 ${i}`);
    await until(
      () => received("821055503333"),
      (m) => m.length >= 3,
    );
    await server.engine!.applier.drain();
    await server.engine!.dispatcher.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(await received("821055503333")).toHaveLength(3);
  });
});
