import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";

// Real: the whole server (HTTP, SQLite, applier) and the embedded sandbox, talking over 127.0.0.1:
// the sandbox signs Meta-style escaped JSON with the sender's app secret, Herald verifies, stores and applies it.
describe("the embedded sandbox calls Herald back", () => {
  let server: RunningServer;
  let dir: string;
  let admin: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-e2e-"));
    const config = loadConfig({
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
    const { createApiKey } = await import("../../src/store/api-keys.js");
    const { key } = await createApiKey(server.store.db, { name: "e2e", role: "admin", createdBy: null }, Date.now());
    admin = { authorization: `Bearer ${key}` };
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies a quality drop the sandbox reports by signed webhook to the demo sender", async () => {
    const senders = (await (await fetch(`${server.url}/api/v1/senders`, { headers: admin })).json()) as {
      data: { id: string; name: string; phoneNumberId: string }[];
    };
    const demo = senders.data.find((s) => s.name === "Sandbox number")!;
    expect(demo).toBeDefined();
    // Meta reports a quality drop as FLAGGED and a limit change as UPGRADE/DOWNGRADE: two events.
    for (const change of [{ quality: "RED" }, { tier: "TIER_2K" }]) {
      const patched = await fetch(`${server.sandbox!.origin}/_sandbox/phone-numbers/${demo.phoneNumberId}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(change),
      });
      expect(patched.status).toBe(200);
    }
    await server.sandbox!.sandbox.flush();
    await server.engine!.applier.drain();
    const after = await (await fetch(`${server.url}/api/v1/senders/${demo.id}`, { headers: admin })).json();
    expect(after).toMatchObject({ qualityRating: "RED", messagingTier: "TIER_2K" });
    const events = (await (await fetch(`${server.url}/api/v1/webhook-events`, { headers: admin })).json()) as {
      data: unknown[];
    };
    // The sandbox batches updates like Meta: one or two POSTs, every one applied.
    const rows = events.data as { status: string; senderId: string; kinds: { phone_number_quality?: number } }[];
    expect(rows.every((e) => e.status === "applied" && e.senderId === demo.id)).toBe(true);
    expect(rows.reduce((n, e) => n + (e.kinds.phone_number_quality ?? 0), 0)).toBe(2);
  });
});
