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

// Real: the whole server (HTTP, SQLite, launcher, dispatcher, applier, scheduler) and the embedded sandbox over
// 127.0.0.1; the sandbox reviews templates (100 ms), accepts sends at the number's rate and calls back with statuses.
const run = promisify(execFile);
const bin = new URL("../../bin/herald.js", import.meta.url).pathname;
type Json = Record<string, unknown> & { id: string };
type Counts = Record<"queued" | "sending" | "sent" | "delivered" | "read" | "failed" | "skipped" | "unknown", number>;

// Twice: with the engine's loops in the server's own event loop (as the other tests run it), and in their own worker
// thread with their own SQLite connection, as `herald start` runs them (engine/engine-thread.ts).
describe.each([
  { engineThread: false, label: "engine in-process" },
  { engineThread: true, label: "engine in its own thread" },
])("a campaign from draft to every recipient accounted for ($label)", ({ engineThread }) => {
  let server: RunningServer;
  let dir: string;
  let api: <T = Json>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-e2e-campaign-"));
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
    server = await startServer({ config, logger: createLogger(config), demo: false, engineThread });
    expect(server.engine === null).toBe(engineThread);
    expect(server.engineThread === null).toBe(!engineThread);
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
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    };
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

  it("sends to the opted-in, skips the rest with reasons, never above the number's rate, and applies statuses", async () => {
    const sender = await api("POST", "/api/v1/senders", {
      name: "Shop",
      provider: "sandbox",
      phoneNumberId: "500100200",
      wabaId: "600100200",
      displayPhoneNumber: "15550001111",
      accessToken: "sandbox-token-abcdef",
      appSecret: "sandbox-secret-abcdef",
      verifyToken: "verify-token-abcdef",
      mpsLimit: 20,
      messagingTier: "TIER_10K",
    });
    expect(sender.status).toBe(201);

    const template = await api("POST", "/api/v1/templates", {
      name: "flash_sale",
      language: "ko",
      category: "MARKETING",
      parameterFormat: "POSITIONAL",
      header: null,
      body: "안녕하세요 {{1}}님, 오늘만 할인 코드 {{2}}로 20% 할인해 드려요.",
      examples: { "1": "김민수", "2": "FLASH20" },
      footer: "수신거부는 STOP",
      buttons: [
        { kind: "QUICK_REPLY", text: "YES" },
        { kind: "QUICK_REPLY", text: "STOP" },
      ],
    });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    expect(
      (await api("POST", `/api/v1/templates/${template.body.id}/submit`, { senderId: sender.body.id })).status,
    ).toBe(200);
    await until(
      "template approval",
      async () => (await api("GET", `/api/v1/templates/${template.body.id}`)).body.status === "APPROVED",
    );

    const contacts = [
      ...Array.from({ length: 50 }, (_, i) => ({
        phone: `+8210${String(20000000 + i)}`,
        name: `고객${i}`,
        consent: { state: "opted_in", source: "import" },
      })),
      { phone: "+821099990001", name: "수신거부", consent: { state: "opted_out", reason: "keyword" } },
      { phone: "+821099990002", name: "미동의" },
    ];
    const bulk = await api<{ created: number }>("POST", "/api/v1/contacts/bulk", { contacts });
    expect(bulk.body.created).toBe(52);
    const segment = await api("POST", "/api/v1/segments", {
      name: "한국 고객",
      rules: { kind: "condition", field: "contact.country", op: "eq", value: "KR" },
      excludeInactive: false,
    });
    expect(segment.status, JSON.stringify(segment.body)).toBe(201);

    const draft = await api("POST", "/api/v1/campaigns", {
      name: "Flash sale",
      senderId: sender.body.id,
      templateId: template.body.id,
      segmentId: segment.body.id,
      variables: {
        "1": { from: "field", field: "name", fallback: "고객" },
        "2": { from: "constant", value: "FLASH20" },
      },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const id = draft.body.id;

    const preview = await api<{ audience: { total: number; queued: number; skipped: Record<string, number> } }>(
      "POST",
      `/api/v1/campaigns/${id}/preview`,
    );
    expect(preview.body.audience).toEqual({ total: 52, queued: 50, skipped: { opted_out: 1, not_opted_in: 1 } });

    expect((await api("POST", `/api/v1/campaigns/${id}/launch`)).status).toBe(200);
    await until("completion", async () => (await api("GET", `/api/v1/campaigns/${id}`)).body.status === "completed");

    const progress = await api<{ counts: Counts }>("GET", `/api/v1/campaigns/${id}/progress`);
    const c = progress.body.counts;
    // Every queued recipient reached a terminal state: accepted by the provider, or failed with Meta's code
    // (the simulated audience has unreachable numbers, 131026, which fail by webhook like on the real platform).
    expect(c.queued + c.sending + c.unknown, JSON.stringify(c)).toBe(0);
    expect(c.sent + c.delivered + c.read + c.failed).toBe(50);
    const failed = await server.store.db
      .selectFrom("messages")
      .select(["error_code"])
      .where("campaign_id", "=", id)
      .where("status", "=", "failed")
      .execute();
    for (const f of failed) expect([131026, 131050, 131049]).toContain(f.error_code);
    expect(c.skipped).toBe(2);

    // Never above 20 messages in any one-second window (the sender's limit).
    const sentAt = (
      await server.store.db
        .selectFrom("messages")
        .select("sent_at")
        .where("campaign_id", "=", id)
        .where("sent_at", "is not", null)
        .execute()
    )
      .map((r) => r.sent_at as number)
      .sort((a, b) => a - b);
    for (let i = 20; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 20]!).toBeGreaterThanOrEqual(1000);
    const sandboxState = (await (await fetch(`${server.sandbox!.origin}/_sandbox/state`)).json()) as {
      rejectedByCode: Record<string, number>;
    };
    expect(sandboxState.rejectedByCode["130429"] ?? 0).toBe(0);

    // Status webhooks move rows forward (the sandbox delivers within seconds).
    await server.sandbox!.sandbox.flush();
    await until("delivery statuses", async () => {
      await server.engine?.applier.drain();
      const p = await api<{ counts: Counts }>("GET", `/api/v1/campaigns/${id}/progress`);
      return p.body.counts.delivered + p.body.counts.read > 0;
    });

    // The recipients list: the skipped ones with their reasons, and nothing left in an uncertain state.
    const skipped = await api<{ data: { skipReason: string; to: string }[] }>(
      "GET",
      `/api/v1/campaigns/${id}/messages?status=skipped`,
    );
    expect(skipped.body.data.map((m) => m.skipReason).sort()).toEqual(["not_opted_in", "opted_out"]);
    const unknown = await api<{ data: unknown[] }>("GET", `/api/v1/campaigns/${id}/messages?status=unknown`);
    expect(unknown.body.data).toEqual([]);

    // The CLI shows the same progress from the same database.
    const watch = await run("node", [bin, "campaign", "watch", id], {
      env: { ...process.env, HERALD_DATA_DIR: dir, DATABASE_URL: "" },
    });
    expect(watch.stderr).toMatch(/100\.0% 52\/52 {2}completed/);

    // A duplicate send is impossible: one row per (campaign, contact), enforced by the schema.
    const rows = await server.store.db
      .selectFrom("messages")
      .select(["contact_seq"])
      .where("campaign_id", "=", id)
      .execute();
    expect(new Set(rows.map((r) => r.contact_seq)).size).toBe(rows.length);
  });
});
