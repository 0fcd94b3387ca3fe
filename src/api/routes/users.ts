import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { listUsers } from "../../store/users.js";
import { addUser, changeUser, removeUser } from "../auth/accounts.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { createUserBody, patchUserBody, userSchema } from "../schemas/auth.js";
import { authErrors, errorSchema, idParams, listOf, noContent } from "../schemas/common.js";

/** User administration (admins only). */
export async function userRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "users.manage" } as const;
  const tags = ["users"];
  const actingUser = (request: Parameters<typeof actorOf>[0]) => {
    const actor = actorOf(request);
    return actor.kind === "user" ? actor.user.id : null;
  };

  r.get(
    "/api/v1/users",
    { config, schema: { tags, summary: "List users", response: { 200: listOf(userSchema), ...authErrors } } },
    async () => ({ data: await listUsers(ctx.store.db) }),
  );

  r.post(
    "/api/v1/users",
    {
      config,
      schema: {
        tags,
        summary: "Create a user",
        body: createUserBody,
        response: { 201: userSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await addUser(ctx.store, request.body, ctx.now())),
  );

  r.patch(
    "/api/v1/users/:id",
    {
      config,
      schema: {
        tags,
        summary: "Change a user's name, role, password or disabled flag",
        params: idParams,
        body: patchUserBody,
        response: { 200: userSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request) => changeUser(ctx.store, actingUser(request), request.params.id, request.body, ctx.now()),
  );

  r.delete(
    "/api/v1/users/:id",
    {
      config,
      schema: {
        tags,
        summary: "Delete a user",
        params: idParams,
        response: { 204: noContent, 404: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await removeUser(ctx.store, actingUser(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
