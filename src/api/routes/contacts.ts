import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HeraldError } from "../../domain/errors.js";
import { changeConsent, deleteContact, getContact, patchContact } from "../../store/contacts.js";
import { attributeTypes, createAttribute, listAttributes, relabelAttribute } from "../../store/contacts-attributes.js";
import { MAX_BULK_ITEMS, upsertContactBatch } from "../../store/contacts-bulk.js";
import { validateContactInput } from "../../store/contacts-input.js";
import { type ContactFilter, listContacts } from "../../store/contacts-list.js";
import { contactProfile } from "../../store/contacts-profile.js";
import { getSegment } from "../../store/segments.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams, noContent } from "../schemas/common.js";
import {
  attributeSchema,
  bulkContactsBody,
  bulkResult,
  consentChangeSchema,
  contactItem,
  contactSchema,
  contactTagSchema,
  createAttributeBody,
  listContactsQuery,
  metricsSchema,
  optInBody,
  optOutBody,
  patchContactBody,
  upsertContactBody,
} from "../schemas/contacts.js";
import { orderSchema } from "../schemas/orders.js";
import { shapeCheck } from "./customers-shape.js";

const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** Turns list query parameters into a store filter (a segment id becomes its definition). */
export async function contactFilter(ctx: AppContext, query: z.infer<typeof listContactsQuery>): Promise<ContactFilter> {
  const filter: ContactFilter = {
    q: query.q,
    consent: query.consent,
    country: query.country?.toUpperCase(),
    tag: query.tag,
  };
  if (query.phone !== undefined) {
    const checked = validateContactInput({ phone: query.phone }, {});
    filter.phone = checked.ok ? checked.value.phone : query.phone;
  }
  if (query.segmentId !== undefined) filter.segment = await getSegment(ctx.store.db, query.segmentId);
  return filter;
}

