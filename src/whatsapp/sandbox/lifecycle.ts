// What happens to one accepted message: sent → delivered → read → maybe a reply, or failed, each step a
// scheduler entry at a time drawn from the recipient's profile. A message is a slot of the message columns
// (messages.ts), so a step is a function of the slot number: no object and no closure per message.
import type { Audience } from "./audience.js";
import {
  DELIVERED,
  FAILED,
  FREE,
  type MessageStore,
  NONE,
  ORPHAN,
  PRICED,
  READ,
  SENT,
  STATUS_NAMES,
  STEP_DELIVERED,
  STEP_DONE,
  STEP_READ,
  STEP_REPLY,
  STEP_SENT,
  WITH_CONVERSATION,
} from "./messages.js";
import type { IndexedTasks } from "./scheduler.js";
import type { ReceivedMessage } from "./state.js";

/** What the lifecycle needs from the simulator. */
export interface LifecycleHost {
  readonly store: MessageStore;
  readonly audience: Audience;
  /** Schedules message slot `i` for store.at[i]. */
  scheduleMessage(i: number): void;
  /** Sends the status webhook of message `i` (status: SENT…FAILED; priced: carries `pricing`). */
  emitStatus(i: number, status: number, priced: boolean): void;
  /** The simulated user answers message `i`. */
  reply(i: number): void;
}

function expDelay(mean: number, u: number): number {
  return -mean * Math.log(1 - u);
}

/** Runs the steps of scheduled messages. */
export class Lifecycle implements IndexedTasks {
  readonly #host: LifecycleHost;

  constructor(host: LifecycleHost) {
    this.#host = host;
  }

  at(i: number): number {
    return this.#host.store.at[i] as number;
  }

  /** Runs message i's current step and schedules the next. */
  run(i: number): void {
    const h = this.#host;
    const m = h.store;
    const a = h.audience;
    const r = m.recipient[i] as number;
    const n = m.n[i] as number;
    switch (m.step[i]) {
      case STEP_SENT: {
        m.step[i] = STEP_DONE;
        if (m.failure[i] !== NONE) {
          this.#emit(i, FAILED);
          break;
        }
        this.#emit(i, SENT);
        if (a.draw(r, n, 1) >= a.deliveryRate(r)) break; // stays "sent": the phone never came online
        m.at[i] = (m.at[i] as number) + expDelay(a.deliveryDelayMeanMs(r), a.draw(r, n, 2));
        m.step[i] = STEP_DELIVERED;
        h.scheduleMessage(i);
        return;
      }
      case STEP_DELIVERED: {
        m.step[i] = STEP_DONE;
        const reads = a.draw(r, n, 3) < a.readRate(r);
        const readDelay = reads ? a.readDelay(r, n, m.at[i] as number) : 0;
        // Meta may skip `delivered` when a message is read at once (reference §4.2).
        const skip = reads && readDelay < 1500 && a.draw(r, n, 4) < 0.5;
        if (!skip) this.#emit(i, DELIVERED);
        if (!reads) break;
        m.at[i] = (m.at[i] as number) + readDelay;
        m.step[i] = STEP_READ;
        h.scheduleMessage(i);
        return;
      }
      case STEP_READ: {
        m.step[i] = STEP_DONE;
        this.#emit(i, READ);
        if (a.draw(r, n, 5) >= a.replyRate(r)) break;
        m.at[i] = (m.at[i] as number) + expDelay(a.replyDelayMeanMs(r), a.draw(r, n, 6));
        m.step[i] = STEP_REPLY;
        h.scheduleMessage(i);
        return;
      }
      case STEP_REPLY:
        m.step[i] = STEP_DONE;
        h.reply(i);
        break;
    }
    // Done: a message already dropped from its recipient's log frees its slot now.
    if ((m.flags[i] as number) & ORPHAN) m.release(i);
  }

  /** Forgets messages cut from a received log; those still moving are freed when done. */
  forget(from: number): void {
    const m = this.#host.store;
    for (let i = from; i !== NONE; ) {
      const prev = m.prev[i] as number;
      if (m.step[i] === STEP_DONE) m.release(i);
      else m.flags[i] = (m.flags[i] as number) | ORPHAN;
      i = prev;
    }
  }

  #emit(i: number, status: number): void {
    const m = this.#host.store;
    m.status[i] = status;
    m.statusAt[i] = m.at[i] as number;
    // Pricing appears on `sent` and on one of delivered/read, never both (reference §4.5).
    let priced = false;
    if (status === SENT) priced = true;
    else if (status !== FAILED && ((m.flags[i] as number) & PRICED) === 0) {
      priced = true;
      m.flags[i] = (m.flags[i] as number) | PRICED;
    }
    this.#host.emitStatus(i, status, priced);
  }
}

/** Bits a send sets on a message's flags. */
export function sendFlags(free: boolean, withConversation: boolean): number {
  return (free ? FREE : 0) | (withConversation ? WITH_CONVERSATION : 0);
}

/** The control API's view of a status number. */
export function statusName(status: number): ReceivedMessage["status"] {
  return STATUS_NAMES[status] as ReceivedMessage["status"];
}

/** Fills a template body with its values (positional list or named map). */
export function fill(text: string, values: string[] | Map<string, string> | undefined): string {
  if (values === undefined) return text;
  return text.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/g, (whole, key: string) =>
    Array.isArray(values) ? (values[Number(key) - 1] ?? whole) : (values.get(key) ?? whole),
  );
}
