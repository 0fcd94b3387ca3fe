import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signBody } from "../../src/whatsapp/webhook/index.js";
import { buildTestApp, type TestApp } from "../support/app.js";

// Real: the route, signature check, SQLite. Faked: the network (app.inject) and the clock.
const sender = {
  name: "Main",
  provider: "cloud",
  phoneNumberId: "106540352242922",
  wabaId: "102290129340398",
  displayPhoneNumber: "15550783881",
  accessToken: "token-0123456789",
  appSecret: "app-secret-0123",
  verifyToken: "verify-token-0123",
};

const inbound = JSON.stringify({
  object: "whatsapp_business_account",
  entry: [
    {
      id: sender.wabaId,
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: sender.phoneNumberId },
            contacts: [{ profile: { name: "김민수" }, wa_id: "821012345678" }],
            messages: [
              { from: "821012345678", id: "wamid.A", timestamp: "1732440000", type: "text", text: { body: "할인" } },
            ],
          },
        },
      ],
    },
  ],
});

describe("POST/GET /webhooks/whatsapp", () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeEach(async () => {
    t = await buildTestApp();
    admin = { authorization: await t.bearer("admin") };
    const res = await t.app.inject({ method: "POST", url: "/api/v1/senders", headers: admin, payload: sender });
    expect(res.statusCode).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (body: string, signature: string | undefined) =>
    t.app.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) },
      payload: body,
    });
  const stored = () => t.store.db.selectFrom("webhook_events").selectAll().execute();

  it("answers Meta's handshake with the challenge when the verify token is a sender's, 403 otherwise", async () => {
    const ok = await t.app.inject({
      method: "GET",
      url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${sender.verifyToken}&hub.challenge=1158201444`,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe("1158201444");
    const bad = await t.app.inject({
      method: "GET",
      url: "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1",
    });
    expect(bad.statusCode).toBe(403);
  });

  it("stores a correctly signed POST byte for byte before answering 200", async () => {
    const res = await post(inbound, signBody(inbound, sender.appSecret));
    expect(res.statusCode).toBe(200);
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ body: inbound, status: "pending", id: res.json().id });
  });

  it("answers 401 and stores nothing for a wrong or missing signature", async () => {
    expect((await post(inbound, signBody(inbound, "another-secret"))).statusCode).toBe(401);
    expect((await post(inbound, undefined)).statusCode).toBe(401);
    // The signature covers the exact bytes: the same JSON re-serialised does not verify.
    const reserialised = JSON.stringify(JSON.parse(inbound));
    expect(
      (await post(reserialised.replace("할인", "\\ud560\\uc778"), signBody(inbound, sender.appSecret))).statusCode,
    ).toBe(401);
    expect(await stored()).toEqual([]);
  });

  it("answers 401 for a payload naming no configured sender, and 400 for a body that is not JSON", async () => {
    const foreign = inbound.replaceAll(sender.phoneNumberId, "999").replaceAll(sender.wabaId, "888");
    expect((await post(foreign, signBody(foreign, sender.appSecret))).statusCode).toBe(401);
    const garbage = "{not json";
    expect((await post(garbage, signBody(garbage, sender.appSecret))).statusCode).toBe(400);
    expect(await stored()).toEqual([]);
  });

  it("lists stored events for admins, with bodies on the detail view, and not for marketers", async () => {
    await post(inbound, signBody(inbound, sender.appSecret));
    const list = await t.app.inject({ method: "GET", url: "/api/v1/webhook-events", headers: admin });
    expect(list.statusCode).toBe(200);
    const [first] = list.json().data;
    expect(first).toMatchObject({ status: "pending", attempts: 0 });
    expect(first.body).toBeUndefined();
    const detail = await t.app.inject({ method: "GET", url: `/api/v1/webhook-events/${first.id}`, headers: admin });
    expect(detail.json().body.entry[0].id).toBe(sender.wabaId);
    const marketer = { authorization: await t.bearer("marketer") };
    expect((await t.app.inject({ method: "GET", url: "/api/v1/webhook-events", headers: marketer })).statusCode).toBe(
      403,
    );
  });
});
