// The control API under /_sandbox/: what a test, a demo or `herald sandbox` uses to play the user's side and
// to steer time. Not part of Meta's API; no auth (bind the sandbox to 127.0.0.1).
import type { FastifyInstance } from "fastify";
import { request } from "undici";
import { z } from "zod";
import { NONE } from "../messages.js";
import { badParam, SandboxFailure } from "../meta-errors.js";
import { TIER_LIMITS } from "../options.js";
import type { InboundSpec, Simulator } from "../sim.js";
import type { PhoneState } from "../state.js";

/** Time steering, provided by the app (virtual or real clock). */
export interface TimeControl {
  advance(ms: number): Promise<void>;
  flush(): Promise<void>;
}

const quality = z.enum(["GREEN", "YELLOW", "RED", "UNKNOWN"]);
const tier = z.string().refine((t) => t in TIER_LIMITS, { message: `one of ${Object.keys(TIER_LIMITS).join(", ")}` });

const phoneSchema = z.object({
  id: z.string().min(1),
  wabaId: z.string().min(1),
  displayPhoneNumber: z.string().min(5),
  accessToken: z.string().min(1),
  appSecret: z.string().min(1),
  webhookUrl: z.url().optional(),
  verifyToken: z.string().optional(),
  verifiedName: z.string().optional(),
  mpsLimit: z.number().int().positive().optional(),
  tier: tier.optional(),
  quality: quality.optional(),
  portfolioId: z.string().optional(),
  webhookVersion: z.string().optional(),
});

const patchSchema = z.object({
  quality: quality.optional(),
  tier: tier.optional(),
  event: z.string().optional(),
  mpsLimit: z.number().int().positive().optional(),
  webhookUrl: z.url().nullable().optional(),
});

const inboundSchema = z.object({
  phoneNumberId: z.string(),
  from: z.string().regex(/^\d{6,15}$/),
  name: z.string().optional(),
  text: z.string().optional(),
  button: z.object({ payload: z.string(), text: z.string() }).optional(),
  interactive: z
    .object({
      kind: z.enum(["button_reply", "list_reply"]),
      id: z.string(),
      title: z.string(),
      description: z.string().optional(),
    })
    .optional(),
  /** A whole message object (without from/id/timestamp), e.g. an unknown type. */
  message: z.record(z.string(), z.unknown()).optional(),
  contextId: z.string().optional(),
});

const profileSchema = z
  .object({
    unreachable: z.boolean(),
    marketingOptOut: z.boolean(),
    deliveryRate: z.number().min(0).max(1),
    readRate: z.number().min(0).max(1),
    replyRate: z.number().min(0).max(1),
    deliveryDelayMeanMs: z.number().min(0),
    readDelayMeanMs: z.number().min(0),
    replyDelayMeanMs: z.number().min(0),
    utcOffsetMinutes: z.number(),
    name: z.string(),
    replyText: z.string(),
  })
  .partial();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw badParam(issue?.path.join(".") || "body", issue?.message ?? "is invalid");
}

function phoneOf(sim: Simulator, id: string): PhoneState {
  const phone = sim.state.phones.get(id);
  if (!phone) throw new SandboxFailure(100, `No sandbox phone number ${id}`, { subcode: 33 });
  return phone;
}

function phoneView(sim: Simulator, p: PhoneState) {
  return {
    id: p.id,
    wabaId: p.wabaId,
    displayPhoneNumber: p.displayPhoneNumber,
    webhookUrl: p.webhookUrl ?? null,
    mpsLimit: p.mpsLimit,
    tier: p.tier,
    quality: p.quality,
    portfolioId: p.portfolio.id,
    reachedLast24h: p.portfolio.reach.count(sim.audience, sim.clock.now()),
  };
}

