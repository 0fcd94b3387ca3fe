import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import { HeraldError, isHeraldError } from "../../domain/errors.js";
import type { Template } from "../../domain/template/model.js";
import { dottedPath } from "../../domain/template/schema.js";
import { previewTemplate } from "../../engine/template-preview.js";
import { syncTemplates } from "../../engine/template-sync.js";
import {
  checkTemplate,
  createTemplateDraft,
  deleteTemplate,
  submitTemplate,
  updateTemplateDraft,
} from "../../engine/templates.js";
import { getSender } from "../../store/senders.js";
import { getTemplate, listTemplateHistory, listTemplates, listVariants } from "../../store/templates.js";
import { actorOf } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams, noContent } from "../schemas/common.js";
import {
  createTemplateBody,
  lintResponse,
  listTemplatesQuery,
  previewResponse,
  previewTemplateBody,
  submitTemplateBody,
  syncResponse,
  syncTemplatesBody,
  templateDetailResponse,
  templateInput,
  templatePage,
  templateResponse,
} from "../schemas/templates.js";

type Issue = { path: string; rule: string; message: string };

/** Shape problems of a template body, with the same dotted paths (`buttons[0].text`) as Meta's rule issues. */
function shapeIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: dottedPath([...issue.path, key]), rule: "shape", message: "unknown field" }))
      : [{ path: dottedPath(issue.path) || "body", rule: "shape", message: issue.message }],
  );
}

/** Parses a template body; `validation_failed` lists every shape problem by field. */
function parseTemplateBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = shapeIssues(result.error);
  throw new HeraldError(
    "validation_failed",
    `invalid body: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    {
      issues,
    },
  );
}

const createdBy = (request: FastifyRequest) => {
  const actor = actorOf(request);
  return actor.kind === "user" ? actor.user.id : null;
};

/** Message templates: authoring with Meta's rules and the approval-risk lint, submission, sync, preview. */
export async function templateRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: "templates.manage" } as const;
  const tags = ["templates"];
  const db = ctx.store.db;
  const deps = { store: ctx.store, box: ctx.box, providers: ctx.providers };
  // Template bodies are re-parsed in the handler so shape errors carry the same paths as Meta's rule errors.
  const manual = { config, attachValidation: true } as const;

  r.get(
    "/api/v1/templates",
    {
      config,
      schema: {
        tags,
        summary: "List templates, newest first, a page at a time",
        querystring: listTemplatesQuery,
        response: { 200: templatePage, ...authErrors },
      },
    },
    async (request) => {
      const { status, senderId, wabaId, ...rest } = request.query;
      let account = wabaId;
      if (senderId !== undefined) {
        const sender = await getSender(db, senderId).catch((err: unknown) => {
          if (!isHeraldError(err, "not_found")) throw err;
          throw new HeraldError("validation_failed", `sender ${senderId} does not exist`, {
            issues: [{ path: "senderId", message: "no such sender" }],
          });
        });
        account = sender.wabaId;
      }
      return listTemplates(db, {
        ...rest,
        ...(status === undefined ? {} : { statuses: status }),
        ...(account === undefined ? {} : { wabaId: account }),
      });
    },
  );

  r.post(
    "/api/v1/templates/lint",
    {
      ...manual,
      schema: {
        tags,
        summary: "Check an unsaved template: Meta's rules and the approval-risk lint (for live authoring)",
        body: templateInput,
        response: { 200: lintResponse, ...authErrors },
      },
    },
    async (request) => {
      const parsed = templateInput.safeParse(request.body);
      if (!parsed.success) return { valid: false, issues: shapeIssues(parsed.error), warnings: [] };
      return checkTemplate(parsed.data);
    },
  );

  r.post(
    "/api/v1/templates",
    {
      ...manual,
      schema: {
        tags,
        summary: "Create a draft; every broken Meta rule comes back in details.issues with path, rule and message",
        body: createTemplateBody,
        response: { 201: templateResponse, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const { senderId, ...template } = parseTemplateBody(createTemplateBody, request.body);
      const created = await createTemplateDraft(
        db,
        { template: template satisfies Template, senderId: senderId ?? null, createdBy: createdBy(request) },
        ctx.now(),
      );
      return reply.status(201).send(created);
    },
  );

  r.post(
    "/api/v1/templates/sync",
    {
      config,
      schema: {
        tags,
        summary: "Sync statuses from the provider and import templates created outside Herald",
        body: syncTemplatesBody,
        response: { 200: syncResponse, 404: errorSchema, 503: errorSchema, ...authErrors },
      },
    },
    async (request) => ({ data: await syncTemplates(deps, request.body, ctx.now()) }),
  );

  r.get(
    "/api/v1/templates/:id",
    {
      config,
      schema: {
        tags,
        summary: "One template with its status history and its other languages",
        params: idParams,
        response: { 200: templateDetailResponse, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const template = await getTemplate(db, request.params.id);
      const history = await listTemplateHistory(db, template.id);
      const variants = await listVariants(db, template.wabaId, template.name);
      return { ...template, history, variants };
    },
  );

  r.put(
    "/api/v1/templates/:id",
    {
      ...manual,
      schema: {
        tags,
        summary: "Replace the content of a draft or rejected template",
        params: idParams,
        body: createTemplateBody,
        response: { 200: templateResponse, 404: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const { senderId, ...template } = parseTemplateBody(createTemplateBody, request.body);
      return updateTemplateDraft(
        db,
        request.params.id,
        { template, ...(senderId === undefined ? {} : { senderId }) },
        ctx.now(),
      );
    },
  );

  r.delete(
    "/api/v1/templates/:id",
    {
      config,
      schema: {
        tags,
        summary: "Delete a template (at the provider too when it was submitted; it is then kept as DELETED)",
        params: idParams,
        response: { 204: noContent, 404: errorSchema, 409: errorSchema, 503: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await deleteTemplate(deps, request.params.id, ctx.now());
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/templates/:id/submit",
    {
      config,
      schema: {
        tags,
        summary: "Submit for Meta's review on a sender's account (→ PENDING); Meta's refusals keep its code in details",
        params: idParams,
        body: submitTemplateBody,
        response: { 200: templateResponse, 404: errorSchema, 409: errorSchema, 503: errorSchema, ...authErrors },
      },
    },
    async (request) => submitTemplate(deps, request.params.id, request.body.senderId, ctx.now()),
  );

  r.post(
    "/api/v1/templates/:id/preview",
    {
      config,
      schema: {
        tags,
        summary: "Render the template with values (default: its samples) as a WhatsApp bubble and send components",
        params: idParams,
        body: previewTemplateBody,
        response: { 200: previewResponse, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const stored = await getTemplate(db, request.params.id);
      const { values, result } = previewTemplate(stored.template, request.body.values);
      return result.ok
        ? { ok: true, values, bubble: result.bubble, components: result.components }
        : { ok: false, values, issues: result.issues };
    },
  );
}
