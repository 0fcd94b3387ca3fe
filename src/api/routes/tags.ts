import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { MetricsRefresher } from "../../engine/metrics-refresh.js";
import { getMetricsState, setBaseCurrency } from "../../store/contact-metrics.js";
import { getContactRow } from "../../store/contacts.js";
import { contactProfile } from "../../store/contacts-profile.js";
import { isCurrency } from "../../store/orders-input.js";
import { listTags, tagContact, untagContact } from "../../store/tags.js";
import { createTagRule, deleteTagRule, getTagRule, listTagRules, updateTagRule } from "../../store/tags-rules.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams, noContent } from "../schemas/common.js";
import { contactTagSchema } from "../schemas/contacts.js";
import {
  addTagBody,
  createTagRuleBody,
  metricsStatusSchema,
  patchTagRuleBody,
  tagRuleSchema,
  tagSummarySchema,
} from "../schemas/segments.js";
import { rejected } from "./contacts.js";

const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.null() });

/**
 * Tags (manual tagging, tags in use), tag rules, and the derived-metrics status. The scheduled metrics refresh
 * starts when the server listens (`herald start`), never in tests that only inject requests, and stops on close.
 */
export async function tagRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const write = { permission: "contacts.write" } as const;
  const manage = { permission: "segments.manage" } as const;
  const refresher = new MetricsRefresher(ctx.store, ctx.now, ctx.logger);
  if (!ctx.refreshesInEngine) app.addHook("onListen", async () => refresher.start());
  app.addHook("onClose", async () => refresher.stop());

  r.get(
    "/api/v1/tags",
    {
      config: { permission: "contacts.read" },
      schema: {
        tags: ["tags"],
        summary: "Tags in use or owned by a rule",
        response: { 200: list(tagSummarySchema), ...authErrors },
      },
    },
    async () => ({ data: await listTags(db), nextCursor: null }),
  );

  r.post(
    "/api/v1/contacts/:id/tags",
    {
      config: write,
      schema: {
        tags: ["tags"],
        summary: "Tag a contact by hand",
        params: idParams,
        body: addTagBody,
        response: {
          200: z.object({ data: z.array(contactTagSchema) }),
          404: errorSchema,
          409: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request) => {
      const row = await getContactRow(db, request.params.id);
      const actor = actorOf(request);
      const by = actor.kind === "user" ? actor.user.id : `apikey:${actor.apiKey.id}`;
      await tagContact(db, row.seq, request.body.tag.trim(), request.body.note ?? null, by, ctx.now());
      return { data: (await contactProfile(db, row.id, ctx.now())).tags };
    },
  );

  r.delete(
    "/api/v1/contacts/:id/tags/:tag",
    {
      config: write,
      schema: {
        tags: ["tags"],
        summary: "Remove a manual tag",
        params: z.object({ id: z.string().max(64), tag: z.string().max(50) }),
        response: { 204: noContent, 404: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const row = await getContactRow(db, request.params.id);
      await untagContact(db, row.seq, request.params.tag);
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/tag-rules",
    {
      config: manage,
      schema: { tags: ["tags"], summary: "Tag rules", response: { 200: list(tagRuleSchema), ...authErrors } },
    },
    async () => ({ data: await listTagRules(db), nextCursor: null }),
  );

  r.post(
    "/api/v1/tag-rules",
    {
      config: manage,
      schema: {
        tags: ["tags"],
        summary: "Create a tag rule and apply it at once",
        body: createTagRuleBody,
        response: { 201: tagRuleSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const rule = await db.transaction().execute((trx) => createTagRule(trx, request.body, ctx.now()));
      return reply.status(201).send(rule);
    },
  );

  r.get(
    "/api/v1/tag-rules/:id",
    {
      config: manage,
      schema: {
        tags: ["tags"],
        summary: "One tag rule",
        params: idParams,
        response: { 200: tagRuleSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => getTagRule(db, request.params.id),
  );

  r.patch(
    "/api/v1/tag-rules/:id",
    {
      config: manage,
      schema: {
        tags: ["tags"],
        summary: "Change a tag rule and re-apply it",
        params: idParams,
        body: patchTagRuleBody,
        response: { 200: tagRuleSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) =>
      db.transaction().execute((trx) => updateTagRule(trx, request.params.id, request.body, ctx.now())),
  );

  r.delete(
    "/api/v1/tag-rules/:id",
    {
      config: manage,
      schema: {
        tags: ["tags"],
        summary: "Delete a tag rule and the tags it applied",
        params: idParams,
        response: { 204: noContent, 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await db.transaction().execute((trx) => deleteTagRule(trx, request.params.id));
      return reply.status(204).send(null);
    },
  );

  const status = async () => {
    const state = await getMetricsState(db);
    return {
      baseCurrency: state.baseCurrency,
      lastRefreshAt: state.lastRefreshAt,
      lastRefreshMs: state.lastRefreshMs,
      refreshing: refresher.refreshing || state.refreshStartedAt !== null,
      refreshEveryMs: refresher.everyMs,
    };
  };

  r.get(
    "/api/v1/metrics/status",
    {
      config: { permission: "contacts.read" },
      schema: {
        tags: ["metrics"],
        summary: "Derived metrics: base currency and refresh timing",
        response: { 200: metricsStatusSchema, ...authErrors },
      },
    },
    status,
  );

  r.post(
    "/api/v1/metrics/refresh",
    {
      config: manage,
      schema: {
        tags: ["metrics"],
        summary: "Start a full metrics refresh now",
        response: { 202: z.object({ started: z.boolean() }), ...authErrors },
      },
    },
    async (_request, reply) => {
      const started = !refresher.refreshing;
      void refresher.runNow();
      return reply.status(202).send({ started });
    },
  );

  r.patch(
    "/api/v1/metrics/settings",
    {
      config: { permission: "settings.manage" },
      schema: {
        tags: ["metrics"],
        summary: "Set the base currency money metrics are summed in",
        body: z.strictObject({ baseCurrency: z.string() }),
        response: { 200: metricsStatusSchema, ...authErrors },
      },
    },
    async (request) => {
      const currency = request.body.baseCurrency.trim().toUpperCase();
      if (!isCurrency(currency))
        throw rejected([{ path: "baseCurrency", message: `"${currency}" is not an ISO 4217 code` }]);
      await setBaseCurrency(db, currency);
      void refresher.runNow();
      return status();
    },
  );
}
