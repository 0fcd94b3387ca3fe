// The sandbox's clock and its one timer. Every delayed thing (a status, a reply, a webhook batch, a retry, a
// template review) waits in a time slot of `tickMs`; real mode drives them from ONE setInterval, virtual
// mode only when a test calls advance()/flush(). A setTimeout per message would cost far more at 30k sends/s.
//
// Messages are scheduled by slot number (messages.ts), not as objects: a slot's list is threaded through a
// link column, so a pending message costs 4 bytes here and nothing for the garbage collector. Other tasks
// (batches, retries, reviews: a few per second) are objects.

import { grown } from "./columns.js";

/** Something to run at a time. */
export interface Task {
  at: number;
  run(): void;
}

/** Runs scheduled messages by their slot number (lifecycle.ts). */
export interface IndexedTasks {
  at(i: number): number;
  run(i: number): void;
}

/** The sandbox's notion of now, in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** A clock that only moves when told to (tests). */
export class VirtualClock implements Clock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  /** Current virtual time. */
  now(): number {
    return this.#now;
  }

  /** Moves time forward (never back). */
  set(t: number): void {
    if (t > this.#now) this.#now = t;
  }
}

/** The wall clock. */
export const realClock: Clock = { now: () => Date.now() };

/** End of a slot's list. Entries ≥ 0 are message slots; entries ≤ -2 are object tasks (-2 - task id). */
const END = -1;

/** Near slots are a ring: 16,384 × tickMs (164 s at 10 ms) holds sent and delivered steps and batch windows. */
const RING = 1 << 14;
const RING_MASK = RING - 1;
/**
 * Later entries wait in buckets of 4,096 slots (41 s at 10 ms): reads spread over hours make a few hundred
 * map keys, not one per read (with 128-slot buckets the map still had ~14k keys and its rehashing was 9% of
 * the page faults, bench sandbox).
 */
const BUCKET = 1 << 12;

/**
 * Time slots, each a FIFO list of entries. Slots near the cursor sit in a ring of list heads (array indexing,
 * no hashing); later ones (reads ~45 min out, retries) in buckets of BUCKET slots kept in maps and a min-heap.
 * A bucket moves into the ring as a whole once the ring reaches its last slot, and entries for its slots go
 * to the bucket until then, so every slot's list stays in insertion order. (A map key per slot cost ~4% of
 * the sandbox's time in lookups, and its rehashing a quarter of its page faults, bench sandbox.)
 */
export class Scheduler {
  readonly #tickMs: number;
  /** Slot numbers are counted from here, so they stay small integers. */
  readonly #base: number;
  readonly #messages: IndexedTasks;
  /** Every slot before the cursor has run. */
  #cursor = 0;
  readonly #ringHead = new Int32Array(RING).fill(END);
  readonly #ringTail = new Int32Array(RING).fill(END);
  /** Non-empty ring slots. */
  #ringSlots = 0;
  /** Buckets not yet in the ring: list head and tail by bucket number, and a min-heap of bucket numbers. */
  readonly #farHead = new Map<number, number>();
  readonly #farTail = new Map<number, number>();
  readonly #farHeap: number[] = [];
  /** Links of message entries, by message slot (reserved like the message columns: zero pages until used). */
  #next = new Int32Array(1 << 20);
  readonly #tasks: (Task | undefined)[] = [];
  readonly #taskNext: number[] = [];
  readonly #freeTasks: number[] = [];
  #size = 0;

  constructor(tickMs: number, start: number, messages: IndexedTasks) {
    this.#tickMs = tickMs;
    this.#base = Math.floor(start / tickMs);
    this.#messages = messages;
  }

  /** Number of entries waiting. */
  get size(): number {
    return this.#size;
  }

  /** Queues a task for its `at` time. */
  add(task: Task): void {
    let id = this.#freeTasks.pop();
    if (id === undefined) {
      id = this.#tasks.length;
      this.#tasks.push(task);
      this.#taskNext.push(END);
    } else this.#tasks[id] = task;
    this.#append(this.#slotOf(task.at), -2 - id);
  }

