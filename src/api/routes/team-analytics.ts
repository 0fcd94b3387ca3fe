import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { teamMetrics } from "../../store/team-metrics.js";
import type { AppContext } from "../context.js";
import { authErrors } from "../schemas/common.js";
import { teamMetricsSchema } from "../schemas/inbox.js";

const DAY_MS = 86_400_000;

/**
 * `GET /api/v1/analytics/team`: first-response times of the team inbox, per agent and overall, the share answered
 * within 5 minutes and the automatic replies' share. Readable with `inbox.use`, so agents see their team's figures
 * on the Inbox page.
 */
export async function teamAnalyticsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/analytics/team",
    {
      config: { permission: "inbox.use" },
      schema: {
        tags: ["inbox", "analytics"],
        summary: "First-response times per agent and for the team, share within 5 minutes, automatic replies' share",
        querystring: z.strictObject({
          from: z.coerce.number().int().min(0).optional().describe("epoch ms; default: `days` before `to`"),
          to: z.coerce.number().int().min(0).optional().describe("epoch ms; default: now"),
          days: z.coerce.number().int().min(1).max(366).default(30),
        }),
        response: { 200: teamMetricsSchema, ...authErrors },
      },
    },
    async (request) => {
      const to = request.query.to ?? ctx.now();
      const from = request.query.from ?? to - request.query.days * DAY_MS;
      return teamMetrics(ctx.store.db, { from, to }, ctx.now());
    },
  );
}
