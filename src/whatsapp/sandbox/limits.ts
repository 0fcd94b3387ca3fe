// Rate limits the sandbox enforces like Meta (reference §5.1–5.4): a token bucket per number (messages per
// second → 130429), a bucket per (number, user) pair (→ 131056) and the portfolio's moving-24-hour count of
// unique users reached outside a customer-service window (the messaging tier).
import { grown } from "./columns.js";

/** A lazily refilled token bucket: O(1), no timers. */
export class TokenBucket {
  #tokens: number;
  #last: number;
  capacity: number;
  /** tokens per millisecond */
  rate: number;

  constructor(capacity: number, perSecond: number, now: number) {
    this.capacity = capacity;
    this.rate = perSecond / 1000;
    this.#tokens = capacity;
    this.#last = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    if (now > this.#last) {
      this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#last) * this.rate);
      this.#last = now;
    }
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }
}

/** Pair buckets, keyed by "phoneNumberId:waId": Meta allows ~1 message per 6 s with bursts up to 45. */
export class PairLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #burst: number;
  readonly #perSecond: number;

  constructor(intervalMs: number, burst: number) {
    this.#burst = burst;
    this.#perSecond = 1000 / intervalMs;
  }

  /** Takes one message of the pair's budget. */
  take(key: string, now: number): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#burst, this.#perSecond, now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  /** Forgets every pair. */
  clear(): void {
    this.#buckets.clear();
  }
}

/** The pair-budget columns of the audience (audience.ts). */
export interface PairColumns {
  pairTokens: Float64Array;
  pairLast: Float64Array;
}

/** Takes one message of a pair budget kept inline for recipient `r` (no object per pair on the hot path). */
export function takeInline(c: PairColumns, r: number, now: number, burst: number, perMs: number): boolean {
  const last = c.pairLast[r] as number;
  let tokens = Math.min(burst, (c.pairTokens[r] as number) + Math.max(0, now - last) * perMs);
  c.pairLast[r] = Math.max(last, now);
  const ok = tokens >= 1;
  if (ok) tokens -= 1;
  c.pairTokens[r] = tokens;
  return ok;
}

/** Where ReachWindow marks each user (audience.ts): when it was counted, and by which window (NONE: not). */
export interface ReachMarks {
  reachAt: Float64Array;
  reachPortfolio: Int32Array;
}

let windowIds = 0;

/**
 * Unique users reached outside a window in a moving 24 h, per business portfolio (reference §5.4). The
 * "counted at" mark lives in the audience's columns (one less large Map lookup per send); a user reached from
 * a second portfolio falls back to a map.
 */
export class ReachWindow {
  readonly #id = windowIds++;
  readonly #spanMs: number;
  /**
   * When each counted user was counted, oldest first: a queue in typed arrays [head, tail), reserved for a
   * million users up front (zero pages until written; growing by copies was 10% of the page faults).
   */
  #times = new Float64Array(1 << 20);
  #users = new Int32Array(1 << 20);
  #head = 0;
  #tail = 0;
  readonly #others = new Map<number, number>();
  #count = 0;

  constructor(spanMs = 24 * 3_600_000) {
    this.#spanMs = spanMs;
  }

  /** Users currently counted. */
  count(marks: ReachMarks, now: number): number {
    this.#expire(marks, now);
    return this.#count;
  }

  /** Counts user `r` if new in the window and the limit allows; false means the tier is exhausted. */
  admit(marks: ReachMarks, r: number, limit: number, now: number): boolean {
    this.#expire(marks, now);
    const portfolio = marks.reachPortfolio[r] as number;
    const inline = portfolio === -1 || portfolio === this.#id;
    const at = inline ? (portfolio === -1 ? undefined : marks.reachAt[r]) : this.#others.get(r);
    if (at !== undefined) return true;
    if (this.#count >= limit) return false;
    if (inline) {
      marks.reachPortfolio[r] = this.#id;
      marks.reachAt[r] = now;
    } else this.#others.set(r, now);
    this.#count++;
    if (this.#tail === this.#times.length) this.#makeRoom();
    this.#times[this.#tail] = now;
    this.#users[this.#tail++] = r;
    return true;
  }

  #expire(marks: ReachMarks, now: number): void {
    const cutoff = now - this.#spanMs;
    while (this.#head < this.#tail) {
      const at = this.#times[this.#head] as number;
      if (at > cutoff) break;
      const r = this.#users[this.#head] as number;
      if (marks.reachPortfolio[r] === this.#id && marks.reachAt[r] === at) {
        marks.reachPortfolio[r] = -1;
        this.#count--;
      } else if (this.#others.get(r) === at) {
        this.#others.delete(r);
        this.#count--;
      }
      this.#head++;
    }
  }

  /** Moves the queue to the front, or doubles it when more than half is in use. */
  #makeRoom(): void {
    const used = this.#tail - this.#head;
    if (used * 2 <= this.#times.length) {
      this.#times.copyWithin(0, this.#head, this.#tail);
      this.#users.copyWithin(0, this.#head, this.#tail);
    } else {
      this.#times = grown(this.#times.subarray(this.#head, this.#tail), this.#times.length * 2);
      this.#users = grown(this.#users.subarray(this.#head, this.#tail), this.#users.length * 2);
    }
    this.#head = 0;
    this.#tail = used;
  }
}
