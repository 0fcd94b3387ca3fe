import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { CONVERSATION_STATUSES } from "../../domain/inbox/conversation.js";
import { conversationDetail, replyTemplates, replyToConversation } from "../../engine/inbox.js";
import { assignConversation, markConversationRead, setConversationStatus } from "../../store/conversations.js";
import {
  getConversationView,
  getInboxSettings,
  listConversations,
  setInboxSettings,
} from "../../store/conversations-list.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams, listOf, roleSchema } from "../schemas/common.js";
import {
  conversationDetailSchema,
  conversationSchema,
  inboxSettingsSchema,
  listConversationsQuery,
  replyBody,
  replyTemplateSchema,
} from "../schemas/inbox.js";
import { ConversationStream } from "./conversation-stream.js";

/** The team inbox: conversations in working order, one conversation's thread, replies, assignment, live changes. */
export async function conversationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "inbox.use" } as const;
  const tags = ["inbox"];
  const deps = { store: ctx.store, now: ctx.now, engine: ctx.engine };
  const errors = { 404: errorSchema, 409: errorSchema, ...authErrors };
  const userIdOf = (request: Parameters<typeof actorOf>[0]) => {
    const actor = actorOf(request);
    return actor.kind === "user" ? actor.user.id : null;
  };

  r.get(
    "/api/v1/conversations",
    {
      config,
      schema: {
        tags,
        summary: "Conversations in working order: high-value customers first, then the longest waiting",
        querystring: listConversationsQuery,
        response: {
          200: z.object({ data: z.array(conversationSchema), nextOffset: z.number().nullable() }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listConversations(
        ctx.store.db,
        {
          ...(q.status ? { status: q.status } : {}),
          ...(q.assigned ? { assigned: q.assigned } : {}),
          ...(q.senderId ? { senderId: q.senderId } : {}),
          userId: userIdOf(request),
        },
        { limit: q.limit, offset: q.offset },
        ctx.now(),
      );
    },
  );

  const stream = new ConversationStream(ctx);
  app.addHook("preClose", async () => stream.closeAll());
  r.get(
    "/api/v1/conversations/events",
    {
      config,
      schema: {
        tags,
        summary:
          "Live changes as server-sent events: a `conversation` event (a Conversation) for every conversation that changes",
        response: authErrors,
      },
    },
    async (request, reply) => {
      reply.hijack();
      stream.add(request.raw, reply.raw);
    },
  );

  r.get(
    "/api/v1/conversations/agents",
    {
      config,
      schema: {
        tags,
        summary: "People a conversation can be assigned to (active users)",
        response: {
          200: listOf(z.object({ id: z.string(), name: z.string(), email: z.string(), role: roleSchema })),
          ...authErrors,
        },
      },
    },
    async () => {
      const rows = await ctx.store.db
        .selectFrom("users")
        .select(["id", "name", "email", "role"])
        .where("disabled", "=", 0)
        .orderBy("name")
        .orderBy("email")
        .execute();
      return { data: rows };
    },
  );

  r.get(
    "/api/v1/conversations/settings",
    {
      config,
      schema: {
        tags,
        summary: "What marks a high-value customer",
        response: { 200: inboxSettingsSchema, ...authErrors },
      },
    },
    async () => getInboxSettings(ctx.store.db),
  );

  r.put(
    "/api/v1/conversations/settings",
    {
      config: { permission: "settings.manage" },
      schema: {
        tags,
        summary: "Set the tag and/or segment of high-value customers (null for none)",
        body: inboxSettingsSchema.strict(),
        response: { 200: inboxSettingsSchema, ...errors },
      },
    },
    async (request) => setInboxSettings(ctx.store.db, request.body, ctx.now()),
  );

  r.get(
    "/api/v1/conversations/:id",
    {
      config,
      schema: {
        tags,
        summary: "One conversation: messages both ways with statuses, the contact's tags and metrics, the window",
        params: idParams,
        response: { 200: conversationDetailSchema, ...errors },
      },
    },
    async (request) => conversationDetail(deps, request.params.id),
  );

  r.get(
    "/api/v1/conversations/:id/templates",
    {
      config,
      schema: {
        tags,
        summary: "Approved templates of the conversation's WhatsApp Business Account (for a closed window)",
        params: idParams,
        response: { 200: listOf(replyTemplateSchema), ...errors },
      },
    },
    async (request) => ({ data: await replyTemplates(deps, request.params.id) }),
  );

  r.post(
    "/api/v1/conversations/:id/reply",
    {
      config,
      schema: {
        tags,
        summary:
          "Reply as an agent: free text inside the 24-hour window (409 outside it), or an approved template at any time",
        params: idParams,
        body: replyBody,
        response: { 202: z.object({ messageId: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const result = await replyToConversation(deps, request.params.id, request.body, { userId: userIdOf(request) });
      return reply.status(202).send(result);
    },
  );

  r.post(
    "/api/v1/conversations/:id/assign",
    {
      config,
      schema: {
        tags,
        summary: "Assign to a user, or unassign with null",
        params: idParams,
        body: z.strictObject({ userId: z.string().min(1).max(64).nullable() }),
        response: { 200: conversationSchema, ...errors },
      },
    },
    async (request) => {
      await assignConversation(ctx.store.db, request.params.id, request.body.userId, ctx.now());
      return getConversationView(ctx.store.db, request.params.id, ctx.now());
    },
  );

  r.post(
    "/api/v1/conversations/:id/status",
    {
      config,
      schema: {
        tags,
        summary: "Set open, pending or closed (a new message from the contact opens it again)",
        params: idParams,
        body: z.strictObject({ status: z.enum(CONVERSATION_STATUSES) }),
        response: { 200: conversationSchema, ...errors },
      },
    },
    async (request) => {
      await setConversationStatus(ctx.store.db, request.params.id, request.body.status, ctx.now());
      return getConversationView(ctx.store.db, request.params.id, ctx.now());
    },
  );

  r.post(
    "/api/v1/conversations/:id/read",
    {
      config,
      schema: {
        tags,
        summary: "Mark read (unread count to 0)",
        params: idParams,
        response: { 200: conversationSchema, ...errors },
      },
    },
    async (request) => {
      await markConversationRead(ctx.store.db, request.params.id, ctx.now());
      return getConversationView(ctx.store.db, request.params.id, ctx.now());
    },
  );
}
