import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { contactRoutes } from "./contacts.js";
import { contactExportRoutes } from "./contacts-export.js";
import { importRoutes } from "./imports.js";
import { orderRoutes } from "./orders.js";
import { segmentRoutes } from "./segments.js";
import { tagRoutes } from "./tags.js";

/** The customer base (issue 4): contacts, attributes, orders, tags, tag rules, segments, metrics, exports. */
export async function customerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await contactRoutes(app, ctx);
  await contactExportRoutes(app, ctx);
  await orderRoutes(app, ctx);
  await segmentRoutes(app, ctx);
  await tagRoutes(app, ctx);
  await importRoutes(app, ctx);
}
