// The sandbox's core: accepts sends under Meta's rules, plays the audience, reviews templates, and feeds the
// webhook dispatcher. Routes (routes/*.ts) only parse HTTP and call in here; tests can call it directly.
import { Audience } from "./audience.js";
import { Interner } from "./columns.js";
import { Dispatcher } from "./dispatcher.js";
import { hex8, hexLower } from "./hex.js";
import { Lifecycle, type LifecycleHost, sendFlags } from "./lifecycle.js";
import { PairLimiter, takeInline } from "./limits.js";
import {
  ACCEPTED,
  type Content,
  FAILED,
  FREE,
  MessageStore,
  NONE,
  SENT,
  STATUS_NAMES,
  STEP_SENT,
  WITH_CONVERSATION,
} from "./messages.js";
import { SandboxFailure } from "./meta-errors.js";
import type { ResolvedOptions } from "./options.js";
import { type Failure, fieldChange, inboundChange, pricingOf, statusChange } from "./payloads.js";
import { mix } from "./random.js";
import { receivedView } from "./received.js";
import { type Clock, realClock, Scheduler, type Task, VirtualClock } from "./scheduler.js";
import { type PhoneState, portfolioLimit, type ReceivedMessage, SandboxState, type TemplateState } from "./state.js";
import { StatusWriter } from "./status-bytes.js";
import { type CheckedTemplate, checkTemplateSend, quickReplies } from "./template-send.js";
import { parseSend } from "./validate-send.js";
import { inboundWamid, outboundWamid } from "./wamid.js";

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
export class Simulator implements LifecycleHost {
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly state = new SandboxState();
  readonly audience: Audience;
  readonly dispatcher: Dispatcher;
  store = new MessageStore();
  readonly lifecycle: Lifecycle;
  /** What message columns refer to by number (messages.ts). */
  readonly templates = new Interner<TemplateState>();
  readonly failures = new Interner<Failure>();
  readonly types = new Interner<string>();
  /** Pricing categories: "service", then template categories in lower case. */
  readonly categories = new Interner<string>();
  readonly #categoryIds = new Map<string, number>();
  readonly #tierFailures = new Map<string, Failure>();
  readonly #statusWriter = new StatusWriter();
  #lastVersion = "";
  #lastBelowV24 = false;
  #pair: PairLimiter;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.clock = options.virtual ? new VirtualClock(options.startTime) : realClock;
    this.lifecycle = new Lifecycle(this);
    this.scheduler = new Scheduler(options.tickMs, this.clock.now(), this.lifecycle);
    this.audience = new Audience(options.seed, options.audience);
    this.dispatcher = new Dispatcher(options.webhook, this.clock, this.scheduler, options.seed);
    this.categories.id("service");
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
    const a = this.audience;
    const r = a.profile(waId);
    const pairPhone = a.pairPhone[r] as number;
    const pairOk =
      pairPhone === NONE || pairPhone === phone.idKey
        ? takeInline(a, r, now, this.options.pairLimit.burst, 1 / this.options.pairLimit.intervalMs)
        : this.#pair.take(`${phone.id}:${waId}`, now);
    if (pairPhone === NONE) {
      a.pairPhone[r] = phone.idKey;
      a.pairLast[r] = now;
    }
    if (!pairOk) {
      throw new SandboxFailure(
        131056,
        "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
      );
    }
    const last = a.lastInbound(r, phone.id);
    const inWindow = last !== undefined && now - last < this.options.windowMs;
    const n = a.count[r] as number;
    a.count[r] = n + 1;
    const category = template ? this.#categoryOf(template.template) : 0;
    const marketing = category !== 0 && this.categories.get(category) === "marketing";

    // Delivery problems come back later as a `failed` status (reference §2.6: sync vs async).
    let fail: Failure | undefined;
    if (!template && !inWindow && parsed.type !== "reaction") fail = FAILURES[131047];
    else if (a.unreachable(r)) fail = FAILURES[131026];
    else if (parsed.mediaId !== undefined && !this.state.media.has(parsed.mediaId)) fail = FAILURES[131053];
    else if (marketing && a.isUS(r)) fail = FAILURES[131049];
    else if (marketing && a.marketingOptOut(r)) fail = FAILURES[131050];
    else if (template && !inWindow && !phone.portfolio.reach.admit(a, r, portfolioLimit(phone.portfolio), now)) {
      fail = this.#tierFailure(phone.tier);
    }

