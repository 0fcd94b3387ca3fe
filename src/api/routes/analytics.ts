import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ATTRIBUTION_TOUCHES, describeRule, MAX_WINDOW_DAYS } from "../../domain/analytics/attribution.js";
import { isBotClick, LINK_CODE_PATTERN } from "../../domain/analytics/clicks.js";
import { AnalyticsRefresher } from "../../engine/analytics-refresh.js";
import { recordClick } from "../../store/analytics-links.js";
import {
  attributionReport,
  campaignReport,
  segmentComparison,
  senderHealth,
  sendTimeHeatmap,
} from "../../store/analytics-reports.js";
import { getAnalyticsSettings, updateAnalyticsSettings } from "../../store/analytics-settings.js";
import { customerValueSnapshot, refreshCustomerValue } from "../../store/analytics-value.js";
import { describeError } from "../../whatsapp/errors.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams } from "../schemas/common.js";
import { campaignReportCsv } from "./analytics-csv.js";

const DAY_MS = 86_400_000;
const tags = ["analytics"];
const read = { permission: "analytics.read" } as const;
const report = z.record(z.string(), z.unknown()).describe("see docs/analytics.md for every figure");

/** `from`/`to` (epoch ms) with a default of the last 90 days. */
const periodQuery = {
  from: z.coerce.number().int().min(0).optional().describe("UTC epoch ms, inclusive; default 90 days ago"),
  to: z.coerce.number().int().min(0).optional().describe("UTC epoch ms, exclusive; default now"),
};
function periodOf(q: { from?: number | undefined; to?: number | undefined }, now: number) {
  return { from: q.from ?? now - 90 * DAY_MS, to: q.to ?? now + 1 };
}

/**
 * Analytics under /api/v1/analytics (campaign reports and CSV, attribution by campaign/template/segment, segment
 * comparison, send-time heatmap, sender health, customer value, settings) and the public short-link redirect
 * `/r/:code`. The analytics loop starts when the server listens and stops on close.
 */
