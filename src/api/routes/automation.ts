import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { testRules } from "../../engine/automation/tester.js";
import {
  createRule,
  deleteRule,
  getAutomationSettings,
  getRule,
  listRules,
  putAutomationSettings,
  reorderRules,
  updateRule,
} from "../../store/automation-rules.js";
import { listHandovers, resolveHandover } from "../../store/automation-runs.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import {
  createRuleBody,
  handoverSchema,
  patchRuleBody,
  reorderBody,
  ruleSchema,
  settingsSchema,
  testBody,
  testResultSchema,
} from "../schemas/automation.js";
import { authErrors, errorSchema, idParams, noContent } from "../schemas/common.js";

/**
 * Keyword auto-replies: rules (CRUD, order, statistics), the tester, the guard settings and the hand-overs.
 * Marketers and admins write; agents read (and resolve hand-overs, which is inbox work).
 */
export async function automationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { permission: "automations.read" } as const;
  const write = { permission: "automations.manage" } as const;
  const tags = ["automation"];
  const errors = { 404: errorSchema, ...authErrors };
  const list = z.object({ data: z.array(ruleSchema) });

  r.get(
    "/api/v1/automation/rules",
    {
      config: read,
      schema: { tags, summary: "Rules in evaluation order, with statistics", response: { 200: list, ...authErrors } },
    },
    async () => ({ data: await listRules(ctx.store.db) }),
  );

  r.post(
    "/api/v1/automation/rules",
    {
      config: write,
      schema: {
        tags,
        summary: "Create a rule (last, or at `position`)",
        body: createRuleBody,
        response: { 201: ruleSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const rule = await createRule(
        ctx.store.db,
        request.body,
        actor.kind === "user" ? actor.user.id : null,
        ctx.now(),
      );
      return reply.status(201).send(rule);
    },
  );

  r.put(
    "/api/v1/automation/rules/order",
    {
      config: write,
      schema: {
        tags,
        summary: "Set the evaluation order (every rule's id once)",
        body: reorderBody,
        response: { 200: list, ...errors },
      },
    },
    async (request) => ({ data: await reorderRules(ctx.store.db, request.body.ids, ctx.now()) }),
  );

  r.get(
    "/api/v1/automation/rules/:id",
    { config: read, schema: { tags, summary: "One rule", params: idParams, response: { 200: ruleSchema, ...errors } } },
    async (request) => getRule(ctx.store.db, request.params.id),
  );

  r.patch(
    "/api/v1/automation/rules/:id",
    {
      config: write,
      schema: {
        tags,
        summary: "Change a rule (enable, rename, edit)",
        params: idParams,
        body: patchRuleBody,
        response: { 200: ruleSchema, ...errors },
      },
    },
    async (request) => updateRule(ctx.store.db, request.params.id, request.body, ctx.now()),
  );

  r.delete(
    "/api/v1/automation/rules/:id",
    {
      config: write,
      schema: { tags, summary: "Delete a rule", params: idParams, response: { 204: noContent, ...errors } },
    },
    async (request, reply) => {
      await deleteRule(ctx.store.db, request.params.id, ctx.now());
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/automation/test",
    {
      config: read,
      schema: {
        tags,
        summary: "Which rule fires for a message, why the others do not, and what it would send (changes nothing)",
        body: testBody,
        response: { 200: testResultSchema, ...errors },
      },
    },
    async (request) => {
      const result = await testRules(ctx.store, request.body, ctx.now());
      return { ...result, wouldSend: result.wouldSend as Record<string, unknown> | null };
    },
  );

  r.get(
    "/api/v1/automation/settings",
    {
      config: read,
      schema: { tags, summary: "Loop and flood guards", response: { 200: settingsSchema, ...authErrors } },
    },
    async () => {
      const { version: _version, ...policy } = await getAutomationSettings(ctx.store.db);
      return policy;
    },
  );

  r.put(
    "/api/v1/automation/settings",
    {
      config: write,
      schema: {
        tags,
        summary: "Change the loop and flood guards",
        body: settingsSchema,
        response: { 200: settingsSchema, ...authErrors },
      },
    },
    async (request) => {
      const { version: _version, ...policy } = await putAutomationSettings(ctx.store.db, request.body, ctx.now());
      return policy;
    },
  );

  r.get(
    "/api/v1/automation/handovers",
    {
      config: read,
      schema: {
        tags,
        summary: "Conversations rules handed to a person (open: oldest first)",
        querystring: z.strictObject({
          open: z.enum(["true", "false"]).default("true"),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ data: z.array(handoverSchema) }), ...authErrors },
      },
    },
    async (request) => ({
      data: await listHandovers(ctx.store.db, { open: request.query.open === "true", limit: request.query.limit }),
    }),
  );

  r.post(
    "/api/v1/automation/handovers/:id/resolve",
    {
      config: { permission: "inbox.use" },
      schema: {
        tags,
        summary: "Close a hand-over (a person took it)",
        params: idParams,
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      await resolveHandover(ctx.store.db, request.params.id, ctx.now());
      return reply.status(204).send(null);
    },
  );
}