/** Contacts: upsert by phone (single and bulk), list, page data, patch, delete, consent; attribute definitions. */
export async function contactRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { permission: "contacts.read" } as const;
  const write = { permission: "contacts.write" } as const;
  const tags = ["contacts"];
  const db = ctx.store.db;

  r.post(
    "/api/v1/contacts",
    {
      config: write,
      schema: {
        tags,
        summary: "Create or update a contact by phone (201 created, 200 updated)",
        body: upsertContactBody,
        response: { 200: contactSchema, 201: contactSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const result = await upsertContactBatch(db, [{ ok: true, value: request.body }], ctx.now(), "");
      const item = result.results[0];
      if (item?.status === "rejected" || item?.id === undefined) throw rejected(item?.issues ?? []);
      return reply.status(item.status === "created" ? 201 : 200).send(await getContact(db, item.id));
    },
  );

  r.post(
    "/api/v1/contacts/bulk",
    {
      config: write,
      schema: {
        tags,
        summary: "Upsert up to 10,000 contacts; valid items are written in one transaction, each gets a result",
        body: bulkContactsBody,
        response: { 200: bulkResult, 413: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const { contacts, defaultCountry } = request.body;
      if (contacts.length > MAX_BULK_ITEMS) throw tooMany(contacts.length);
      const items = contacts.map((raw, index) => {
        const checked = shapeCheck(contactItem, raw, `contacts[${index}]`);
        return checked.ok ? { ok: true as const, value: { ...checked.value, defaultCountry } } : checked;
      });
      return upsertContactBatch(db, items, ctx.now());
    },
  );

  r.get(
    "/api/v1/contacts",
    {
      config: read,
      schema: {
        tags,
        summary: "List contacts, newest first",
        querystring: listContactsQuery,
        response: { 200: page(contactSchema), 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      return listContacts(db, await contactFilter(ctx, request.query), { cursor, limit }, ctx.now());
    },
  );

  r.get(
    "/api/v1/contacts/:id",
    {
      config: read,
      schema: {
        tags,
        summary: "One contact",
        params: idParams,
        response: { 200: contactSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => getContact(db, request.params.id),
  );

  r.get(
    "/api/v1/contacts/:id/profile",
    {
      config: read,
      schema: {
        tags,
        summary: "The contact page: contact, metrics, tags with reasons, newest orders",
        params: idParams,
        response: {
          200: z.object({
            contact: contactSchema,
            metrics: metricsSchema,
            tags: z.array(contactTagSchema),
            recentOrders: z.array(orderSchema),
            frequency: z.object({ medianGapDays: z.number().nullable(), effectiveGapDays: z.number().nullable() }),
          }),
          404: errorSchema,
          ...authErrors,
        },
      },
    },
    async (request) => contactProfile(db, request.params.id, ctx.now()),
  );

  r.patch(
    "/api/v1/contacts/:id",
    {
      config: write,
      schema: {
        tags,
        summary: "Change a contact (not consent)",
        params: idParams,
        body: patchContactBody,
        response: { 200: contactSchema, 404: errorSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const { phone, defaultCountry, ...rest } = request.body;
      const checked = validateContactInput({ phone: phone ?? "", defaultCountry, ...rest }, await attributeTypes(db), {
        skipPhone: phone === undefined,
      });
      if (!checked.ok) throw rejected(checked.issues);
      const { phone: e164, phoneCountry: _country, ...patch } = checked.value;
      return patchContact(db, request.params.id, phone === undefined ? patch : { ...patch, phone: e164 }, ctx.now());
    },
  );

  r.delete(
    "/api/v1/contacts/:id",
    {
      config: write,
      schema: {
        tags,
        summary: "Delete a contact with its orders, tags and metrics",
        params: idParams,
        response: { 204: noContent, 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      await deleteContact(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    "/api/v1/contacts/:id/opt-in",
    {
      config: write,
      schema: {
        tags,
        summary: "Record an opt-in (a business-asserted one never undoes an opt-out)",
        params: idParams,
        body: optInBody,
        response: { 200: consentChangeSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const at = checkedTime(request.body.at, ctx.now());
      return changeConsent(db, request.params.id, { kind: "opt_in", source: request.body.source, at }, ctx.now());
    },
  );

  r.post(
    "/api/v1/contacts/:id/opt-out",
    {
      config: write,
      schema: {
        tags,
        summary: "Record an opt-out",
        params: idParams,
        body: optOutBody,
        response: { 200: consentChangeSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const at = checkedTime(request.body.at, ctx.now());
      const { reason, note } = request.body;
      return changeConsent(
        db,
        request.params.id,
        note === undefined ? { kind: "opt_out", reason, at } : { kind: "opt_out", reason, at, note },
        ctx.now(),
      );
    },
  );

  r.get(
    "/api/v1/attributes",
    {
      config: read,
      schema: {
        tags,
        summary: "Custom attribute definitions",
        response: { 200: page(attributeSchema), ...authErrors },
      },
    },
    async () => ({ data: await listAttributes(db), nextCursor: null }),
  );

  r.post(
    "/api/v1/attributes",
    {
      config: write,
      schema: {
        tags,
        summary: "Define a custom attribute (its type never changes)",
        body: createAttributeBody,
        response: { 201: attributeSchema, 409: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await createAttribute(db, request.body, ctx.now())),
  );

  r.patch(
    "/api/v1/attributes/:name",
    {
      config: write,
      schema: {
        tags,
        summary: "Relabel an attribute",
        params: z.object({ name: z.string().max(40) }),
        body: z.strictObject({ label: z.string().max(100) }),
        response: { 200: attributeSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => relabelAttribute(db, request.params.name, request.body.label, ctx.now()),
  );
}

/** A 400 carrying field issues. */
export function rejected(issues: { path: string; message: string }[]): HeraldError {
  return new HeraldError(
    "validation_failed",
    issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ") || "invalid",
    { issues },
  );
}

/** The 413 for a bulk request over the item limit. */
export function tooMany(count: number): HeraldError {
  return new HeraldError("payload_too_large", `${count} items; a bulk request may carry at most ${MAX_BULK_ITEMS}`, {
    limit: MAX_BULK_ITEMS,
  });
}

/** A consent time: defaults to now; the future is refused. */
function checkedTime(at: number | undefined, now: number): number {
  if (at === undefined) return now;
  if (at > now) throw rejected([{ path: "at", message: "must not be in the future" }]);
  return at;
}
