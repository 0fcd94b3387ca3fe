import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HeraldError } from "../../domain/errors.js";
import { MAX_BULK_ITEMS } from "../../store/contacts-bulk.js";
import { getOrder, listOrders } from "../../store/orders.js";
import { upsertOrderBatch } from "../../store/orders-bulk.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema, idParams } from "../schemas/common.js";
import { bulkResult } from "../schemas/contacts.js";
import { bulkOrdersBody, listOrdersQuery, orderItem, orderSchema, upsertOrderBody } from "../schemas/orders.js";
import { rejected, tooMany } from "./contacts.js";
import { shapeCheck } from "./customers-shape.js";

/** Orders: idempotent upsert by external id (single and bulk), list, get. Metrics follow in the same transaction. */
export async function orderRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["orders"];
  const db = ctx.store.db;

  r.post(
    "/api/v1/orders",
    {
      config: { permission: "contacts.write" },
      schema: {
        tags,
        summary: "Create or update an order by external id (201 created, 200 updated); a new phone creates the contact",
        body: upsertOrderBody,
        response: { 200: orderSchema, 201: orderSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const result = await upsertOrderBatch(db, [{ ok: true, value: request.body }], ctx.now(), "");
      const item = result.results[0];
      if (item?.status === "rejected" || item?.id === undefined) {
        const issues = item?.issues ?? [];
        if (issues.some((issue) => issue.message.startsWith("no contact with id")))
          throw new HeraldError("not_found", issues[0]?.message ?? "no such contact", { issues });
        throw rejected(issues);
      }
      return reply.status(item.status === "created" ? 201 : 200).send(await getOrder(db, item.id));
    },
  );

  r.post(
    "/api/v1/orders/bulk",
    {
      config: { permission: "contacts.write" },
      schema: {
        tags,
        summary: "Upsert up to 10,000 orders; valid items are written in one transaction, each gets a result",
        body: bulkOrdersBody,
        response: { 200: bulkResult, 413: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const { orders, defaultCountry } = request.body;
      if (orders.length > MAX_BULK_ITEMS) throw tooMany(orders.length);
      const items = orders.map((raw, index) => {
        const checked = shapeCheck(orderItem, raw, `orders[${index}]`);
        return checked.ok ? { ok: true as const, value: { ...checked.value, defaultCountry } } : checked;
      });
      return upsertOrderBatch(db, items, ctx.now());
    },
  );

  r.get(
    "/api/v1/orders",
    {
      config: { permission: "contacts.read" },
      schema: {
        tags,
        summary: "List orders, newest placed first",
        querystring: listOrdersQuery,
        response: { 200: z.object({ data: z.array(orderSchema), nextCursor: z.string().nullable() }), ...authErrors },
      },
    },
    async (request) => {
      const { contactId, status, cursor, limit } = request.query;
      return listOrders(db, { contactId, status }, { cursor, limit });
    },
  );

  r.get(
    "/api/v1/orders/:id",
    {
      config: { permission: "contacts.read" },
      schema: {
        tags,
        summary: "One order",
        params: idParams,
        response: { 200: orderSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => getOrder(db, request.params.id),
  );
}
