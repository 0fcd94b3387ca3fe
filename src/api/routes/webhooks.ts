import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HeraldError } from "../../domain/errors.js";
import { createWebhookIntake } from "../../engine/webhook-intake.js";
import { getWebhookEvent, listWebhookEvents, retryWebhookEvent } from "../../store/webhook-events.js";
import type { AppContext } from "../context.js";
import { authErrors, epochMs, errorSchema, idParams } from "../schemas/common.js";

// Meta sends at most 3 MB per POST (whatsapp-platform.md §4); a little headroom.
const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;

const eventView = z
  .object({
    id: z.string(),
    receivedAt: epochMs,
    senderId: z.string().nullable(),
    status: z.enum(["pending", "applied", "parked"]),
    attempts: z.number().int(),
    appliedAt: epochMs.nullable(),
    lastError: z.string().nullable(),
    kinds: z.record(z.string(), z.number()).nullable().describe("events in the POST, by kind"),
    unhandled: z
      .record(z.string(), z.number())
      .nullable()
      .describe("events no handler took yet, by kind (kept in the body)"),
    body: z.unknown().optional(),
  })
  .meta({ id: "WebhookEvent" });

/**
 * `GET/POST /webhooks/whatsapp`: Meta's subscription handshake and event delivery (public: the
 * signature is the authentication). Plus `/api/v1/webhook-events` so admins can see every stored
 * event, what was not handled, and retry parked ones.
 */
export async function webhookRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const intake = createWebhookIntake(ctx);

  await app.register(async (scope) => {
    // The signature covers the exact bytes: keep the body raw here (this parser is scoped to this plugin).
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser(
      "application/json",
      { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.get(
      "/webhooks/whatsapp",
      {
        schema: {
          tags: ["webhooks"],
          summary: "Meta's webhook verification handshake",
          querystring: z.object({
            "hub.mode": z.string().optional(),
            "hub.verify_token": z.string().optional(),
            "hub.challenge": z.string().max(200).optional(),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        if (!(await intake.verifyHandshake(q["hub.mode"], q["hub.verify_token"]))) {
          return reply.status(403).type("text/plain").send("verify token mismatch");
        }
        return reply
          .status(200)
          .type("text/plain")
          .send(q["hub.challenge"] ?? "");
      },
    );

    r.post(
      "/webhooks/whatsapp",
      { schema: { tags: ["webhooks"], summary: "WhatsApp webhook events (signed with the app secret)", hide: false } },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body)) throw new HeraldError("unsupported_media_type", "send application/json");
        const id = await intake.accept(request.body, request.headers["x-hub-signature-256"] as string | undefined);
        ctx.engine.wakeApplier();
        return reply.status(200).send({ received: true, id });
      },
    );
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "settings.manage" } as const;
  const tags = ["webhooks"];

  r.get(
    "/api/v1/webhook-events",
    {
      config,
      schema: {
        tags,
        summary: "Stored webhook POSTs, newest first",
        querystring: z.strictObject({
          status: z.enum(["pending", "applied", "parked"]).optional(),
          unhandled: z.enum(["true", "false"]).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(64).optional(),
        }),
        response: { 200: z.object({ data: z.array(eventView), nextCursor: z.string().nullable() }), ...authErrors },
      },
    },
    async (request) => {
      const q = request.query;
      return listWebhookEvents(ctx.store.db, {
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.unhandled === "true" ? { unhandledOnly: true } : {}),
        ...(q.cursor ? { before: q.cursor } : {}),
      });
    },
  );

  r.get(
    "/api/v1/webhook-events/:id",
    {
      config,
      schema: {
        tags,
        summary: "One stored webhook POST with its body",
        params: idParams,
        response: { 200: eventView, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => getWebhookEvent(ctx.store.db, request.params.id),
  );

  r.post(
    "/api/v1/webhook-events/:id/retry",
    {
      config,
      schema: {
        tags,
        summary: "Queue a parked event again",
        params: idParams,
        response: { 200: eventView, 404: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const view = await retryWebhookEvent(ctx.store.db, request.params.id, ctx.now());
      ctx.engine.wakeApplier();
      return view;
    },
  );
}