  /** Queues message slot `i` for its `at` time (IndexedTasks). */
  addMessage(i: number): void {
    if (i >= this.#next.length) this.#next = grown(this.#next, Math.max(i + 1, this.#next.length * 2));
    this.#append(this.#slotOf(this.#messages.at(i)), i);
  }

  /** The earliest time any entry may be due, or undefined when empty. */
  nextAt(): number | undefined {
    let head = END;
    if (this.#ringSlots > 0) {
      for (let s = this.#cursor; head === END; s++) head = this.#ringHead[s & RING_MASK] as number;
    } else if (this.#farHeap.length > 0) head = this.#farHead.get(this.#farHeap[0] as number) as number;
    if (head === END) return undefined;
    let min = Number.POSITIVE_INFINITY;
    for (let e = head; e !== END; e = this.#link(e)) min = Math.min(min, this.#at(e));
    return min;
  }

  /**
   * Runs every entry due at or before `now`, in time order (entries of one slot are sorted by time, ties keep
   * insertion order), including entries that running ones add for times already due. `beforeRun` lets a
   * virtual clock step to each entry's time. Returns how many ran.
   */
  runDue(now: number, beforeRun?: (at: number) => void): number {
    let ran = 0;
    const nowSlot = Math.floor(now / this.#tickMs) - this.#base;
    while (this.#seek(nowSlot)) {
      const slot = this.#cursor;
      const list = this.#entries(slot);
      if (slot === nowSlot) {
        // The current slot may hold entries later than now: run only the due ones.
        const due = list.filter((e) => this.#at(e) <= now);
        if (due.length === 0) break;
        const rest = due.length === list.length ? [] : list.filter((e) => this.#at(e) > now);
        this.#clearSlot(slot);
        for (const e of rest) this.#appendToRing(slot, e);
        ran += this.#runList(due, beforeRun);
        if (rest.length > 0) break;
        continue;
      }
      this.#clearSlot(slot);
      ran += this.#runList(list, beforeRun);
    }
    return ran;
  }

  /** Drops every entry. */
  clear(): void {
    this.#ringHead.fill(END);
    this.#ringTail.fill(END);
    this.#ringSlots = 0;
    this.#farHead.clear();
    this.#farTail.clear();
    this.#farHeap.length = 0;
    this.#tasks.length = 0;
    this.#taskNext.length = 0;
    this.#freeTasks.length = 0;
    this.#size = 0;
  }

  /**
   * Moves the cursor to the first non-empty slot, but not past `limit`; true when that slot has entries.
   * Far slots the ring reaches on the way move into it.
   */
  #seek(limit: number): boolean {
    for (;;) {
      if (this.#ringSlots === 0) {
        // Nothing near: jump to the first far bucket (or to the limit).
        const bucket = this.#farHeap[0];
        const far = bucket === undefined ? undefined : bucket * BUCKET;
        if (far === undefined || far > limit) {
          if (limit > this.#cursor) this.#cursor = limit;
          this.#pullFar();
          if (this.#ringSlots === 0) return false;
          continue;
        }
        if (far > this.#cursor) this.#cursor = far;
        this.#pullFar();
      }
      if (this.#ringHead[this.#cursor & RING_MASK] !== END) return true;
      if (this.#cursor >= limit) return false;
      this.#cursor++;
      this.#pullFar();
    }
  }

  /** Moves buckets the ring now covers into it (their slots' ring lists are empty: see #append). */
  #pullFar(): void {
    const heap = this.#farHeap;
    while (heap.length > 0 && this.#near(heap[0] as number)) {
      const bucket = heap[0] as number;
      this.#pop();
      let e = this.#farHead.get(bucket) as number;
      this.#farHead.delete(bucket);
      this.#farTail.delete(bucket);
      while (e !== END) {
        const next = this.#link(e);
        this.#appendToRing(Math.max(this.#slotOf(this.#at(e)), this.#cursor), e);
        e = next;
      }
    }
  }

  /** True when all of the bucket's slots are within the ring's reach. */
  #near(bucket: number): boolean {
    return (bucket + 1) * BUCKET <= this.#cursor + RING;
  }

  #slotOf(at: number): number {
    return Math.floor(at / this.#tickMs) - this.#base;
  }

  #at(e: number): number {
    return e >= 0 ? this.#messages.at(e) : (this.#tasks[-2 - e] as Task).at;
  }

  #link(e: number): number {
    return e >= 0 ? (this.#next[e] as number) : (this.#taskNext[-2 - e] as number);
  }

  #setLink(e: number, to: number): void {
    if (e >= 0) this.#next[e] = to;
    else this.#taskNext[-2 - e] = to;
  }

  #append(slot: number, e: number): void {
    this.#size++;
    // Already past: it runs with the cursor's slot (time order is restored by `at` when a virtual clock runs).
    const s = Math.max(slot, this.#cursor);
    const bucket = Math.floor(s / BUCKET);
    if (this.#near(bucket)) {
      this.#appendToRing(s, e);
      return;
    }
    this.#setLink(e, END);
    const tail = this.#farTail.get(bucket);
    if (tail === undefined) {
      this.#farHead.set(bucket, e);
      this.#push(bucket);
    } else this.#setLink(tail, e);
    this.#farTail.set(bucket, e);
  }

  #appendToRing(slot: number, e: number): void {
    this.#setLink(e, END);
    const at = slot & RING_MASK;
    const tail = this.#ringTail[at] as number;
    if (tail === END) {
      this.#ringHead[at] = e;
      this.#ringSlots++;
    } else this.#setLink(tail, e);
    this.#ringTail[at] = e;
  }

  /** A ring slot's entries in insertion order. */
  #entries(slot: number): number[] {
    const out: number[] = [];
    for (let e = this.#ringHead[slot & RING_MASK] as number; e !== END; e = this.#link(e)) out.push(e);
    return out;
  }

  #clearSlot(slot: number): void {
    const at = slot & RING_MASK;
    if (this.#ringHead[at] === END) return;
    this.#ringHead[at] = END;
    this.#ringTail[at] = END;
    this.#ringSlots--;
  }

  #runList(list: number[], beforeRun?: (at: number) => void): number {
    if (beforeRun) list.sort((a, b) => this.#at(a) - this.#at(b));
    this.#size -= list.length;
    for (const e of list) {
      if (e >= 0) {
        beforeRun?.(this.#messages.at(e));
        this.#messages.run(e);
        continue;
      }
      const id = -2 - e;
      const task = this.#tasks[id] as Task;
      this.#tasks[id] = undefined;
      this.#freeTasks.push(id);
      beforeRun?.(task.at);
      task.run();
    }
    return list.length;
  }

  #push(bucket: number): void {
    const h = this.#farHeap;
    h.push(bucket);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((h[parent] as number) <= bucket) break;
      h[i] = h[parent] as number;
      i = parent;
    }
    h[i] = bucket;
  }

  #pop(): void {
    const h = this.#farHeap;
    const last = h.pop() as number;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && (h[r] as number) < (h[l] as number) ? r : l;
      if ((h[c] as number) >= last) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = last;
  }
}
