// The sandbox's core: accepts sends under Meta's rules, plays the audience, reviews templates, and feeds the
// webhook dispatcher. Routes (routes/*.ts) only parse HTTP and call in here; tests can call it directly.
import { Audience, type Recipient } from "./audience.js";
import { Dispatcher } from "./dispatcher.js";
import { type Failure, type FlowHost, MessageFlow } from "./lifecycle.js";
import { PairLimiter, takeInline } from "./limits.js";
import { SandboxFailure } from "./meta-errors.js";
import type { ResolvedOptions } from "./options.js";
import { fieldChange, inboundChange, type StatusInfo, statusChange } from "./payloads.js";
import { mix } from "./random.js";
import { type Clock, realClock, Scheduler, type Task, VirtualClock } from "./scheduler.js";
import { type PhoneState, portfolioLimit, type ReceivedMessage, SandboxState } from "./state.js";
import { checkTemplateSend, quickReplies } from "./template-send.js";
import { parseSend } from "./validate-send.js";

const FAIL: Record<number, string> = {
  131026: "Message undeliverable.",
  131047: "Re-engagement message",
  131049: "This message was not delivered to maintain healthy ecosystem engagement.",
  131050:
    "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
  131053: "Media upload error",
};
const DETAILS: Record<number, string> = {
  131026: "Message Undeliverable.",
  131047:
    "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  131049: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
  131050: "The recipient has chosen to stop receiving marketing messages from this business.",
  131053: "The media id does not exist or has expired.",
};

/** Shared failure objects per code (no allocation per failed message). */
const FAILURES: Record<number, Failure> = Object.fromEntries(
  Object.entries(FAIL).map(([code, title]) => [
    code,
    { code: Number(code), title, details: DETAILS[Number(code)] ?? title },
  ]),
);

/** An inbound message a simulated user sends (control API or audience reply). */
export type InboundSpec =
  | { text: string }
  | { button: { payload: string; text: string }; contextId?: string }
  | {
      interactive: { kind: "button_reply" | "list_reply"; id: string; title: string; description?: string };
      contextId?: string;
    }
  | { raw: Record<string, unknown> };