export async function analyticsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const refresher = new AnalyticsRefresher(ctx.store, ctx.now, ctx.logger);
  if (!ctx.refreshesInEngine) app.addHook("onListen", async () => refresher.start());
  app.addHook("onClose", async () => refresher.stop());
  const errors = { 404: errorSchema, ...authErrors };

  r.route({
    method: ["GET", "HEAD"],
    url: "/r/:code",
    config: { public: true },
    schema: { hide: true, params: z.object({ code: z.string().max(64) }) },
    handler: async (request, reply) => {
      const code = request.params.code;
      const url = LINK_CODE_PATTERN.test(code)
        ? await recordClick(db, code, {
            bot: isBotClick(request.method, request.headers["user-agent"]),
            userAgent: request.headers["user-agent"] ?? null,
            at: ctx.now(),
          })
        : null;
      if (url === null) return reply.status(404).type("text/plain").send("This link is not valid.");
      return reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer").redirect(url, 302);
    },
  });

  const withMeaning = (errs: { code: number; count: number }[]) =>
    errs.map((e) => {
      const info = describeError(e.code);
      return { ...e, title: info.title, meaning: info.meaning, action: info.action };
    });

  r.get(
    "/api/v1/analytics/campaigns/:id",
    {
      config: read,
      schema: {
        tags,
        summary: "A campaign's report: funnel, over time, failures with Meta's meaning, cost vs estimate, revenue, ROI",
        params: idParams,
        querystring: z.strictObject({
          fresh: z.enum(["true", "false"]).optional().describe("recompute the rollup now instead of reading it"),
        }),
        response: { 200: report, ...errors },
      },
    },
    async (request) => {
      const rep = await campaignReport(db, request.params.id, ctx.now(), { fresh: request.query.fresh === "true" });
      return { ...rep, failures: withMeaning(rep.counts.errors) };
    },
  );

  r.get(
    "/api/v1/analytics/campaigns/:id/report.csv",
    {
      config: read,
      schema: {
        tags,
        summary: "The campaign report as CSV",
        params: idParams,
        response: { 200: z.string().describe("text/csv"), ...errors },
      },
    },
    async (request, reply) => {
      const rep = await campaignReport(db, request.params.id, ctx.now());
      const csv = campaignReportCsv({ ...rep, failures: withMeaning(rep.counts.errors) });
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="campaign-${rep.campaign.id}.csv"`)
        .send(csv);
    },
  );

  r.get(
    "/api/v1/analytics/attribution",
    {
      config: read,
      schema: {
        tags,
        summary:
          "Revenue, conversion rate, cost and ROI per campaign, template or segment (campaigns launched in the period)",
        querystring: z.strictObject({
          by: z.enum(["campaign", "template", "segment"]).default("campaign"),
          ...periodQuery,
        }),
        response: { 200: report, ...authErrors },
      },
    },
    async (request) => attributionReport(db, request.query.by, periodOf(request.query, ctx.now())),
  );

  r.get(
    "/api/v1/analytics/segments/compare",
    {
      config: read,
      schema: {
        tags,
        summary:
          "Chosen segments side by side: read, reply and conversion rates, lift against the base, cost per conversion",
        querystring: z.strictObject({
          segmentIds: z
            .string()
            .min(1)
            .max(2_000)
            .describe("comma-separated segment ids")
            .transform((s) =>
              s
                .split(",")
                .map((x) => x.trim())
                .filter((x) => x !== ""),
            ),
          ...periodQuery,
        }),
        response: { 200: report, ...authErrors },
      },
    },
    async (request) => segmentComparison(db, request.query.segmentIds, periodOf(request.query, ctx.now())),
  );

  r.get(
    "/api/v1/analytics/send-times",
    {
      config: read,
      schema: {
        tags,
        summary: "Reads and replies by weekday × hour in recipients' local time (Monday = row 0), for a segment or all",
        querystring: z.strictObject({ segmentId: z.string().max(64).optional(), ...periodQuery }),
        response: { 200: report, ...authErrors },
      },
    },
    async (request) => sendTimeHeatmap(db, periodOf(request.query, ctx.now()), request.query.segmentId ?? null),
  );

  r.get(
    "/api/v1/analytics/senders",
    {
      config: read,
      schema: {
        tags,
        summary:
          "Sender health: 24-hour reply rate (warning under 5 %), blocks and opt-outs, quality history, tier use today",
        querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(365).default(30) }),
        response: { 200: report, ...authErrors },
      },
    },
    async (request) => senderHealth(db, ctx.now(), request.query.days),
  );

  r.get(
    "/api/v1/analytics/customer-value",
    {
      config: read,
      schema: {
        tags,
        summary: "Monthly LTV review, engaged-on-WhatsApp vs the rest, cohorts by first-order month (a snapshot)",
        querystring: z.strictObject({ fresh: z.enum(["true", "false"]).optional() }),
        response: { 200: report, ...authErrors },
      },
    },
    async (request) => {
      let snap = await customerValueSnapshot(db);
      if (snap === null || request.query.fresh === "true") {
        const started = Date.now();
        const value = await refreshCustomerValue(db, ctx.now());
        snap = { computedAt: ctx.now(), tookMs: Date.now() - started, value };
      }
      return { computedAt: snap.computedAt, tookMs: snap.tookMs, ...snap.value };
    },
  );

  const settingsSchema = z.object({
    windowDays: z.number().int(),
    touches: z.enum(ATTRIBUTION_TOUCHES),
    usdRate: z.number().nullable(),
    baseCurrency: z.string(),
    rule: z.string(),
    updatedAt: z.number(),
  });
  const withRule = (s: Awaited<ReturnType<typeof getAnalyticsSettings>>) => ({ ...s, rule: describeRule(s) });

  r.get(
    "/api/v1/analytics/settings",
    {
      config: read,
      schema: {
        tags,
        summary: "The attribution rule and the USD exchange rate for costs",
        response: { 200: settingsSchema, ...authErrors },
      },
    },
    async () => withRule(await getAnalyticsSettings(db)),
  );

  r.put(
    "/api/v1/analytics/settings",
    {
      config: { permission: "campaigns.manage" },
      schema: {
        tags,
        summary: "Change the attribution rule (re-attributes every order) or the exchange rate",
        body: z.strictObject({
          windowDays: z.number().int().min(1).max(MAX_WINDOW_DAYS).optional(),
          touches: z.enum(ATTRIBUTION_TOUCHES).optional(),
          usdRate: z.number().positive().max(1_000_000).nullable().optional(),
        }),
        response: { 200: settingsSchema, ...authErrors },
      },
    },
    async (request) => {
      const b = request.body;
      const settings = await updateAnalyticsSettings(
        db,
        {
          ...(b.windowDays !== undefined ? { windowDays: b.windowDays } : {}),
          ...(b.touches !== undefined ? { touches: b.touches } : {}),
          ...(b.usdRate !== undefined ? { usdRate: b.usdRate } : {}),
        },
        ctx.now(),
      );
      void refresher.runNow();
      return withRule(settings);
    },
  );

  r.post(
    "/api/v1/analytics/refresh",
    {
      config: read,
      schema: {
        tags,
        summary: "Recompute attribution, every launched campaign's rollup and the customer value now",
        response: {
          200: z.object({ attributedOrders: z.number(), campaigns: z.number(), customerValue: z.boolean() }),
          ...authErrors,
        },
      },
    },
    async () =>
      (await refresher.runNow({ force: true })) ?? { attributedOrders: 0, campaigns: 0, customerValue: false },
  );
}
