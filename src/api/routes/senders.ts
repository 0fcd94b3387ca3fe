import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { usesEmbeddedSandbox } from "../../engine/embedded-sandbox.js";
import { testSenderConnection } from "../../engine/providers.js";
import {
  createSender,
  deleteSender,
  getSender,
  getSenderCredentials,
  listSenders,
  type Sender,
  updateSender,
} from "../../store/senders.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams, listOf, noContent } from "../schemas/common.js";
import { connectionTestSchema, createSenderBody, patchSenderBody, senderSchema } from "../schemas/senders.js";

/** Sender numbers (admins manage them; everyone who sends can list them). */
export async function senderRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const manage = { permission: "senders.manage" } as const;
  const tags = ["senders"];
  // Keep the embedded sandbox's idea of our numbers in step with the database.
  const syncSandbox = async (sender: Sender) => {
    if (ctx.sandbox && usesEmbeddedSandbox(sender))
      ctx.sandbox.register(await getSenderCredentials(ctx.store.db, ctx.box, sender.id));
  };

  r.get(
    "/api/v1/senders",
    {
      config: { permission: "campaigns.manage" },
      schema: { tags, summary: "List sender numbers", response: { 200: listOf(senderSchema), ...authErrors } },
    },
    async () => ({ data: await listSenders(ctx.store.db) }),
  );

  r.get(
    "/api/v1/senders/:id",
    {
      config: { permission: "campaigns.manage" },
      schema: {
        tags,
        summary: "One sender number",
        params: idParams,
        response: { 200: senderSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => getSender(ctx.store.db, request.params.id),
  );

  r.post(
    "/api/v1/senders",
    {
      config: manage,
      schema: {
        tags,
        summary: "Add a sender number (credentials are encrypted at rest and never returned)",
        body: createSenderBody,
        response: { 201: senderSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const sender = await createSender(
        ctx.store.db,
        ctx.box,
        { ...body, apiVersion: body.apiVersion ?? ctx.config.graphVersion, apiOrigin: body.apiOrigin ?? null },
        ctx.now(),
      );
      await syncSandbox(sender);
      request.log.info({ senderId: sender.id, provider: sender.provider }, "sender added");
      return reply.status(201).send(sender);
    },
  );

  r.patch(
    "/api/v1/senders/:id",
    {
      config: manage,
      schema: {
        tags,
        summary: "Change a sender; omitted credentials are kept",
        params: idParams,
        body: patchSenderBody,
        response: { 200: senderSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const sender = await updateSender(ctx.store.db, ctx.box, request.params.id, request.body, ctx.now());
      await syncSandbox(sender);
      return sender;
    },
  );

  r.delete(
    "/api/v1/senders/:id",
    {
      config: manage,
      schema: {
        tags,
        summary: "Remove a sender number",
        params: idParams,
        response: { 204: noContent, 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const sender = await getSender(ctx.store.db, request.params.id);
      await deleteSender(ctx.store.db, sender.id);
      if (ctx.sandbox && usesEmbeddedSandbox(sender)) ctx.sandbox.unregister(sender.phoneNumberId);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/senders/:id/test",
    {
      config: manage,
      schema: {
        tags,
        summary: "Test the connection: read the number's profile from the provider with the stored credentials",
        params: idParams,
        response: { 200: connectionTestSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => testSenderConnection(ctx.store, ctx.box, ctx.providers, request.params.id, ctx.now()),
  );
}
