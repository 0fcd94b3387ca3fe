// What happens to one accepted message: sent → delivered → read → maybe a reply, or failed, each step a
// scheduler task at a time drawn from the recipient's profile. One object per message moves through the
// steps (no closures per status), so the hot path allocates little.
import type { AudienceProfile } from "./audience.js";
import type { PricingInfo, StatusInfo } from "./payloads.js";
import type { Task } from "./scheduler.js";
import type { PhoneState, ReceivedMessage } from "./state.js";

/** The simulator services a flow needs. */
export interface FlowHost {
  readonly sentDelay: [number, number];
  draw(p: AudienceProfile, n: number, k: number): number;
  readDelay(p: AudienceProfile, n: number, deliveredAt: number): number;
  emitStatus(phone: PhoneState, s: StatusInfo): void;
  schedule(task: Task): void;
  reply(flow: MessageFlow): void;
}

/** Why a message fails after being accepted (Meta reports these as `failed` status webhooks). */
export interface Failure {
  code: number;
  title: string;
  details: string;
}

const SENT = 0;
const DELIVERED = 1;
const READ = 2;
const REPLY = 3;

function expDelay(mean: number, u: number): number {
  return -mean * Math.log(1 - u);
}

/** One accepted message moving through its statuses. */
export class MessageFlow implements Task {
  at: number;
  #step = SENT;
  #priced = false;
  #readDelay = -1;

  constructor(
    readonly host: FlowHost,
    readonly phone: PhoneState,
    readonly record: ReceivedMessage,
    readonly profile: AudienceProfile,
    /** The recipient's message number: the key of every random draw for this message. */
    readonly n: number,
    readonly pricing: PricingInfo | undefined,
    /** Conversation object for v23 and lower webhooks, else undefined. */
    readonly conversationId: string | undefined,
    readonly failure: Failure | undefined,
    readonly quickReplies: { payload: string; text: string }[],
    readonly choices: { id: string; title: string; description?: string; list: boolean }[],
    acceptedAt: number,
  ) {
    const [min, max] = host.sentDelay;
    this.at = acceptedAt + min + (max - min) * host.draw(profile, n, 0);
  }

  /** Runs the current step and schedules the next. */
  run(): void {
    const p = this.profile;
    const h = this.host;
    switch (this.#step) {
      case SENT: {
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
        const reads = h.draw(p, this.n, 3) < p.readRate;
        if (reads) this.#readDelay = h.readDelay(p, this.n, this.at);
        // Meta may skip `delivered` when a message is read at once (reference §4.2).
        const skip = reads && this.#readDelay < 1500 && h.draw(p, this.n, 4) < 0.5;
        if (!skip) this.#emit("delivered", !this.#priced);
        if (!reads) return;
        this.at += this.#readDelay;
        this.#step = READ;
        h.schedule(this);
        return;
      }
      case READ: {
        this.#emit("read", !this.#priced);
        if (h.draw(p, this.n, 5) >= p.replyRate) return;
        this.at += expDelay(p.replyDelayMeanMs, h.draw(p, this.n, 6));
        this.#step = REPLY;
        h.schedule(this);
        return;
      }
      case REPLY:
        h.reply(this);
        return;
    }
  }

  #emit(status: StatusInfo["status"], withPricing: boolean): void {
    const r = this.record;
    r.status = status;
    r.statusAt = this.at;
    // Pricing appears on `sent` and on one of delivered/read, never both (reference §4.5); the
    // `#priced` flag counts the first of delivered/read.
    let pricing: PricingInfo | undefined;
    if (status !== "failed" && this.pricing && (status === "sent" || withPricing)) {
      pricing = this.pricing;
      if (status !== "sent") this.#priced = true;
    }
    this.host.emitStatus(this.phone, {
      id: r.id,
      status,
      at: this.at,
      recipientId: r.to,
      callbackData: r.callbackData,
      conversation:
        this.conversationId !== undefined && status !== "failed" && this.pricing
          ? {
              id: this.conversationId,
              category: this.pricing.category,
              expiresAt: status === "sent" ? this.at + 24 * 3_600_000 : undefined,
            }
          : undefined,
      pricing,
      error: status === "failed" ? this.failure : undefined,
    });
  }
}
