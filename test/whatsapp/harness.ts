// Test harness: a sandbox on 127.0.0.1 (port 0, virtual time) whose webhooks go to a receiver that checks
// every signature with the app secret and parses every body with Herald's own parser.
// real: HTTP on loopback, the sandbox, the Cloud API client, signature check, parser. fake: time (virtual).
import Fastify, { type FastifyInstance } from "fastify";
import { createCloudApiProvider } from "../../src/whatsapp/cloud-api/client.js";
import type { Provider, SenderRef } from "../../src/whatsapp/provider.js";
import { createSandbox, type Sandbox, type SandboxOptions } from "../../src/whatsapp/sandbox/index.js";
import type { WebhookEvent } from "../../src/whatsapp/webhook/events.js";
import { parseWebhook } from "../../src/whatsapp/webhook/parse.js";
import { verifySignature } from "../../src/whatsapp/webhook/signature.js";

export const PHONE_ID = "106540352242922";
export const WABA_ID = "102290129340398";
export const DISPLAY = "15550783881";
export const TOKEN = "EAAG-test-token";
export const APP_SECRET = "app-secret-1234";
export const sender: SenderRef = { phoneNumberId: PHONE_ID, wabaId: WABA_ID, accessToken: TOKEN };

/** A webhook POST as the receiver saw it. */
export interface Delivery {
  raw: Buffer;
  signature: string | undefined;
  validSignature: boolean;
  events: WebhookEvent[];
}

/** Everything a conformance test needs. */
export interface Harness {
  sandbox: Sandbox;
  origin: string;
  provider: Provider;
  deliveries: Delivery[];
  /** Answer this status to webhook POSTs (e.g. 500 to test retries). */
  receiverStatus: { code: number };
  events(): WebhookEvent[];
  close(): Promise<void>;
}

/** Starts a receiver and a virtual-time sandbox; `options` override the defaults. */
export async function startHarness(
  options: SandboxOptions = {},
  phone: Record<string, unknown> = {},
): Promise<Harness> {
  const receiver: FastifyInstance = Fastify();
  const deliveries: Delivery[] = [];
  const receiverStatus = { code: 200 };
  receiver.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  receiver.post("/webhook", async (req, reply) => {
    const raw = req.body as Buffer;
    const signature = req.headers["x-hub-signature-256"] as string | undefined;
    deliveries.push({
      raw,
      signature,
      validSignature: verifySignature(raw, signature, APP_SECRET),
      events: receiverStatus.code === 200 ? parseWebhook(JSON.parse(raw.toString("utf8"))) : [],
    });
    return reply.code(receiverStatus.code).send("ok");
  });
  receiver.get("/webhook", async (req, reply) => {
    const q = req.query as Record<string, string>;
    if (q["hub.mode"] === "subscribe" && q["hub.verify_token"] === "verify-me") return reply.send(q["hub.challenge"]);
    return reply.code(403).send("no");
  });
  await receiver.listen({ port: 0, host: "127.0.0.1" });
  const port = (receiver.server.address() as { port: number }).port;
  const sandbox = createSandbox({
    clock: "virtual",
    seed: 42,
    templateReviewDelayMs: 60_000,
    audience: { unreachableRate: 0, marketingOptOutRate: 0 },
    ...options,
    phoneNumbers: [
      {
        id: PHONE_ID,
        wabaId: WABA_ID,
        displayPhoneNumber: DISPLAY,
        accessToken: TOKEN,
        appSecret: APP_SECRET,
        webhookUrl: `http://127.0.0.1:${port}/webhook`,
        verifyToken: "verify-me",
        ...phone,
      },
    ],
  });
  const origin = await sandbox.listen(0);
  const provider = createCloudApiProvider({ origin, version: "v23.0", timeoutMs: 5_000 });
  let closed = false;
  return {
    sandbox,
    origin,
    provider,
    deliveries,
    receiverStatus,
    events: () => deliveries.flatMap((d) => d.events),
    async close() {
      // Idempotent: tests that restart the harness and afterEach may both close it.
      if (closed) return;
      closed = true;
      await provider.close();
      await sandbox.close();
      await receiver.close();
    },
  };
}

/** Creates an approved template (creates it, then lets the virtual review run). */
export async function approvedTemplate(
  h: Harness,
  definition: Parameters<Provider["createTemplate"]>[1],
): Promise<string> {
  const created = await h.provider.createTemplate(sender, definition);
  await h.sandbox.advance(60_000);
  return created.id;
}

/** POSTs raw JSON to the sandbox and returns status and parsed body. */
export async function rawPost(
  h: Harness,
  path: string,
  body: unknown,
  token: string | null = TOKEN,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.origin}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The `error` object of a Meta error body. */
export function metaError(body: Record<string, unknown>): {
  code: number;
  message: string;
  type: string;
  error_subcode?: number;
  error_data?: { details: string };
  fbtrace_id: string;
} {
  return body.error as ReturnType<typeof metaError>;
}
