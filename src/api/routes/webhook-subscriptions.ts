import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "../../domain/webhooks/events.js";
import { sendTestEvent } from "../../engine/notifier.js";
import { listWebhookDeliveries, redeliverParked, redeliverWebhookDelivery } from "../../store/webhook-outbox.js";
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  getWebhookSubscription,
  listWebhookSubscriptions,
  rotateWebhookSecret,
  updateWebhookSubscription,
} from "../../store/webhook-subscriptions.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { authErrors, epochMs, errorSchema, idParams, listOf, noContent } from "../schemas/common.js";

const eventType = z.enum(WEBHOOK_EVENT_TYPES);

const subscriptionView = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    events: z.array(eventType),
    enabled: z.boolean(),
    holdUntil: epochMs.nullable().describe("after failures, nothing is sent before this time"),
    consecutiveFailures: z.number().int(),
    lastAttemptAt: epochMs.nullable(),
    lastSuccessAt: epochMs.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    pending: z.number().int().describe("events waiting to be delivered"),
    parked: z.number().int().describe("events whose attempts ran out"),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "WebhookSubscription" });

const withSecret = z
  .object({
    subscription: subscriptionView,
    secret: z.string().describe("the signing secret, shown this once: store it in the receiving system"),
  })
  .meta({ id: "WebhookSubscriptionWithSecret" });

const deliveryView = z
  .object({
    id: z.string(),
    eventId: z.string(),
    type: z.string(),
    occurredAt: epochMs,
    status: z.enum(["pending", "delivered", "parked"]),
    attempts: z.number().int(),
    nextAttemptAt: epochMs.nullable(),
    lastAttemptAt: epochMs.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: epochMs.nullable(),
    data: z.unknown().optional(),
  })
  .meta({ id: "WebhookDelivery" });

const body = z.strictObject({
  name: z.string().trim().min(1).max(100),
  url: z.string().min(1).max(2000).describe("http(s) endpoint receiving signed POSTs"),
  events: z.array(eventType).min(1).max(WEBHOOK_EVENT_TYPES.length),
  enabled: z.boolean().default(true),
});

const deliveryParams = z.object({ id: z.string().min(1).max(64), deliveryId: z.coerce.number().int().positive() });

/**
 * `/api/v1/webhook-subscriptions`: outbound webhooks to CRMs (issue 6, docs/webhooks.md). Admins create a
 * subscription (URL, events; the signing secret is returned once), see its delivery log, send a test event and
 * re-deliver parked events.
 */
export async function webhookSubscriptionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "settings.manage" } as const;
  const tags = ["webhook subscriptions"];
  const base = "/api/v1/webhook-subscriptions";

  r.get(
    base,
    {
      config,
      schema: {
        tags,
        summary: "Outbound webhook subscriptions",
        response: { 200: listOf(subscriptionView), ...authErrors },
      },
    },
    async () => ({ data: await listWebhookSubscriptions(ctx.store.db) }),
  );

  r.post(
    base,
    {
      config,
      schema: {
        tags,
        summary: "Create a subscription (its signing secret is returned once)",
        body,
        response: { 201: withSecret, ...authErrors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await createWebhookSubscription(
        ctx.store.db,
        ctx.box,
        request.body,
        { userId: actor.kind === "user" ? actor.user.id : null },
        ctx.now(),
      );
      return reply.status(201).send(created);
    },
  );

  r.get(
    `${base}/:id`,
    {
      config,
      schema: {
        tags,
        summary: "One subscription",
        params: idParams,
        response: { 200: subscriptionView, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => getWebhookSubscription(ctx.store.db, request.params.id),
  );

  r.patch(
    `${base}/:id`,
    {
      config,
      schema: {
        tags,
        summary: "Change name, URL, events or enabled (re-enabling clears the back-off)",
        params: idParams,
        body: body.partial().omit({ enabled: true }).extend({ enabled: z.boolean().optional() }),
        response: { 200: subscriptionView, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const view = await updateWebhookSubscription(ctx.store.db, request.params.id, request.body, ctx.now());
      ctx.engine.wakeNotifier?.();
      return view;
    },
  );

  r.delete(
    `${base}/:id`,
    {
      config,
      schema: {
        tags,
        summary: "Delete a subscription and its queued events",
        params: idParams,
        response: { 204: noContent, 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await deleteWebhookSubscription(ctx.store.db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    `${base}/:id/rotate-secret`,
    {
      config,
      schema: {
        tags,
        summary: "Replace the signing secret (the new one is returned once)",
        params: idParams,
        response: { 200: withSecret, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => rotateWebhookSecret(ctx.store.db, ctx.box, request.params.id, ctx.now()),
  );

  r.post(
    `${base}/:id/test`,
    {
      config,
      schema: {
        tags,
        summary: "Send a webhook.test event now and return the receiver's answer (logged)",
        params: idParams,
        response: { 200: deliveryView.extend({ durationMs: z.number().int() }), 404: errorSchema, ...authErrors },
      },
    },
    async (request) => sendTestEvent(ctx, request.params.id),
  );

  r.get(
    `${base}/:id/deliveries`,
    {
      config,
      schema: {
        tags,
        summary: "The delivery log: events newest first, with attempts, status codes and the next retry",
        params: idParams,
        querystring: z.strictObject({
          status: z.enum(["pending", "delivered", "parked"]).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.coerce.number().int().positive().optional(),
          data: z.enum(["true", "false"]).optional().describe("include each event's data"),
        }),
        response: {
          200: z.object({ data: z.array(deliveryView), nextCursor: z.string().nullable() }),
          404: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request) => {
      await getWebhookSubscription(ctx.store.db, request.params.id);
      const q = request.query;
      return listWebhookDeliveries(ctx.store.db, request.params.id, {
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { before: q.cursor } : {}),
        withData: q.data === "true",
      });
    },
  );

  r.post(
    `${base}/:id/deliveries/:deliveryId/redeliver`,
    {
      config,
      schema: {
        tags,
        summary: "Send one event again (parked or delivered)",
        params: deliveryParams,
        response: { 200: deliveryView, 404: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const view = await redeliverWebhookDelivery(
        ctx.store.db,
        request.params.id,
        request.params.deliveryId,
        ctx.now(),
      );
      ctx.engine.wakeNotifier?.();
      return view;
    },
  );

  r.post(
    `${base}/:id/deliveries/redeliver-parked`,
    {
      config,
      schema: {
        tags,
        summary: "Queue every parked event of the subscription again",
        params: idParams,
        response: { 200: z.object({ requeued: z.number().int() }), 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      await getWebhookSubscription(ctx.store.db, request.params.id);
      const requeued = await redeliverParked(ctx.store.db, request.params.id, ctx.now());
      ctx.engine.wakeNotifier?.();
      return { requeued };
    },
  );
}