/** The simulator behind the sandbox's HTTP app. */
export class Simulator implements FlowHost {
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly state = new SandboxState();
  readonly audience: Audience;
  readonly dispatcher: Dispatcher;
  readonly sentDelay: [number, number];
  #pair: PairLimiter;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.clock = options.virtual ? new VirtualClock(options.startTime) : realClock;
    this.scheduler = new Scheduler(options.tickMs);
    this.audience = new Audience(options.seed, options.audience);
    this.dispatcher = new Dispatcher(options.webhook, this.clock, this.scheduler, options.seed);
    this.sentDelay = options.audience.sentDelayMs;
    this.#pair = new PairLimiter(options.pairLimit.intervalMs, options.pairLimit.burst);
  }

  /** Handles one POST /messages body for an authorised number; returns Meta's JSON answer. */
  send(phone: PhoneState, version: string, body: unknown): string {
    const parsed = parseSend(body);
    if (parsed.kind === "read") return '{"success":true}';
    const now = this.clock.now();
    const waId = parsed.waId;
    if (waId === phone.displayPhoneNumber) throw new SandboxFailure(131021, "Recipient cannot be sender.");
    const template =
      parsed.type === "template" ? checkTemplateSend(parsed.payload, phone.wabaId, this.state) : undefined;
    // Throughput (130429) and pair rate (131056) are answered on the request (reference §2.6).
    if (!phone.bucket.take(now)) {
      throw new SandboxFailure(130429, `Cloud API message throughput (${phone.mpsLimit}/s) has been reached.`);
    }
    const r = this.audience.profile(waId);
    const pairOk =
      r.pairPhone === undefined || r.pairPhone === phone.id
        ? takeInline(r, now, this.options.pairLimit.burst, 1 / this.options.pairLimit.intervalMs)
        : this.#pair.take(`${phone.id}:${waId}`, now);
    if (r.pairPhone === undefined) {
      r.pairPhone = phone.id;
      r.pairLast = now;
    }
    if (!pairOk) {
      throw new SandboxFailure(
        131056,
        "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
      );
    }
    const last = r.windows?.get(phone.id);
    const inWindow = last !== undefined && now - last < this.options.windowMs;
    const n = r.count++;
    const category = template ? template.template.category.toLowerCase() : "service";

    // Delivery problems come back later as a `failed` status (reference §2.6: sync vs async).
    let fail: Failure | undefined;
    if (!template && !inWindow && parsed.type !== "reaction") fail = FAILURES[131047];
    else if (r.unreachable) fail = FAILURES[131026];
    else if (parsed.mediaId !== undefined && !this.state.media.has(parsed.mediaId)) fail = FAILURES[131053];
    else if (category === "marketing" && r.isUS) fail = FAILURES[131049];
    else if (category === "marketing" && r.marketingOptOut) fail = FAILURES[131050];
    else if (template && !inWindow && !phone.portfolio.reach.admit(r, portfolioLimit(phone.portfolio), now)) {
      fail = {
        code: this.options.tierExhaustedCode,
        title: "Messaging limit reached",
        details: `The business portfolio reached its messaging limit (${phone.tier}) of unique users outside a customer service window in 24 hours.`,
      };
    }

    const seq = ++this.state.seq;
    const id = `wamid.${Buffer.from(`\x1c\x18\x0c${waId}\x15\x02\x00\x11\x18\x12${seq.toString(16).toUpperCase()}`).toString("base64")}`;
    this.state.counters.accepted++;
    const v = phone.webhookVersion ?? version;
    const flow = new MessageFlow(
      this,
      phone,
      r,
      n,
      seq,
      id,
      {
        type: parsed.type,
        text: parsed.text,
        template: template?.template,
        values: template?.values,
        payloads: template?.payloads,
        choices: parsed.choices.length > 0 ? parsed.choices : undefined,
        callbackData: parsed.callbackData,
      },
      category,
      // Free: service messages, and utility templates inside an open window (reference §6.1).
      !template || (category === "utility" && inWindow),
      // v24+ omits `conversation` outside free-entry-point windows (reference §4.5).
      Number(v.slice(1)) < 24,
      fail,
      now,
    );
    r.remember(flow, this.options.receivedLogLimit);
    this.scheduler.add(flow);
    return `{"messaging_product":"whatsapp","contacts":[{"input":${JSON.stringify(parsed.input)},"wa_id":"${waId}"}],"messages":[{"id":"${id}"}]}`;
  }

  /** A random draw of the audience (FlowHost). */
  draw(p: Recipient, n: number, k: number): number {
    return this.audience.draw(p, n, k);
  }

  /** A read delay (FlowHost). */
  readDelay(p: Recipient, n: number, deliveredAt: number): number {
    return this.audience.readDelay(p, n, deliveredAt);
  }

  /** The conversation id of a message for v23-and-lower webhooks (FlowHost). */
  conversationId(seq: number): string {
    return mix(this.options.seed, seq, 7).toString(16).padStart(8, "0") + seq.toString(16);
  }

  /** Queues a task (FlowHost). */
  schedule(task: Task): void {
    this.scheduler.add(task);
  }

  /** Sends one status webhook (FlowHost). */
  emitStatus(phone: PhoneState, s: StatusInfo): void {
    this.state.counters.statuses++;
    this.dispatcher.enqueue(phone, statusChange(phone, s));
  }

  /** The simulated user answers a message they read (FlowHost). */
  reply(flow: MessageFlow): void {
    const p = flow.recipient;
    const c = flow;
    const tap = this.draw(p, flow.n, 7) < this.options.audience.buttonTapShare;
    const pick = this.draw(p, flow.n, 8);
    const buttons = c.template ? quickReplies(c.template, c.payloads) : [];
    let spec: InboundSpec;
    if (tap && buttons.length > 0) {
      const b = buttons[Math.floor(pick * buttons.length)] as { payload: string; text: string };
      spec = { button: { payload: b.payload, text: b.text }, contextId: flow.id };
      flow.reply = b.payload;
    } else if (tap && c.choices !== undefined) {
      const choice = c.choices[Math.floor(pick * c.choices.length)] as NonNullable<typeof c.choices>[number];
      const { list, ...reply } = choice;
      spec = { interactive: { kind: list ? "list_reply" : "button_reply", ...reply }, contextId: flow.id };
      flow.reply = choice.id;
    } else {
      const text = this.audience.replyText(p, flow.n);
      spec = { text };
      flow.reply = text;
    }
    this.inbound(flow.phone, p.waId, spec, flow.at);
  }

  /** A user sends a message to the business number: opens the 24-hour window and sends the webhook. */
  inbound(phone: PhoneState, from: string, spec: InboundSpec, at = this.clock.now(), name?: string): string {
    const r = this.audience.profile(from);
    const id = `wamid.${Buffer.from(`\x1c\x18\x0c${from}\x15\x02\x00\x12\x18\x14I${(++this.state.seq).toString(16).toUpperCase()}`).toString("base64")}`;
    const base: Record<string, unknown> = {};
    if ("contextId" in spec && spec.contextId !== undefined) {
      base.context = { from: phone.displayPhoneNumber, id: spec.contextId };
    }
    Object.assign(base, { from, id, timestamp: String(Math.floor(at / 1000)) });
    let message: Record<string, unknown>;
    if ("raw" in spec) message = { ...base, ...spec.raw };
    else if ("text" in spec) message = { ...base, type: "text", text: { body: spec.text } };
    else if ("button" in spec) message = { ...base, type: "button", button: spec.button };
    else {
      const { kind, ...reply } = spec.interactive;
      message = { ...base, type: "interactive", interactive: { type: kind, [kind]: reply } };
    }
    // Any inbound message opens (or renews) the 24-hour customer-service window (reference §5.5).
    r.windows ??= new Map();
    r.windows.set(phone.id, at);
    this.state.counters.inbound++;
    this.dispatcher.enqueue(phone, inboundChange(phone, { name: name ?? r.name, waId: from }, message));
    return id;
  }

  /** Messages a number received, oldest first (control API). */
  received(waId: string): ReceivedMessage[] {
    return (this.audience.find(waId)?.log(this.options.receivedLogLimit) ?? []).map((f) => f.view());
  }

  /** Sends a non-messages field change to every webhook of a WABA's numbers. */
  wabaEvent(wabaId: string, field: string, value: object): void {
    const seen = new Set<string>();
    for (const phone of this.state.phones.values()) {
      if (phone.wabaId !== wabaId || phone.webhookUrl === undefined) continue;
      const key = `${phone.appSecret}\u0000${phone.webhookUrl}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.dispatcher.enqueue(phone, fieldChange(field, value), false);
    }
  }

  /** Changes a number's quality rating and/or tier, sending `phone_number_quality_update` (reference §4.6). */
  setPhoneQuality(phone: PhoneState, change: { quality?: PhoneState["quality"]; tier?: string; event?: string }): void {
    const oldTier = phone.tier;
    const oldQuality = phone.quality;
    if (change.quality !== undefined) phone.quality = change.quality;
    if (change.tier !== undefined) phone.tier = change.tier;
    const limit = (t: string) => Number(t.replace("TIER_", "").replace("K", "000").replace("UNLIMITED", "Infinity"));
    const event =
      change.event ??
      (phone.tier !== oldTier
        ? limit(phone.tier) > limit(oldTier)
          ? "UPGRADE"
          : "DOWNGRADE"
        : phone.quality === "RED"
          ? "FLAGGED"
          : oldQuality === "RED"
            ? "UNFLAGGED"
            : "ONBOARDING");
    const value: Record<string, unknown> = {
      display_phone_number: phone.displayPhoneNumber,
      event,
      current_limit: phone.tier,
    };
    if (phone.tier !== oldTier) value.old_limit = oldTier;
    this.wabaEvent(phone.wabaId, "phone_number_quality_update", value);
  }

  /** Clears messages, templates, windows and pending events; registered numbers stay. */
  reset(): void {
    this.scheduler.clear();
    this.dispatcher.clear();
    this.audience.reset();
    this.state.reset(this.clock.now());
    this.#pair = new PairLimiter(this.options.pairLimit.intervalMs, this.options.pairLimit.burst);
  }
}
