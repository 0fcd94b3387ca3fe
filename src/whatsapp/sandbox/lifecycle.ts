// What happens to one accepted message: sent → delivered → read → maybe a reply, or failed, each step a
// scheduler task at a time drawn from the recipient's profile. The flow object is also the message's entry in
// the recipient's received log: one small object per message, kept until its last step, and no closures —
// at 30k sends/s the retained bytes per message decide the garbage collector's cost.
import type { Recipient } from "./audience.js";
import type { PricingInfo, StatusInfo } from "./payloads.js";
import type { Task } from "./scheduler.js";
import type { MessageRecord, PhoneState, ReceivedMessage, TemplateState } from "./state.js";

/** The simulator services a flow needs. */
export interface FlowHost {
  readonly sentDelay: [number, number];
  draw(p: Recipient, n: number, k: number): number;
  readDelay(p: Recipient, n: number, deliveredAt: number): number;
  emitStatus(phone: PhoneState, s: StatusInfo): void;
  conversationId(seq: number): string;
  schedule(task: Task): void;
  reply(flow: MessageFlow): void;
}

/** Why a message fails after being accepted (Meta reports these as `failed` status webhooks). */
export interface Failure {
  code: number;
  title: string;
  details: string;
}

/** What a send carries besides its text: the template filled in, or the choices of an interactive message. */
export interface FlowContent {
  type: string;
  text: string | undefined;
  template: TemplateState | undefined;
  /** Body values of a template (positional list or named map), to show the filled-in text. */
  values: string[] | Map<string, string> | undefined;
  /** Quick-reply payloads given in the send, by button index. */
  payloads: (string | undefined)[] | undefined;
  choices: { id: string; title: string; description?: string; list: boolean }[] | undefined;
  callbackData: string | undefined;
}

const SENT = 0;
const DELIVERED = 1;
const READ = 2;
const REPLY = 3;
const DONE = 4;

function expDelay(mean: number, u: number): number {
  return -mean * Math.log(1 - u);
}

const pricingCache = new Map<string, PricingInfo>();

/** Per-message pricing (since 1 July 2025, reference §6.1), shared objects per (category, free). */
function pricingOf(category: string, free: boolean): PricingInfo {
  const key = free ? `f${category}` : category;
  let p = pricingCache.get(key);
  if (!p) {
    p = { billable: !free, type: free ? "free_customer_service" : "regular", category };
    pricingCache.set(key, p);
  }
  return p;
}

/** One accepted message moving through its statuses; also its entry in the received log. */
export class MessageFlow implements Task, MessageRecord {
  at: number;
  status: ReceivedMessage["status"] = "accepted";
  statusAt: number;
  reply: string | undefined = undefined;
  prev: MessageRecord | undefined = undefined;
  #step = SENT;
  #priced = false;
  readonly type: string;
  readonly text: string | undefined;
  readonly template: TemplateState | undefined;
  readonly values: string[] | Map<string, string> | undefined;
  readonly payloads: (string | undefined)[] | undefined;
  readonly choices: FlowContent["choices"];
  readonly callbackData: string | undefined;

  constructor(
    readonly host: FlowHost,
    readonly phone: PhoneState,
    readonly recipient: Recipient,
    /** The recipient's message number: the key of every random draw for this message. */
    readonly n: number,
    readonly seq: number,
    readonly id: string,
    content: FlowContent,
    /** "marketing", "utility", "authentication" or "service" */
    readonly category: string,
    /** free: service messages, and utility templates inside an open window */
    readonly free: boolean,
    /** true when the webhook version is below v24 (v24+ omits `conversation`, reference §4.5) */
    readonly withConversation: boolean,
    readonly failure: Failure | undefined,
    readonly acceptedAt: number,
  ) {
    // The content is copied into fields, not kept as an object: one object per message instead of two.
    this.type = content.type;
    this.text = content.text;
    this.template = content.template;
    this.values = content.values;
    this.payloads = content.payloads;
    this.choices = content.choices;
    this.callbackData = content.callbackData;
    const [min, max] = host.sentDelay;
    this.statusAt = acceptedAt;
    this.at = acceptedAt + min + (max - min) * host.draw(recipient, n, 0);
  }

  /** Runs the current step and schedules the next. */
  run(): void {
    const p = this.recipient;
    const h = this.host;
    switch (this.#step) {
      case SENT: {
        this.#step = DONE;
        if (this.failure) {
          this.#emit("failed", false);
          return;
        }
        this.#emit("sent", true);
        if (h.draw(p, this.n, 1) >= p.deliveryRate) return; // stays "sent": the phone never came online
        this.at += expDelay(p.deliveryDelayMeanMs, h.draw(p, this.n, 2));
        this.#step = DELIVERED;
        h.schedule(this);
        return;
      }
      case DELIVERED: {
        this.#step = DONE;
        const reads = h.draw(p, this.n, 3) < p.readRate;
        const readDelay = reads ? h.readDelay(p, this.n, this.at) : 0;
        // Meta may skip `delivered` when a message is read at once (reference §4.2).
        const skip = reads && readDelay < 1500 && h.draw(p, this.n, 4) < 0.5;
        if (!skip) this.#emit("delivered", true);
        if (!reads) return;
        this.at += readDelay;
        this.#step = READ;
        h.schedule(this);
        return;
      }
      case READ: {
        this.#step = DONE;
        this.#emit("read", true);
        if (h.draw(p, this.n, 5) >= p.replyRate) return;
        this.at += expDelay(p.replyDelayMeanMs, h.draw(p, this.n, 6));
        this.#step = REPLY;
        h.schedule(this);
        return;
      }
      case REPLY:
        this.#step = DONE;
        h.reply(this);
        return;
    }
  }

  /** The entry as the control API shows it. */
  view(): ReceivedMessage {
    const t = this.template;
    return {
      id: this.id,
      phoneNumberId: this.phone.id,
      to: this.recipient.waId,
      type: this.type,
      at: this.acceptedAt,
      status: this.status,
      statusAt: Math.floor(this.statusAt),
      text: t ? fill(t.body, this.values) : this.text,
      template: t ? { name: t.name, language: t.language, category: t.category } : undefined,
      callbackData: this.callbackData,
      error: this.failure ? { code: this.failure.code, title: this.failure.title } : undefined,
      reply: this.reply,
    };
  }

  #emit(status: StatusInfo["status"], mayPrice: boolean): void {
    this.status = status;
    this.statusAt = this.at;
    // Pricing appears on `sent` and on one of delivered/read, never both (reference §4.5).
    let pricing: PricingInfo | undefined;
    if (status !== "failed" && mayPrice && (status === "sent" || !this.#priced)) {
      pricing = pricingOf(this.category, this.free);
      if (status !== "sent") this.#priced = true;
    }
    this.host.emitStatus(this.phone, {
      id: this.id,
      status,
      at: this.at,
      recipientId: this.recipient.waId,
      callbackData: this.callbackData,
      conversation:
        this.withConversation && status !== "failed"
          ? {
              id: this.host.conversationId(this.seq),
              category: this.category,
              expiresAt: status === "sent" ? this.at + 24 * 3_600_000 : undefined,
            }
          : undefined,
      pricing,
      error: status === "failed" ? this.failure : undefined,
    });
  }
}

/** Fills a template body with its values (positional list or named map). */
export function fill(text: string, values: string[] | Map<string, string> | undefined): string {
  if (values === undefined) return text;
  return text.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/g, (whole, key: string) =>
    Array.isArray(values) ? (values[Number(key) - 1] ?? whole) : (values.get(key) ?? whole),
  );
}
