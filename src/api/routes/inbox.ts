import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { cannedReplyRoutes } from "./canned-replies.js";
import { conversationRoutes } from "./conversations.js";
import { teamAnalyticsRoutes } from "./team-analytics.js";

/** The team inbox's routes: conversations, canned replies and the team's first-response figures. */
export async function inboxRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await conversationRoutes(app, ctx);
  await cannedReplyRoutes(app, ctx);
  await teamAnalyticsRoutes(app, ctx);
}
