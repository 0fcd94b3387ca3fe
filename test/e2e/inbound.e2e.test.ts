import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { createApiKey } from "../../src/store/api-keys.js";

// Real: the server, its applier and the embedded sandbox over 127.0.0.1 (a simulated customer writes to the number).
type Contact = { id: string; name: string; phone: string; consent: { state: string } };

describe("inbound messages from customers", () => {
  let server: RunningServer;
  let dir: string;
  let headers: Record<string, string>;
  const phoneNumberId = "700100200";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-e2e-inbound-"));
    const config = loadConfig({
      env: { PORT: "0", HERALD_SANDBOX_PORT: "0", HERALD_DATA_DIR: dir, HERALD_LOG_LEVEL: "silent" },
      envFileDir: null,
      createDataDir: true,
    });
    server = await startServer({ config, logger: createLogger(config), demo: false });
    const { key } = await createApiKey(server.store.db, { name: "e2e", role: "admin", createdBy: null }, Date.now());
    headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const sender = await fetch(`${server.url}/api/v1/senders`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        name: "Shop",
        provider: "sandbox",
        phoneNumberId,
        wabaId: "800100200",
        displayPhoneNumber: "15550002222",
        accessToken: "sandbox-token-inbound",
        appSecret: "sandbox-secret-inbound",
        verifyToken: "verify-token-inbound",
      }),
    });
    expect(sender.status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const customerSays = async (from: string, body: Record<string, unknown>) => {
    const res = await fetch(`${server.sandbox!.origin}/_sandbox/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phoneNumberId, from, ...body }),
    });
    expect(res.status).toBe(200);
    await server.sandbox!.sandbox.flush();
    await server.engine!.applier.drain();
  };
  const contact = async (phone: string): Promise<Contact | undefined> => {
    const list = (await (
      await fetch(`${server.url}/api/v1/contacts?phone=${encodeURIComponent(phone)}`, { headers })
    ).json()) as { data: Contact[] };
    return list.data.find((c) => c.phone === phone);
  };

  it("creates the contact of a first message, named from the WhatsApp profile", async () => {
    await customerSays("821055501234", { text: "할인 코드 주세요", name: "박지성" });
    expect(await contact("+821055501234")).toMatchObject({ name: "박지성", consent: { state: "unknown" } });
  });

  it("opts a contact out when they write STOP, and back in when they write START", async () => {
    await customerSays("821055505678", { text: "stop please", name: "Lee" });
    expect((await contact("+821055505678"))?.consent.state).toBe("opted_out");
    // WhatsApp timestamps have one-second resolution and an opt-out wins a tie (domain/consent): write later.
    await new Promise((r) => setTimeout(r, 1_100));
    await customerSays("821055505678", { text: "START" });
    expect((await contact("+821055505678"))?.consent.state).toBe("opted_in");
  });

  it("opts a contact out when they tap a template's STOP quick reply", async () => {
    await customerSays("821055509999", { button: { payload: "OPT_OUT", text: "STOP" }, name: "Kim" });
    expect((await contact("+821055509999"))?.consent.state).toBe("opted_out");
  });

  it("does not take a question containing 'stop' as an opt-out", async () => {
    await customerSays("821055500001", { text: "when does the sale stop?", name: "Choi" });
    expect((await contact("+821055500001"))?.consent.state).toBe("unknown");
  });
});
