// Meta's Graph paths, served at the root of the sandbox's origin so any Cloud API client works by changing
// the origin (issue 3): messages, media, templates and the phone-number object, with and without a version.
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { badParam, invalidToken, SandboxFailure, unknownObject } from "../meta-errors.js";
import { parseMultipart } from "../multipart.js";
import { uniform } from "../random.js";
import { reviewTemplate } from "../review.js";
import type { Simulator } from "../sim.js";
import type { PhoneState } from "../state.js";
import { buildTemplate, duplicateTemplate, templateJson } from "../templates.js";

const JSON_TYPE = "application/json; charset=UTF-8";
const VERSION = /^v\d+\.\d+$/;

// Cloud API media limits (reference §5.6).
const MEDIA_RULES: { kind: string; types: string[]; max: number }[] = [
  { kind: "image", types: ["image/jpeg", "image/png"], max: 5 * 2 ** 20 },
  { kind: "video", types: ["video/mp4", "video/3gpp"], max: 16 * 2 ** 20 },
  { kind: "audio", types: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"], max: 16 * 2 ** 20 },
  { kind: "sticker", types: ["image/webp"], max: 500 * 2 ** 10 },
  {
    kind: "document",
    types: [
      "text/plain",
      "application/pdf",
      "application/msword",
      "application/vnd.ms-excel",
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ],
    max: 100 * 2 ** 20,
  },
];

type Params = { version?: string; id: string };

function tokenOf(req: FastifyRequest): string {
  const h = req.headers.authorization;
  // The usual header first: no lower-casing or splitting per request.
  if (typeof h === "string" && h.startsWith("Bearer ")) return h.slice(7).trim();
  if (typeof h === "string") {
    const space = h.indexOf(" ");
    const scheme = space > 0 ? h.slice(0, space).toLowerCase() : "";
    if (scheme === "bearer" || scheme === "oauth") return h.slice(space + 1).trim();
  }
  const q = (req.query as Record<string, unknown> | undefined)?.access_token;
  if (typeof q === "string" && q.length > 0) return q;
  throw invalidToken();
}

/** The last version path segment that passed (every send repeats it). */
let lastVersion = "";

function checkVersion(p: Params): void {
  if (p.version === lastVersion) return;
  if (p.version !== undefined && !VERSION.test(p.version)) {
    throw new SandboxFailure(2500, undefined, { message: `Unknown path components: /${p.version}/${p.id}` });
  }
  if (p.version !== undefined) lastVersion = p.version;
}

/** Registers the Graph routes of the sandbox. */
export function graphRoutes(app: FastifyInstance, sim: Simulator): void {
  const state = sim.state;

  /** The number a token may send from; 190 for an unknown token, 100/33 for a number it may not use. */
  const phoneFor = (req: FastifyRequest, id: string, verb: "get" | "post" | "delete"): PhoneState => {
    const token = tokenOf(req);
    const mine = state.tokens.get(token);
    if (!mine) throw invalidToken();
    for (const p of mine) if (p.id === id) return p;
    throw unknownObject(id, verb);
  };
  const wabaFor = (req: FastifyRequest, wabaId: string, verb: "get" | "post" | "delete"): void => {
    const token = tokenOf(req);
    if (!state.tokens.has(token)) throw invalidToken();
    if (!state.tokenCanUse(token, wabaId)) throw unknownObject(wabaId, verb);
  };

  for (const prefix of ["/:version", ""]) {
    app.post(`${prefix}/:id/messages`, (req, reply) => {
      const p = req.params as Params;
      checkVersion(p);
      const phone = phoneFor(req, p.id, "post");
      reply.header("content-type", JSON_TYPE).send(sim.send(phone, p.version ?? "v23.0", req.body));
    });

    app.post(`${prefix}/:id/media`, (req, reply) => {
      const p = req.params as Params;
      checkVersion(p);
      const phone = phoneFor(req, p.id, "post");
      const body = req.body;
      const parts = Buffer.isBuffer(body) ? parseMultipart(body, String(req.headers["content-type"])) : undefined;
      if (!parts) throw badParam("file", "is required (multipart/form-data)");
      const field = (name: string) => parts.find((x) => x.name === name);
      if (field("messaging_product")?.data.toString() !== "whatsapp")
        throw badParam("messaging_product", "must be whatsapp");
      const file = field("file");
      if (!file) throw badParam("file", "is required");
      const mime = field("type")?.data.toString() || file.contentType || "";
      const rule = MEDIA_RULES.find((r) => r.types.includes(mime.split(";")[0]?.trim() ?? ""));
      if (!rule)
        throw new SandboxFailure(
          131053,
          `Param file must be a file with one of the supported media types; got ${mime || "none"}`,
        );
      if (file.data.length > rule.max) {
        throw new SandboxFailure(
          131053,
          `${rule.kind} files may be at most ${rule.max} bytes; got ${file.data.length}`,
        );
      }
      const id = String(1_000_000_000_000_000 + (++state.idSeq * 7919 + (sim.options.seed % 1000)));
      state.media.set(id, {
        id,
        phoneNumberId: phone.id,
        mimeType: mime,
        sha256: createHash("sha256").update(file.data).digest("hex"),
        size: file.data.length,
        filename: file.filename ?? "file",
        data: Buffer.from(file.data),
      });
      reply.header("content-type", JSON_TYPE).send(JSON.stringify({ id }));
    });

    app.get(`${prefix}/:id`, (req, reply) => {
      const p = req.params as Params;
      checkVersion(p);
      const token = tokenOf(req);
      if (!state.tokens.has(token)) throw invalidToken();
      const media = state.media.get(p.id);
      if (media && state.tokenCanUse(token, media.phoneNumberId)) {
        const origin = sim.options.publicOrigin ?? `http://${req.headers.host ?? "127.0.0.1"}`;
        return reply.send({
          messaging_product: "whatsapp",
          url: `${origin}/_sandbox/media/${media.id}/download`,
          mime_type: media.mimeType,
          sha256: media.sha256,
          file_size: media.size,
          id: media.id,
        });
      }
      const template = state.templates.get(p.id);
      if (template && state.tokenCanUse(token, template.wabaId)) return reply.send(templateJson(template));
      const phone = phoneFor(req, p.id, "get");
      const all: Record<string, unknown> = {
        id: phone.id,
        display_phone_number: `+${phone.displayPhoneNumber}`,
        verified_name: phone.verifiedName,
        quality_rating: phone.quality,
        code_verification_status: "VERIFIED",
        platform_type: "CLOUD_API",
        name_status: "APPROVED",
        throughput: { level: phone.mpsLimit >= 1000 ? "HIGH" : "STANDARD" },
        messaging_limit_tier: phone.tier,
        whatsapp_business_manager_messaging_limit: phone.tier,
      };
      const fields = (req.query as Record<string, unknown>).fields;
      if (typeof fields !== "string") return reply.send(all);
      const out: Record<string, unknown> = {};
      for (const f of fields.split(",").map((x) => x.trim())) if (f in all) out[f] = all[f];
      out.id = phone.id;
      return reply.send(out);
    });

    app.delete(`${prefix}/:id`, (req, reply) => {
      const p = req.params as Params;
      checkVersion(p);
      const token = tokenOf(req);
      if (!state.tokens.has(token)) throw invalidToken();
      const media = state.media.get(p.id);
      if (!media || !state.tokenCanUse(token, media.phoneNumberId)) throw unknownObject(p.id, "delete");
      state.media.delete(p.id);
      return reply.send({ success: true });
    });

    app.get(`${prefix}/:id/message_templates`, (req, reply) => {
      const p = req.params as Params;
      checkVersion(p);
      wabaFor(req, p.id, "get");
      const q = req.query as Record<string, string | undefined>;
      const limit = Math.min(Math.max(Number(q.limit ?? 25) || 25, 1), 1000);
      const offset = q.after ? Number(Buffer.from(q.after, "base64").toString()) || 0 : 0;
      const all = [...state.templates.values()].filter(
        (t) =>
          t.wabaId === p.id &&
          t.status !== "DELETED" &&
          (q.name === undefined || t.name.includes(q.name)) &&
          (q.status === undefined || t.status === q.status.toUpperCase()) &&
          (q.category === undefined || t.category === q.category.toUpperCase()) &&
          (q.language === undefined || t.language === q.language),
      );
      const page = all.slice(offset, offset + limit);
      const cursor = (n: number) => Buffer.from(String(n)).toString("base64");
      const paging: Record<string, unknown> = {
        cursors: { before: cursor(offset), after: cursor(offset + page.length) },
      };
      if (offset + page.length < all.length) {
        paging.next = `${sim.options.publicOrigin ?? ""}/${p.version ?? "v23.0"}/${p.id}/message_templates?limit=${limit}&after=${cursor(offset + page.length)}`;
      }
      return reply.send({ data: page.map(templateJson), paging });
    });

    app.post(`${prefix}/:id/message_templates`, (req, reply) => {
      const p = req.params as Params;
      checkVersion(p);
      wabaFor(req, p.id, "post");
      const now = sim.clock.now();
      const id = String(594_425_479_261_596 + ++state.idSeq);
      const t = buildTemplate(req.body, p.id, id, now);
      if (!state.indexTemplate(t)) throw duplicateTemplate(t.name, t.language);
      state.templates.set(id, t);
      sim.schedule({ at: now + sim.options.templateReviewDelayMs, run: () => review(sim, id) });
      return reply.send({ id, status: t.status, category: t.category });
    });

    app.delete(`${prefix}/:id/message_templates`, (req, reply) => {
      const p = req.params as Params;
      checkVersion(p);
      wabaFor(req, p.id, "delete");
      const q = req.query as Record<string, string | undefined>;
      if (!q.name) throw badParam("name", "is required");
      const doomed = [...state.templates.values()].filter(
        (t) => t.wabaId === p.id && t.name === q.name && (q.hsm_id === undefined || t.id === q.hsm_id),
      );
      if (doomed.length === 0) throw new SandboxFailure(100, `Template ${q.name} does not exist`, { subcode: 2593002 });
      for (const t of doomed) {
        state.templates.delete(t.id);
        state.unindexTemplate(t);
      }
      return reply.send({ success: true });
    });
  }
}

/** Reviews a pending template and reports the verdict by webhook (message_template_status_update). */
export function review(sim: Simulator, id: string): void {
  const t = sim.state.templates.get(id);
  if (t?.status !== "PENDING") return;
  const o = sim.options;
  const verdict = reviewTemplate({
    category: t.category,
    body: t.body,
    hasOtpButton: t.buttons.some((b) => b.type === "OTP" || b.type === "COPY_CODE"),
    utilityPromotional: o.utilityPromotional,
    draw: uniform(o.seed, Number(id.slice(-9)), 11),
    randomRejectRate: o.templateRandomRejectRate,
  });
  t.status = verdict.status;
  t.rejectedReason = verdict.reason;
  t.category = verdict.category;
  const value: Record<string, unknown> = {
    event: verdict.status,
    message_template_id: Number(t.id),
    message_template_name: t.name,
    message_template_language: t.language,
    reason: verdict.reason,
    message_template_category: t.category,
  };
  if (verdict.rejectionInfo) value.rejection_info = verdict.rejectionInfo;
  sim.wabaEvent(t.wabaId, "message_template_status_update", value);
  if (verdict.recategorizedFrom) {
    sim.wabaEvent(t.wabaId, "template_category_update", {
      message_template_id: Number(t.id),
      message_template_name: t.name,
      message_template_language: t.language,
      previous_category: verdict.recategorizedFrom,
      new_category: verdict.category,
    });
  }
}
