// Every accepted message as one slot of columns ("struct of arrays"): numbers in typed arrays, and plain
// arrays only for what a message must keep as text (its body or template values, its callback data). Its
// wamid is not stored: it is rebuilt from the recipient and the sequence number when needed (wamid.ts).
//
// Why: an object per message (a 25-field flow, its id string, its values array) cost ~600 bytes kept for
// hours (reads come ~45 min later, the received log keeps 200 per user), and every young-generation GC copied
// the ones created since the last. Columns keep ~75 bytes per message outside the GC's reach. With recipients
// as columns too (audience.ts) and the scheduler threading messages by slot number (scheduler.ts):
// bench/_micro.ts, 200k sends at 20k/s, webhooks on: heap 173–201 → 65–68 MB, GC 2.6–5.3 → 0.7–0.9 s,
// 36–38 → 22–28 µs CPU/send.
import { ChunkedColumn, type Column, grown } from "./columns.js";

/** "No slot" in link columns. */
export const NONE = -1;

/** Lifecycle steps (lifecycle.ts): the next thing that happens to a message. */
export const STEP_SENT = 0;
export const STEP_DELIVERED = 1;
export const STEP_READ = 2;
export const STEP_REPLY = 3;
export const STEP_DONE = 4;

/** Statuses, as the control API names them (the index is what `status` holds). */
export const STATUS_NAMES = ["accepted", "sent", "delivered", "read", "failed"] as const;
export const ACCEPTED = 0;
export const SENT = 1;
export const DELIVERED = 2;
export const READ = 3;
export const FAILED = 4;

/** Bits of `flags`. */
export const FREE = 1; // billed as free (service message, or utility template inside an open window)
export const WITH_CONVERSATION = 2; // webhook version below v24: statuses carry `conversation`
export const PRICED = 4; // delivered or read already carried `pricing`
export const ORPHAN = 8; // dropped from the received log while still moving: free its slot when done

/** A reply button or list row of an interactive message. */
export interface Choice {
  id: string;
  title: string;
  description?: string;
  list: boolean;
}

/** Rare per-message data, kept in a map by slot. */
export interface MessageExtras {
  /** Quick-reply payloads given in a template send, by button index. */
  payloads?: (string | undefined)[];
  /** Reply buttons / list rows of an interactive message. */
  choices?: Choice[];
}

/** What a message shows as its text: free text, or template body values (positional list or named map). */
export type Content = string | string[] | Map<string, string> | undefined;

/**
 * Room for a million messages from the start: typed arrays are zero pages until written (no RSS, no page
 * faults), while growing by copies touched fresh memory twice (page faults were 0.13 per send, bench sandbox).
 */
const INITIAL_CAPACITY = 1 << 20;

/** The message columns, indexed by slot; slots of forgotten messages are reused. */
export class MessageStore {
  capacity = 0;
  #top = 0;
  readonly #free: number[] = [];

  /** state.seq at accept: with the recipient, it rebuilds the wamid. */
  seq = new Int32Array(0);
  recipient = new Int32Array(0);
  /** The recipient's message number: the key of every random draw for this message. */
  n = new Int32Array(0);
  /** PhoneState.key of the sending number. */
  phone = new Int32Array(0);
  /** Template (Simulator's interner), or NONE. */
  template = new Int32Array(0);
  /** Failure reason (Simulator's interner), or NONE. */
  failure = new Int32Array(0);
  /** Message type name and pricing category (Simulator's interners). */
  type = new Uint8Array(0);
  category = new Uint8Array(0);
  step = new Uint8Array(0);
  status = new Uint8Array(0);
  flags = new Uint8Array(0);
  acceptedAt = new Float64Array(0);
  /** When the next step is due. */
  at = new Float64Array(0);
  statusAt = new Float64Array(0);
  /** The previous message to the same user: the received log is a linked list through this column. */
  prev = new Int32Array(0);
  readonly content = new ChunkedColumn<Content>();
  readonly callback = new ChunkedColumn<string>();
  readonly extras = new Map<number, MessageExtras>();
  /** What the user answered, by slot (a few percent of messages). */
  readonly replies = new Map<number, string>();

  /** A slot for a new message (every column must then be written by the caller). */
  alloc(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const i = this.#top++;
    if (i >= this.capacity) this.#grow(Math.max(INITIAL_CAPACITY, this.capacity * 2));
    return i;
  }

  /** Forgets a message; its slot will be reused. */
  release(i: number): void {
    this.content.set(i, undefined);
    this.callback.set(i, undefined);
    this.extras.delete(i);
    this.replies.delete(i);
    this.#free.push(i);
  }

  /** Slots in use. */
  get size(): number {
    return this.#top - this.#free.length;
  }

  #grow(size: number): void {
    const self = this as unknown as Record<string, Column>;
    for (const key of COLUMNS) self[key] = grown(self[key] as Column, size);
    this.capacity = size;
  }
}

const COLUMNS = [
  "seq",
  "recipient",
  "n",
  "phone",
  "template",
  "failure",
  "type",
  "category",
  "step",
  "status",
  "flags",
  "acceptedAt",
  "at",
  "statusAt",
  "prev",
] as const satisfies readonly (keyof MessageStore)[];
