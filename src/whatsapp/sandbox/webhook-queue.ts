// The bytes of webhook changes waiting for their POST, and the POST bodies, in reused buffers.
//
// Why bytes and not strings: a batch of 1,000 statuses is ~400 KB. Built as a string (join), then encoded
// for the HMAC and again for the socket, it cost three fresh 400 KB allocations per POST, and on this VM every
// fresh 4 KB page costs a ~25 µs page fault: 6–8 ms per batch, ~10 µs per send (bench/_micro.ts: 48 → 33 µs
// CPU/send with webhooks on). Here a change is written once into a reused buffer when it is queued, and a
// batch is one copy into a pooled buffer that the HMAC and the socket read as is.

import { grown } from "./columns.js";
import type { ChangeWriter } from "./status-bytes.js";

/** Queued changes: their bytes back to back in one growing, reused buffer, each followed by a comma. */
export class ChangeQueue {
  #buf = Buffer.allocUnsafeSlow(1 << 16);
  #used = 0;
  /**
   * Item i spans [starts[i], ends[i]) and a comma follows it, so consecutive items of one entry are copied
   * into a POST body at once. meta[i] = group << 1 | duplicate. Items before `head` are taken.
   */
  #starts = new Int32Array(1024);
  #ends = new Int32Array(1024);
  #meta = new Int32Array(1024);
  #count = 0;
  #head = 0;

  /** Items waiting. */
  get length(): number {
    return this.#count - this.#head;
  }

  /** Queues one change (its text is written now, as UTF-8). `group` tells entries apart (see Dispatcher). */
  push(text: string, group: number): void {
    this.#reserve(text.length * 3 + 1);
    const start = this.#used;
    this.#used += this.#buf.write(text, start);
    this.#add(start, group << 1);
  }

  /** Queues one change written by `w` straight into the buffer. */
  pushWritten(w: ChangeWriter, group: number): void {
    this.#reserve(w.maxBytes() + 1);
    const start = this.#used;
    this.#used = w.write(this.#buf, start);
    this.#add(start, group << 1);
  }

  /** Takes the next `max` items (their indices, oldest first). */
  take(max: number): number[] {
    const n = Math.min(max, this.length);
    const out = new Array<number>(n);
    for (let k = 0; k < n; k++) out[k] = this.#head + k;
    this.#head += n;
    return out;
  }

  /** Queues a second copy of a taken item (Meta-style duplicate delivery). */
  requeueDuplicate(i: number): void {
    const length = (this.#ends[i] as number) - (this.#starts[i] as number);
    this.#reserve(length + 1);
    const start = this.#used;
    this.#buf.copy(this.#buf, start, this.#starts[i] as number, this.#ends[i] as number);
    this.#used += length;
    this.#add(start, (this.#meta[i] as number) | 1);
  }

  group(i: number): number {
    return (this.#meta[i] as number) >> 1;
  }

  duplicate(i: number): boolean {
    return ((this.#meta[i] as number) & 1) === 1;
  }

  size(i: number): number {
    return (this.#ends[i] as number) - (this.#starts[i] as number);
  }

  /**
   * Copies items into `target` at `offset`, comma-separated; returns the offset after the last. Runs of items
   * that follow each other in the queue (the usual case) are one copy.
   */
  copyTo(items: number[], target: Buffer, offset: number): number {
    let at = offset;
    for (let k = 0; k < items.length; ) {
      const first = items[k] as number;
      let last = first;
      while (k + 1 < items.length && this.#starts[items[k + 1] as number] === (this.#ends[last] as number) + 1) {
        last = items[++k] as number;
      }
      k++;
      if (at > offset) target[at++] = 0x2c; // ","
      at += this.#buf.copy(target, at, this.#starts[first] as number, this.#ends[last] as number);
    }
    return at;
  }

  /** Frees the space of taken items; call once the taken items have been copied out. */
  compact(): void {
    if (this.#head === 0) return;
    if (this.length === 0) {
      this.clear();
      return;
    }
    const from = this.#starts[this.#head] as number;
    this.#buf.copy(this.#buf, 0, from, this.#used);
    this.#used -= from;
    const n = this.length;
    for (let k = 0; k < n; k++) {
      this.#starts[k] = (this.#starts[this.#head + k] as number) - from;
      this.#ends[k] = (this.#ends[this.#head + k] as number) - from;
      this.#meta[k] = this.#meta[this.#head + k] as number;
    }
    this.#count = n;
    this.#head = 0;
  }

  /** Drops everything. */
  clear(): void {
    this.#used = 0;
    this.#count = 0;
    this.#head = 0;
  }

  #add(start: number, meta: number): void {
    if (this.#count === this.#starts.length) {
      this.#starts = grown(this.#starts, this.#count * 2);
      this.#ends = grown(this.#ends, this.#count * 2);
      this.#meta = grown(this.#meta, this.#count * 2);
    }
    this.#starts[this.#count] = start;
    this.#ends[this.#count] = this.#used;
    this.#meta[this.#count++] = meta;
    this.#buf[this.#used++] = 0x2c; // ","
  }

  #reserve(bytes: number): void {
    if (this.#used + bytes <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#used + bytes) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.#buf.copy(next, 0, 0, this.#used);
    this.#buf = next;
  }
}

/** Reused POST-body buffers: a batch borrows one and gives it back when its POST is done. */
export class BufferPool {
  readonly #free: Buffer[] = [];
  readonly #keep: number;

  constructor(keep: number) {
    this.#keep = keep;
  }

  /** A buffer of at least `size` bytes. */
  acquire(size: number): Buffer {
    for (let k = this.#free.length - 1; k >= 0; k--) {
      const b = this.#free[k] as Buffer;
      if (b.length >= size) {
        this.#free.splice(k, 1);
        return b;
      }
    }
    return Buffer.allocUnsafeSlow(Math.max(size, 1 << 19));
  }

  release(b: Buffer): void {
    if (this.#free.length < this.#keep) this.#free.push(b);
  }
}
