import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ContactRow } from "../../store/contacts.js";
import { listAttributes } from "../../store/contacts-attributes.js";
import { iterateContacts } from "../../store/contacts-list.js";
import { csvField } from "../../store/imports-csv.js";
import type { AppContext } from "../context.js";
import { authErrors, errorSchema } from "../schemas/common.js";
import { exportQuery } from "../schemas/contacts.js";
import { contactFilter } from "./contacts.js";

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());

/** GET /api/v1/contacts/export.csv: the contacts of a filter or segment, streamed page by page (flat memory). */
export async function contactExportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  r.get(
    "/api/v1/contacts/export.csv",
    {
      config: { permission: "contacts.read" },
      schema: {
        tags: ["contacts"],
        summary: "Export contacts of a filter or segment as CSV (streamed)",
        querystring: exportQuery,
        produces: ["text/csv"],
        response: { 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      // Resolve everything that can fail before the first byte, so errors are still JSON.
      const filter = await contactFilter(ctx, { ...request.query, limit: 1 });
      const attributes = (await listAttributes(db)).map((definition) => definition.name);
      const now = ctx.now();
      const header = [
        "id",
        "phone",
        "name",
        "language",
        "country",
        "time_zone",
        "consent",
        "consent_source",
        "consent_reason",
        "consent_at",
        "created_at",
        "tags",
        ...attributes,
      ];
      async function* lines(): AsyncGenerator<string> {
        yield `${header.join(",")}\n`;
        for await (const rows of iterateContacts(db, filter, now)) {
          const tags = await tagsOf(rows);
          yield rows.map((row) => `${line(row, tags.get(row.seq) ?? [], attributes)}\n`).join("");
        }
      }
      const day = new Date(now).toISOString().slice(0, 10);
      reply.header("content-disposition", `attachment; filename="contacts-${day}.csv"`);
      reply.type("text/csv; charset=utf-8");
      // Responses are serialised by zod unless they are streams: the stream goes out as is.
      return (reply as FastifyReply).send(Readable.from(lines()));
    },
  );

  async function tagsOf(rows: ContactRow[]): Promise<Map<number, string[]>> {
    const found = await db
      .selectFrom("contact_tags")
      .select(["contact_seq", "tag"])
      .where(
        "contact_seq",
        "in",
        rows.map((row) => row.seq),
      )
      .orderBy("tag")
      .execute();
    const map = new Map<number, string[]>();
    for (const row of found) {
      const tags = map.get(row.contact_seq);
      if (tags) tags.push(row.tag);
      else map.set(row.contact_seq, [row.tag]);
    }
    return map;
  }
}

function line(row: ContactRow, tags: string[], attributes: string[]): string {
  const values = JSON.parse(row.attributes) as Record<string, string | number | boolean>;
  return [
    csvField(row.id),
    csvField(row.phone, true),
    csvField(row.name),
    csvField(row.language),
    csvField(row.country),
    csvField(row.time_zone),
    csvField(row.consent_state),
    csvField(row.consent_source),
    csvField(row.consent_reason),
    iso(row.consent_at),
    iso(row.created_at),
    csvField(tags.join(";")),
    ...attributes.map((name) => csvField(values[name])),
  ].join(",");
}
