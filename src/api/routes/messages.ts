import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HeraldError } from "../../domain/errors.js";
import { sendMessage } from "../../engine/messages.js";
import { getMessageStatus } from "../../store/message-requests.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams } from "../schemas/common.js";
import { messageStatusSchema, sendMessageBody } from "../schemas/messages.js";

/** Single messages for integrations (a CRM's order confirmation, shipping update) and their status. */
export async function messageRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "messages.send" } as const;
  const tags = ["messages"];
  const deps = { store: ctx.store, now: ctx.now, engine: ctx.engine };

  r.post(
    "/api/v1/messages",
    {
      config,
      schema: {
        tags,
        summary: "Send one message: an approved template (any time) or free text (within the 24-hour window)",
        description:
          "Queued for the dispatcher (201), which sends it under the number's rate limit; follow it with GET /api/v1/messages/{id}. " +
          "A repeat with the same idempotency key (body `idempotencyKey` or header `Idempotency-Key`) returns the first message (200). " +
          "422 `unprocessable` when a rule forbids it now, with `details.reason`: outside_service_window, opted_out, not_opted_in, " +
          "frequency_cap (with `details.retryAt`), template_not_approved, sender_disabled, invalid_number.",
        headers: z.object({ "idempotency-key": z.string().max(255).optional() }),
        body: sendMessageBody,
        response: {
          200: messageStatusSchema,
          201: messageStatusSchema,
          404: errorSchema,
          409: errorSchema,
          422: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const headerKey = request.headers["idempotency-key"];
      const bodyKey = request.body.idempotencyKey;
      if (headerKey !== undefined && bodyKey !== undefined && headerKey !== bodyKey)
        throw new HeraldError("validation_failed", "the Idempotency-Key header and idempotencyKey differ", {
          issues: [{ path: "idempotencyKey", message: "differs from the Idempotency-Key header" }],
        });
      const result = await sendMessage(deps, { ...request.body, idempotencyKey: bodyKey ?? headerKey });
      if (result.replayed) reply.header("idempotent-replayed", "true");
      return reply.status(result.replayed ? 200 : 201).send(result.message);
    },
  );

  r.get(
    "/api/v1/messages/:id",
    {
      config,
      schema: {
        tags,
        summary: "One message's status: queued, sending, sent, delivered, read, or failed with Meta's error code",
        params: idParams,
        response: { 200: messageStatusSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => getMessageStatus(ctx.store.db, request.params.id),
  );
}