    const seq = ++this.state.seq;
    this.state.counters.accepted++;
    const v = phone.webhookVersion ?? version;
    const m = this.store;
    const i = m.alloc();
    m.seq[i] = seq;
    m.recipient[i] = r;
    m.n[i] = n;
    m.phone[i] = phone.key;
    m.template[i] = template ? this.templates.id(template.template) : NONE;
    m.failure[i] = fail ? this.failures.id(fail) : NONE;
    m.type[i] = this.types.id(parsed.type);
    m.category[i] = category;
    m.step[i] = STEP_SENT;
    m.status[i] = ACCEPTED;
    m.flags[i] = sendFlags(
      // Free: service messages, and utility templates inside an open window (reference §6.1).
      !template || (inWindow && this.categories.get(category) === "utility"),
      // v24+ omits `conversation` outside free-entry-point windows (reference §4.5).
      this.#belowV24(v),
    );
    m.acceptedAt[i] = now;
    m.statusAt[i] = now;
    const [min, max] = this.options.audience.sentDelayMs;
    m.at[i] = now + min + (max - min) * a.draw(r, n, 0);
    m.content.set(i, template ? compactValues(template) : parsed.text);
    m.callback.set(i, parsed.callbackData);
    if (template?.payloads !== undefined || parsed.choices.length > 0) {
      m.extras.set(i, {
        ...(template?.payloads === undefined ? {} : { payloads: template.payloads }),
        ...(parsed.choices.length > 0 ? { choices: parsed.choices } : {}),
      });
    }
    this.#remember(r, i);
    this.scheduler.addMessage(i);
    // A plain-digit input (the usual case) needs no JSON escaping.
    const input = parsed.input === waId ? `"${waId}"` : JSON.stringify(parsed.input);
    return `{"messaging_product":"whatsapp","contacts":[{"input":${input},"wa_id":"${waId}"}],"messages":[{"id":"${outboundWamid(waId, seq)}"}]}`;
  }

  /** Queues a task (template reviews). */
  schedule(task: Task): void {
    this.scheduler.add(task);
  }

  /** Queues message i's next step (LifecycleHost). */
  scheduleMessage(i: number): void {
    this.scheduler.addMessage(i);
  }

  /** Sends one status webhook of message i (LifecycleHost). */
  emitStatus(i: number, status: number, priced: boolean): void {
    this.state.counters.statuses++;
    const m = this.store;
    const phone = this.state.phoneByKey[m.phone[i] as number] as PhoneState;
    if (phone.webhookUrl === undefined) return; // nobody to tell: skip building the JSON
    const r = m.recipient[i] as number;
    const seq = m.seq[i] as number;
    const at = m.at[i] as number;
    const flags = m.flags[i] as number;
    const category = this.categories.get(m.category[i] as number);
    const conversation = (flags & WITH_CONVERSATION) !== 0 && status !== FAILED;
    const pricing = priced ? pricingOf(category, (flags & FREE) !== 0) : undefined;
    const error = status === FAILED ? this.failures.get(m.failure[i] as number) : undefined;
    if (this.dispatcher.writesBytes) {
      const hash = conversation ? mix(this.options.seed, seq, 7) : -1;
      const w = this.#statusWriter.status(
        phone,
        this.audience.waIdKey(r),
        seq,
        status - SENT,
        at,
        m.callback.get(i),
        hash,
        category,
        pricing,
        error,
      );
      this.dispatcher.enqueueWritten(phone, w);
      return;
    }
    const waId = this.audience.waId(r);
    this.dispatcher.enqueue(
      phone,
      statusChange(phone, {
        id: outboundWamid(waId, seq),
        status: STATUS_NAMES[status] as "sent",
        at,
        recipientId: waId,
        callbackData: m.callback.get(i),
        conversation: conversation
          ? { id: this.#conversationId(seq), category, expiresAt: status === SENT ? at + 24 * 3_600_000 : undefined }
          : undefined,
        pricing,
        error,
      }),
    );
  }

  /** The simulated user answers message i, which they read (LifecycleHost). */
  reply(i: number): void {
    const m = this.store;
    const a = this.audience;
    const r = m.recipient[i] as number;
    const n = m.n[i] as number;
    const waId = a.waId(r);
    const contextId = outboundWamid(waId, m.seq[i] as number);
    const tap = a.draw(r, n, 7) < this.options.audience.buttonTapShare;
    const pick = a.draw(r, n, 8);
    const t = m.template[i] === NONE ? undefined : this.templates.get(m.template[i] as number);
    const extras = m.extras.get(i);
    const buttons = t ? quickReplies(t, extras?.payloads) : [];
    const choices = extras?.choices;
    let spec: InboundSpec;
    let answer: string;
    if (tap && buttons.length > 0) {
      const b = buttons[Math.floor(pick * buttons.length)] as { payload: string; text: string };
      spec = { button: { payload: b.payload, text: b.text }, contextId };
      answer = b.payload;
    } else if (tap && choices !== undefined) {
      const choice = choices[Math.floor(pick * choices.length)] as (typeof choices)[number];
      const { list, ...reply } = choice;
      spec = { interactive: { kind: list ? "list_reply" : "button_reply", ...reply }, contextId };
      answer = choice.id;
    } else {
      answer = a.replyText(r, n);
      spec = { text: answer };
    }
    m.replies.set(i, answer);
    this.inbound(this.state.phoneByKey[m.phone[i] as number] as PhoneState, waId, spec, m.at[i] as number);
  }

  /** A user sends a message to the business number: opens the 24-hour window and sends the webhook. */
  inbound(phone: PhoneState, from: string, spec: InboundSpec, at = this.clock.now(), name?: string): string {
    const r = this.audience.profile(from);
    const id = inboundWamid(from, ++this.state.seq);
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
    this.audience.openWindow(r, phone.id, at);
    this.state.counters.inbound++;
    this.dispatcher.enqueue(phone, inboundChange(phone, { name: name ?? this.audience.name(r), waId: from }, message));
    return id;
  }

  /** Messages a number received, oldest first (control API). */
  received(waId: string): ReceivedMessage[] {
    const r = this.audience.find(waId);
    if (r === NONE) return [];
    const slots: number[] = [];
    const limit = this.options.receivedLogLimit;
    for (
      let i = this.audience.last[r] as number;
      i !== NONE && slots.length < limit;
      i = this.store.prev[i] as number
    ) {
      slots.push(i);
    }
    return slots.reverse().map((i) => receivedView(this, i));
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
    this.store = new MessageStore();
    this.dispatcher.clear();
    this.audience.reset();
    this.state.reset(this.clock.now());
    this.#pair = new PairLimiter(this.options.pairLimit.intervalMs, this.options.pairLimit.burst);
  }

  /** Adds message i to its recipient's received log, dropping the oldest beyond the limit (amortised O(1)). */
  #remember(r: number, i: number): void {
    const a = this.audience;
    const m = this.store;
    m.prev[i] = a.last[r] as number;
    a.last[r] = i;
    const limit = this.options.receivedLogLimit;
    const length = (a.logLength[r] as number) + 1;
    a.logLength[r] = length;
    if (length <= 2 * limit) return;
    let node = i;
    for (let k = 1; k < limit && node !== NONE; k++) node = m.prev[node] as number;
    if (node !== NONE) {
      const cut = m.prev[node] as number;
      m.prev[node] = NONE;
      this.lifecycle.forget(cut);
    }
    a.logLength[r] = limit;
  }

  /** The pricing category number of a template ("marketing", "utility", "authentication"). */
  #categoryOf(t: TemplateState): number {
    let id = this.#categoryIds.get(t.category);
    if (id === undefined) {
      id = this.categories.id(t.category.toLowerCase());
      this.#categoryIds.set(t.category, id);
    }
    return id;
  }

  /** The failure of a send beyond the portfolio's messaging limit (one object per tier name). */
  #tierFailure(tier: string): Failure {
    let f = this.#tierFailures.get(tier);
    if (f === undefined) {
      f = {
        code: this.options.tierExhaustedCode,
        title: "Messaging limit reached",
        details: `The business portfolio reached its messaging limit (${tier}) of unique users outside a customer service window in 24 hours.`,
      };
      this.#tierFailures.set(tier, f);
    }
    return f;
  }

  /** True for a Graph version below v24 ("v23.0"), remembering the last answer (every send asks). */
  #belowV24(version: string): boolean {
    if (version !== this.#lastVersion) {
      this.#lastVersion = version;
      this.#lastBelowV24 = Number(version.slice(1)) < 24;
    }
    return this.#lastBelowV24;
  }

  /** The conversation id of a message for v23-and-lower webhooks. */
  #conversationId(seq: number): string {
    return hex8(mix(this.options.seed, seq, 7)) + hexLower(seq);
  }
}

/** Template values as a message keeps them: none, the one value itself, or the list / map. */
function compactValues(t: CheckedTemplate): Content {
  const v = t.values;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.length === 1 ? v[0] : v;
  return v;
}
