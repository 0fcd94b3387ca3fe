import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, loadConfig } from "../../src/config.js";
import { type Notifier, startNotifier } from "../../src/engine/notifier.js";
import { verifyWebhookBody } from "../../src/engine/webhook-signature.js";
import { createLogger } from "../../src/logger.js";
import { SecretBox } from "../../src/secret-box.js";
import { type RunningServer, startServer } from "../../src/server.js";

// Real: the whole server (HTTP, SQLite, applier, embedded sandbox sending signed webhooks), the API, and a CRM
// receiver on 127.0.0.1 (node:http). Changed: the server's notifier is replaced by one with millisecond back-off
// (the shipped one waits 30 s before the first retry), same code, same database.

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: {
    deliveryId: string;
    sentAt: number;
    events: { id: string; type: string; occurredAt: number; data: Record<string, unknown> }[];
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("outbound webhooks reach a CRM: signed, retried, in order, parked", () => {
  let server: RunningServer;
  let config: Config;
  let dir: string;
  let admin: Record<string, string>;
  let receiver: Server;
  let receiverUrl: string;
  let notifier: Notifier;
  const received: Received[] = [];
  // The CRM answers 500 to the first POST on /crm, then 200; /down always answers 503.
  let crmFailuresLeft = 1;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...admin, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({ path: req.url ?? "", headers: req.headers, raw, body: JSON.parse(raw) });
        if (req.url === "/down") return res.writeHead(503).end("maintenance");
        if (req.url === "/crm" && crmFailuresLeft > 0) {
          crmFailuresLeft -= 1;
          return res.writeHead(500).end("boom");
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    dir = mkdtempSync(join(tmpdir(), "herald-e2e-"));
    config = loadConfig({
      env: {
        PORT: "0",
        HERALD_SANDBOX_PORT: "0",
        HERALD_DATA_DIR: dir,
        HERALD_LOG_LEVEL: "silent",
        HERALD_ADMIN_EMAIL: "admin@example.com",
        HERALD_ADMIN_PASSWORD: "correct horse battery",
      },
      envFileDir: null,
      createDataDir: true,
    });
    server = await startServer({ config, logger: createLogger(config) });
    await server.engine!.notifier.stop();
    notifier = startNotifier({
      store: server.store,
      box: new SecretBox(config.secretKey),
      logger: createLogger(config),
      now: Date.now,
      backoff: { baseMs: 100, maxMs: 200 },
      maxAttempts: 3,
      pollMs: 20,
    });
    const { createApiKey } = await import("../../src/store/api-keys.js");
    const { key } = await createApiKey(server.store.db, { name: "e2e", role: "admin", createdBy: null }, Date.now());
    admin = { authorization: `Bearer ${key}` };
  });
  afterAll(async () => {
    await notifier.stop();
    await server.close();
    await new Promise((r) => receiver.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it("delivers signed events in order, retries after a 500 with the same event ids, and logs it", async () => {
    const created = await api("POST", "/api/v1/webhook-subscriptions", {
      name: "CRM",
      url: `${receiverUrl}/crm`,
      events: ["contact.opted_out", "contact.opted_in", "sender.quality_changed"],
    });
    expect(created.status).toBe(201);
    const { subscription, secret } = created.json as { subscription: { id: string }; secret: string };
    expect((await api("GET", `/api/v1/webhook-subscriptions/${subscription.id}`)).json).not.toHaveProperty("secret");

    // Three changes in a known order: opt-out and opt-in through the API, a quality drop through the sandbox.
    const contact = await api("POST", "/api/v1/contacts", { phone: "+821055501234", name: "Ji-woo" });
    expect(contact.status).toBe(201);
    const contactId = (contact.json as { id: string }).id;
    expect((await api("POST", `/api/v1/contacts/${contactId}/opt-out`, { reason: "api" })).status).toBe(200);
    expect((await api("POST", `/api/v1/contacts/${contactId}/opt-in`, { source: "form" })).status).toBe(200);
    const senders = (await api("GET", "/api/v1/senders")).json as { data: { name: string; phoneNumberId: string }[] };
    const demo = senders.data.find((s) => s.name === "Sandbox number");
    expect(demo).toBeDefined();
    await fetch(`${server.sandbox?.origin}/_sandbox/phone-numbers/${demo?.phoneNumberId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ quality: "RED" }),
    });
    await server.sandbox?.sandbox.flush();
    await server.engine!.applier.drain();

    const ok = await until("a delivered POST", () =>
      received.find((r) => r.path === "/crm" && received.indexOf(r) > 0),
    );
    const first = received.find((r) => r.path === "/crm");
    if (!first) throw new Error("nothing received");
    // Every POST is signed over its raw body with the secret shown at creation; a wrong secret does not verify.
    for (const r of received.filter((x) => x.path === "/crm")) {
      expect(verifyWebhookBody(r.raw, r.headers["x-herald-signature"] as string, secret)).toBe(true);
      expect(verifyWebhookBody(r.raw, r.headers["x-herald-signature"] as string, `${secret}x`)).toBe(false);
      expect(r.headers["x-herald-delivery"]).toBe(r.body.deliveryId);
      expect(Number(r.headers["x-herald-timestamp"])).toBe(r.body.sentAt);
    }
    // The retry carried the same events (at least once: receivers deduplicate on ids), under a new delivery id.
    const types = first.body.events.map((e) => e.type);
    expect(ok.body.events.slice(0, types.length).map((e) => e.id)).toEqual(first.body.events.map((e) => e.id));
    expect(ok.body.deliveryId).not.toBe(first.body.deliveryId);
    // All three events, in the order they happened.
    const all = await until("all three events", () => {
      const events = received
        .filter((r) => r.path === "/crm")
        .slice(1)
        .flatMap((r) => r.body.events);
      return events.length >= 3 ? events : undefined;
    });
    expect(all.map((e) => e.type)).toEqual(["contact.opted_out", "contact.opted_in", "sender.quality_changed"]);
    expect(all[0]?.data).toMatchObject({
      contactId,
      phone: "+821055501234",
      consent: { state: "opted_out", reason: "api" },
    });
    expect(all[2]?.data).toMatchObject({ qualityRating: "RED", previousQualityRating: "GREEN" });

    const log = await until("the log to show deliveries", async () => {
      const l = (await api("GET", `/api/v1/webhook-subscriptions/${subscription.id}/deliveries`)).json as {
        data: { status: string; attempts: number; lastStatusCode: number }[];
      };
      return l.data.length === 3 && l.data.every((d) => d.status === "delivered") ? l : undefined;
    });
    expect(log.data[2]).toMatchObject({ attempts: 2, lastStatusCode: 204 });
  });

  it("parks events after the last attempt, shows them, and re-delivers on request", async () => {
    const created = await api("POST", "/api/v1/webhook-subscriptions", {
      name: "Down",
      url: `${receiverUrl}/down`,
      events: ["contact.opted_out"],
    });
    const id = (created.json as { subscription: { id: string } }).subscription.id;
    const contact = await api("POST", "/api/v1/contacts", { phone: "+821055509876" });
    await api("POST", `/api/v1/contacts/${(contact.json as { id: string }).id}/opt-out`, { reason: "complaint" });

    const parked = await until("the event to be parked", async () => {
      const l = (await api("GET", `/api/v1/webhook-subscriptions/${id}/deliveries?status=parked`)).json as {
        data: { id: string; attempts: number; lastStatusCode: number; lastError: string }[];
      };
      return l.data.length === 1 ? l.data[0] : undefined;
    });
    expect(parked).toMatchObject({ attempts: 3, lastStatusCode: 503, lastError: "HTTP 503: maintenance" });
    expect(received.filter((r) => r.path === "/down")).toHaveLength(3);
    expect((await api("GET", `/api/v1/webhook-subscriptions/${id}`)).json).toMatchObject({ parked: 1, pending: 0 });

    const again = await api("POST", `/api/v1/webhook-subscriptions/${id}/deliveries/${parked?.id}/redeliver`);
    expect(again.status).toBe(200);
    await until("a fourth attempt", () => (received.filter((r) => r.path === "/down").length >= 4 ? true : undefined));
  });

  it("sends a test event on request and reports the receiver's answer", async () => {
    const created = await api("POST", "/api/v1/webhook-subscriptions", {
      name: "Test",
      url: `${receiverUrl}/test`,
      events: ["campaign.started"],
      enabled: false,
    });
    const { subscription, secret } = created.json as { subscription: { id: string }; secret: string };
    const test = await api("POST", `/api/v1/webhook-subscriptions/${subscription.id}/test`);
    expect(test.json).toMatchObject({ type: "webhook.test", status: "delivered", lastStatusCode: 204 });
    const got = received.find((r) => r.path === "/test");
    expect(got?.body.events[0]).toMatchObject({ type: "webhook.test", data: { subscriptionId: subscription.id } });
    expect(verifyWebhookBody(got?.raw ?? "", got?.headers["x-herald-signature"] as string, secret)).toBe(true);
  });
});
