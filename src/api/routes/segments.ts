import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { resolveField, SEGMENT_FIELDS } from "../../domain/segment/fields.js";
import { OPERATORS_BY_TYPE } from "../../domain/segment/operators.js";
import { attributeTypes } from "../../store/contacts-attributes.js";
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  parseDefinition,
  segmentContext,
  updateSegment,
} from "../../store/segments.js";
import { previewSegment, segmentMembers } from "../../store/segments-query.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams, noContent } from "../schemas/common.js";
import { contactSchema } from "../schemas/contacts.js";
import {
  createSegmentBody,
  fieldSchema,
  pageQuery,
  patchSegmentBody,
  previewBody,
  previewQuery,
  previewSchema,
  segmentSchema,
} from "../schemas/segments.js";

const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** Segments: the field whitelist, live preview of unsaved trees, CRUD, saved previews and member pages. */
export async function segmentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { permission: "contacts.read" } as const;
  const manage = { permission: "segments.manage" } as const;
  const tags = ["segments"];
  const db = ctx.store.db;

  r.get(
    "/api/v1/segments/fields",
    {
      config: read,
      schema: {
        tags,
        summary: "Fields, operators and values a rule tree may use",
        response: { 200: page(fieldSchema), ...authErrors },
      },
    },
    async () => {
      const attributes = await attributeTypes(db);
      const ids = [
        ...SEGMENT_FIELDS.keys(),
        ...Object.keys(attributes)
          .sort()
          .map((name) => `attributes.${name}`),
      ];
      const data = ids.flatMap((id) => {
        const spec = resolveField(id, { attributes });
        if (spec === null) return [];
        return [
          {
            id,
            group: spec.group,
            type: spec.type,
            label: spec.label,
            operators: [...OPERATORS_BY_TYPE[spec.type]],
            values: spec.values ? [...spec.values] : null,
            unit: spec.unit ?? null,
            available: true,
          },
        ];
      });
      return { data, nextCursor: null };
    },
  );

  r.post(
    "/api/v1/segments/preview",
    {
      config: read,
      schema: {
        tags,
        summary: "Count and sample for an unsaved rule tree (the builder's live count)",
        body: previewBody,
        response: { 200: previewSchema, ...authErrors },
      },
    },
    async (request) => {
      const { sampleSize, ...definition } = request.body;
      return previewSegment(db, parseDefinition(definition, await segmentContext(db)), ctx.now(), sampleSize);
    },
  );

  r.get(
    "/api/v1/segments",
    {
      config: read,
      schema: {
        tags,
        summary: "List segments, newest first",
        querystring: pageQuery,
        response: { 200: page(segmentSchema), ...authErrors },
      },
    },
    async (request) => listSegments(db, request.query),
  );

  r.post(
    "/api/v1/segments",
    {
      config: manage,
      schema: {
        tags,
        summary: "Save a segment",
        body: createSegmentBody,
        response: { 201: segmentSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await createSegment(db, request.body, ctx.now())),
  );

  r.get(
    "/api/v1/segments/:id",
    {
      config: read,
      schema: {
        tags,
        summary: "One segment",
        params: idParams,
        response: { 200: segmentSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => getSegment(db, request.params.id),
  );

  r.patch(
    "/api/v1/segments/:id",
    {
      config: manage,
      schema: {
        tags,
        summary: "Change a segment",
        params: idParams,
        body: patchSegmentBody,
        response: { 200: segmentSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request) => updateSegment(db, request.params.id, request.body, ctx.now()),
  );

  r.delete(
    "/api/v1/segments/:id",
    {
      config: manage,
      schema: {
        tags,
        summary: "Delete a segment",
        params: idParams,
        response: { 204: noContent, 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await deleteSegment(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/segments/:id/preview",
    {
      config: read,
      schema: {
        tags,
        summary: "Count and sample of a saved segment",
        params: idParams,
        querystring: previewQuery,
        response: { 200: previewSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => previewSegment(db, await getSegment(db, request.params.id), ctx.now(), request.query.sampleSize),
  );

  r.get(
    "/api/v1/segments/:id/contacts",
    {
      config: read,
      schema: {
        tags,
        summary: "Members of a saved segment, newest first",
        params: idParams,
        querystring: pageQuery,
        response: { 200: page(contactSchema), 404: errorSchema, ...authErrors },
      },
    },
    async (request) => segmentMembers(db, await getSegment(db, request.params.id), request.query, ctx.now()),
  );
}
