import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ping } from "../../store/db.js";
import type { AppContext } from "../context.js";

const healthSchema = z
  .object({ status: z.enum(["ok", "unavailable"]), db: z.enum(["sqlite", "postgres"]) })
  .meta({ id: "Health" });

/** Liveness and readiness: 200 when the database answers, 503 otherwise. */
export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      "/healthz",
      { schema: { tags: ["health"], summary: "Health check", response: { 200: healthSchema, 503: healthSchema } } },
      async (_request, reply) => {
        const db = ctx.store.dialect.name;
        if (await ping(ctx.store)) return { status: "ok" as const, db };
        return reply.status(503).send({ status: "unavailable" as const, db });
      },
    );
}
