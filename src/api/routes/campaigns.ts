import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { CAMPAIGN_STATUSES } from "../../domain/campaign/status.js";
import {
  cancel,
  changeDraft,
  createDraft,
  launch,
  pause,
  preview,
  progress,
  resume,
  testSend,
} from "../../engine/campaigns.js";
import { type Campaign, getCampaign, listCampaigns } from "../../store/campaigns.js";
import { listCampaignMessages } from "../../store/messages.js";
import { MESSAGE_STATUSES } from "../../store/tables/campaigns.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import {
  campaignSchema,
  createCampaignBody,
  messageViewSchema,
  patchCampaignBody,
  previewSchema,
  progressSchema,
} from "../schemas/campaigns.js";
import { authErrors, errorSchema, idParams } from "../schemas/common.js";

/** Campaigns: drafts, the lifecycle, preview, test send and live progress (also as server-sent events). */
export async function campaignRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "campaigns.manage" } as const;
  const tags = ["campaigns"];
  const deps = { store: ctx.store, now: ctx.now, engine: ctx.engine };
  const errors = { 404: errorSchema, 409: errorSchema, ...authErrors };

  r.get(
    "/api/v1/campaigns",
    {
      config,
      schema: {
        tags,
        summary: "List campaigns, newest first",
        querystring: z.strictObject({
          status: z.enum(CAMPAIGN_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(64).optional(),
        }),
        response: {
          200: z.object({ data: z.array(campaignSchema), nextCursor: z.string().nullable() }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listCampaigns(ctx.store.db, {
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { before: q.cursor } : {}),
      });
    },
  );

  r.post(
    "/api/v1/campaigns",
    {
      config,
      schema: {
        tags,
        summary: "Create a draft campaign",
        body: createCampaignBody,
        response: { 201: campaignSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const campaign = await createDraft(deps, request.body, actor.kind === "user" ? actor.user.id : null);
      return reply.status(201).send(campaign);
    },
  );

  r.get(
    "/api/v1/campaigns/:id",
    {
      config,
      schema: { tags, summary: "One campaign", params: idParams, response: { 200: campaignSchema, ...errors } },
    },
    async (request) => getCampaign(ctx.store.db, request.params.id),
  );

  r.patch(
    "/api/v1/campaigns/:id",
    {
      config,
      schema: {
        tags,
        summary: "Change a draft",
        params: idParams,
        body: patchCampaignBody,
        response: { 200: campaignSchema, ...errors },
      },
    },
    async (request) => changeDraft(deps, request.params.id, request.body),
  );

  const action = (path: string, summary: string, run: (id: string) => Promise<Campaign>) =>
    r.post(
      `/api/v1/campaigns/:id/${path}`,
      { config, schema: { tags, summary, params: idParams, response: { 200: campaignSchema, ...errors } } },
      async (request) => run(request.params.id),
    );
  action("launch", "Launch now, or schedule for its time (needs an APPROVED template)", (id) => launch(deps, id));
  action("pause", "Pause sending (within a second)", (id) => pause(deps, id));
  action("resume", "Resume a paused campaign", (id) => resume(deps, id));
  action("cancel", "Cancel: queued recipients become skipped (cancelled)", (id) => cancel(deps, id));

  r.post(
    "/api/v1/campaigns/:id/preview",
    {
      config,
      schema: {
        tags,
        summary: "Audience after each compliance gate and cost estimate, as a launch now would find them",
        params: idParams,
        response: { 200: previewSchema, ...errors },
      },
    },
    async (request) => preview(deps, request.params.id),
  );

  r.post(
    "/api/v1/campaigns/:id/test",
    {
      config,
      schema: {
        tags,
        summary: "Send the template to one number (constants, fallbacks or samples fill the variables)",
        params: idParams,
        body: z.strictObject({ to: z.string().min(4).max(32).describe("phone number, E.164 preferred") }),
        response: { 200: z.object({ messageId: z.string() }), ...errors },
      },
    },
    async (request) => testSend(deps, request.params.id, request.body.to),
  );

  r.get(
    "/api/v1/campaigns/:id/progress",
    {
      config,
      schema: {
        tags,
        summary: "Counts per state, rate and ETA",
        params: idParams,
        response: { 200: progressSchema, ...errors },
      },
    },
    async (request) => progress(deps, request.params.id),
  );

  r.get(
    "/api/v1/campaigns/:id/messages",
    {
      config,
      schema: {
        tags,
        summary:
          "A campaign's recipients with their state, e.g. ?status=unknown for messages caught in flight by a crash",
        params: idParams,
        querystring: z.strictObject({
          status: z.enum(MESSAGE_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().max(64).optional(),
        }),
        response: { 200: z.object({ data: z.array(messageViewSchema), nextCursor: z.string().nullable() }), ...errors },
      },
    },
    async (request) => {
      await getCampaign(ctx.store.db, request.params.id);
      const q = request.query;
      return listCampaignMessages(ctx.store.db, request.params.id, {
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { after: q.cursor } : {}),
      });
    },
  );

  r.get(
    "/api/v1/campaigns/:id/events",
    {
      config,
      schema: {
        tags,
        summary: "Live progress as server-sent events (one `progress` event a second until the campaign finishes)",
        params: idParams,
        response: { 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      await getCampaign(ctx.store.db, id);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      let closed = false;
      request.raw.on("close", () => {
        closed = true;
      });
      while (!closed) {
        const p = await progress(deps, id).catch(() => null);
        if (!p) break;
        res.write(`event: progress\ndata: ${JSON.stringify(p)}\n\n`);
        if (p.status === "completed" || p.status === "cancelled") break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      res.end();
    },
  );
}
