import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../../store/api-keys.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { apiKeySchema, createApiKeyBody, createdApiKeyResponse } from "../schemas/auth.js";
import { authErrors, errorSchema, idParams, listOf, noContent } from "../schemas/common.js";

/** API keys for integrations (admins only). The secret is returned once, at creation. */
export async function apiKeyRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "apikeys.manage" } as const;
  const tags = ["api keys"];

  r.get(
    "/api/v1/api-keys",
    { config, schema: { tags, summary: "List API keys", response: { 200: listOf(apiKeySchema), ...authErrors } } },
    async () => ({ data: await listApiKeys(ctx.store.db) }),
  );

  r.post(
    "/api/v1/api-keys",
    {
      config,
      schema: {
        tags,
        summary: "Create an API key (the key is shown once)",
        body: createApiKeyBody,
        response: { 201: createdApiKeyResponse, ...authErrors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const createdBy = actor.kind === "user" ? actor.user.id : null;
      const created = await createApiKey(ctx.store.db, { ...request.body, createdBy }, ctx.now());
      request.log.info({ apiKeyId: created.apiKey.id, role: created.apiKey.role }, "api key created");
      return reply.status(201).send(created);
    },
  );

  r.delete(
    "/api/v1/api-keys/:id",
    {
      config,
      schema: {
        tags,
        summary: "Revoke an API key",
        params: idParams,
        response: { 204: noContent, 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await revokeApiKey(ctx.store.db, request.params.id, ctx.now());
      return reply.status(204).send(null);
    },
  );
}