function profileView(sim: Simulator, r: number) {
  const a = sim.audience;
  return {
    waId: a.waId(r),
    unreachable: a.unreachable(r),
    marketingOptOut: a.marketingOptOut(r),
    deliveryRate: a.deliveryRate(r),
    readRate: a.readRate(r),
    replyRate: a.replyRate(r),
    deliveryDelayMeanMs: Math.round(a.deliveryDelayMeanMs(r)),
    readDelayMeanMs: Math.round(a.readDelayMeanMs(r)),
    replyDelayMeanMs: Math.round(a.replyDelayMeanMs(r)),
    utcOffsetMinutes: a.utcOffsetMinutes(r),
    name: a.name(r),
    replyText: a.forcedReplyText(r) ?? null,
    isUS: a.isUS(r),
    messagesReceived: a.count[r],
  };
}

/** Registers /_sandbox/* routes. */
export function controlRoutes(app: FastifyInstance, sim: Simulator, time: TimeControl): void {
  const state = sim.state;

  app.get("/_sandbox/state", async () => ({
    now: sim.clock.now(),
    virtual: sim.options.virtual,
    counters: state.counters,
    rejectedByCode: Object.fromEntries(state.rejectedByCode),
    pendingTasks: sim.scheduler.size,
    webhooks: sim.dispatcher.stats,
    phoneNumbers: [...state.phones.values()].map((p) => phoneView(sim, p)),
    templates: state.templates.size,
    recipients: sim.audience.size,
  }));

  app.post("/_sandbox/phone-numbers", async (req, reply) => {
    const o = parse(phoneSchema, req.body);
    const phone = state.addPhone(o, sim.clock.now());
    return reply.code(201).send(phoneView(sim, phone));
  });

  app.patch("/_sandbox/phone-numbers/:id", async (req) => {
    const phone = phoneOf(sim, (req.params as { id: string }).id);
    const o = parse(patchSchema, req.body);
    if (o.mpsLimit !== undefined) {
      phone.mpsLimit = o.mpsLimit;
      phone.bucket.capacity = o.mpsLimit;
      phone.bucket.rate = o.mpsLimit / 1000;
    }
    if (o.webhookUrl !== undefined) phone.webhookUrl = o.webhookUrl ?? undefined;
    if (o.quality !== undefined || o.tier !== undefined || o.event !== undefined) {
      sim.setPhoneQuality(phone, {
        ...(o.quality === undefined ? {} : { quality: o.quality }),
        ...(o.tier === undefined ? {} : { tier: o.tier }),
        ...(o.event === undefined ? {} : { event: o.event }),
      });
    }
    return phoneView(sim, phone);
  });

  // Meta's verification request: GET callback?hub.mode=subscribe&hub.challenge=…&hub.verify_token=… (§4.1).
  app.post("/_sandbox/phone-numbers/:id/verify-webhook", async (req) => {
    const phone = phoneOf(sim, (req.params as { id: string }).id);
    if (!phone.webhookUrl) throw badParam("webhookUrl", "is not set for this number");
    const challenge = String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
    const url = new URL(phone.webhookUrl);
    url.searchParams.set("hub.mode", "subscribe");
    url.searchParams.set("hub.challenge", challenge);
    url.searchParams.set("hub.verify_token", phone.verifyToken ?? "");
    try {
      const res = await request(url, { method: "GET", headersTimeout: 5_000, bodyTimeout: 5_000 });
      const body = await res.body.text();
      return {
        ok: res.statusCode === 200 && body === challenge,
        status: res.statusCode,
        challenge,
        body: body.slice(0, 200),
      };
    } catch (err) {
      return { ok: false, status: 0, challenge, body: err instanceof Error ? err.message : String(err) };
    }
  });

  app.post("/_sandbox/inbound", async (req) => {
    const o = parse(inboundSchema, req.body);
    const phone = phoneOf(sim, o.phoneNumberId);
    const ctx = o.contextId === undefined ? {} : { contextId: o.contextId };
    let spec: InboundSpec;
    if (o.message) spec = { raw: o.message };
    else if (o.button) spec = { button: o.button, ...ctx };
    else if (o.interactive) {
      const { description, ...rest } = o.interactive;
      spec = { interactive: { ...rest, ...(description === undefined ? {} : { description }) }, ...ctx };
    } else if (o.text !== undefined) spec = { text: o.text };
    else throw badParam("text", "or button, interactive or message is required");
    const id = sim.inbound(phone, o.from, spec, sim.clock.now(), o.name);
    return { id };
  });

  app.get("/_sandbox/received", async () => {
    const numbers: { waId: string; messages: number }[] = [];
    const a = sim.audience;
    for (let r = 0; r < a.size && numbers.length < 1000; r++) {
      if (a.last[r] !== NONE) {
        numbers.push({
          waId: a.waId(r),
          messages: Math.min(a.logLength[r] as number, sim.options.receivedLogLimit),
        });
      }
    }
    return { numbers, total: sim.audience.size };
  });

  app.get("/_sandbox/received/:waId", async (req) => ({
    messages: sim.received((req.params as { waId: string }).waId),
  }));

  app.get("/_sandbox/audience/:waId", async (req) =>
    profileView(sim, sim.audience.profile((req.params as { waId: string }).waId)),
  );

  app.put("/_sandbox/audience/:waId", async (req) => {
    const o = parse(profileSchema, req.body);
    return profileView(sim, sim.audience.override((req.params as { waId: string }).waId, o));
  });

  app.post("/_sandbox/templates/:id/status", async (req) => {
    const t = state.templates.get((req.params as { id: string }).id);
    if (!t) throw new SandboxFailure(100, "No such template", { subcode: 33 });
    const o = parse(
      z.object({
        status: z.enum(["APPROVED", "REJECTED", "PAUSED", "DISABLED", "FLAGGED", "REINSTATED", "PENDING"]),
        reason: z.string().optional(),
      }),
      req.body,
    );
    // REINSTATED is an event; the template is then APPROVED again.
    t.status = o.status === "REINSTATED" ? "APPROVED" : o.status;
    sim.wabaEvent(t.wabaId, "message_template_status_update", {
      event: o.status,
      message_template_id: Number(t.id),
      message_template_name: t.name,
      message_template_language: t.language,
      reason: o.reason ?? "NONE",
      message_template_category: t.category,
    });
    return { id: t.id, status: t.status };
  });

  app.post("/_sandbox/templates/:id/quality", async (req) => {
    const t = state.templates.get((req.params as { id: string }).id);
    if (!t) throw new SandboxFailure(100, "No such template", { subcode: 33 });
    const o = parse(z.object({ quality }), req.body);
    const previous = t.quality;
    t.quality = o.quality;
    sim.wabaEvent(t.wabaId, "message_template_quality_update", {
      previous_quality_score: previous,
      new_quality_score: o.quality,
      message_template_id: Number(t.id),
      message_template_name: t.name,
      message_template_language: t.language,
    });
    return { id: t.id, quality: t.quality };
  });

  app.get("/_sandbox/media/:id/download", async (req, reply) => {
    const m = state.media.get((req.params as { id: string }).id);
    if (!m) throw new SandboxFailure(100, "No such media", { subcode: 33 });
    return reply.header("content-type", m.mimeType).send(m.data);
  });

  app.get("/_sandbox/webhooks", async () => ({
    stats: sim.dispatcher.stats,
    deliveries: sim.dispatcher.log.slice(-100),
  }));

  app.post("/_sandbox/advance", async (req) => {
    const o = parse(z.object({ ms: z.number().min(0) }), req.body);
    await time.advance(o.ms);
    return { now: sim.clock.now() };
  });

  app.post("/_sandbox/flush", async () => {
    await time.flush();
    return { now: sim.clock.now() };
  });

  app.post("/_sandbox/reset", async () => {
    sim.reset();
    return { ok: true };
  });
}
