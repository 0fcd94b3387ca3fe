import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  createCannedReply,
  deleteCannedReply,
  getCannedReply,
  searchCannedReplies,
  updateCannedReply,
} from "../../store/canned-replies.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams, listOf, noContent } from "../schemas/common.js";
import { cannedReplySchema, createCannedBody, patchCannedBody } from "../schemas/inbox.js";

/** Canned replies (FAQ presets) of the team inbox, found by shortcut. */
export async function cannedReplyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "inbox.use" } as const;
  const tags = ["inbox"];
  const errors = { 404: errorSchema, 409: errorSchema, ...authErrors };

  r.get(
    "/api/v1/canned-replies",
    {
      config,
      schema: {
        tags,
        summary:
          'Canned replies, or those whose shortcut starts with `q` ("/ho" finds /hours), preferred language first',
        querystring: z.strictObject({
          q: z.string().max(40).optional(),
          language: z.string().max(10).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: listOf(cannedReplySchema), ...authErrors },
      },
    },
    async (request) => ({ data: await searchCannedReplies(ctx.store.db, request.query) }),
  );

  r.post(
    "/api/v1/canned-replies",
    {
      config,
      schema: {
        tags,
        summary: "Create a canned reply",
        body: createCannedBody,
        response: { 201: cannedReplySchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await createCannedReply(
        ctx.store.db,
        request.body,
        actor.kind === "user" ? actor.user.id : null,
        ctx.now(),
      );
      return reply.status(201).send(created);
    },
  );

  r.get(
    "/api/v1/canned-replies/:id",
    {
      config,
      schema: { tags, summary: "One canned reply", params: idParams, response: { 200: cannedReplySchema, ...errors } },
    },
    async (request) => getCannedReply(ctx.store.db, request.params.id),
  );

  r.patch(
    "/api/v1/canned-replies/:id",
    {
      config,
      schema: {
        tags,
        summary: "Change a canned reply",
        params: idParams,
        body: patchCannedBody,
        response: { 200: cannedReplySchema, ...errors },
      },
    },
    async (request) => updateCannedReply(ctx.store.db, request.params.id, request.body, ctx.now()),
  );

  r.delete(
    "/api/v1/canned-replies/:id",
    {
      config,
      schema: { tags, summary: "Delete a canned reply", params: idParams, response: { 204: noContent, ...errors } },
    },
    async (request, reply) => {
      await deleteCannedReply(ctx.store.db, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
