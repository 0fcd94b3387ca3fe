// Rate limits the sandbox enforces like Meta (reference §5.1–5.4): a token bucket per number (messages per
// second → 130429), a bucket per (number, user) pair (→ 131056) and the portfolio's moving-24-hour count of
// unique users reached outside a customer-service window (the messaging tier).

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

/** Unique users reached outside a window in a moving 24 h, per business portfolio. */
export class ReachWindow {
  readonly #firstAt = new Map<string, number>();
  readonly #order: { at: number; user: string }[] = [];
  #head = 0;
  readonly #spanMs: number;

  constructor(spanMs = 24 * 3_600_000) {
    this.#spanMs = spanMs;
  }

  /** Users currently counted. */
  count(now: number): number {
    this.#expire(now);
    return this.#firstAt.size;
  }

  /** Counts `user` if new in the window and the limit allows; false means the tier is exhausted. */
  admit(user: string, limit: number, now: number): boolean {
    this.#expire(now);
    if (this.#firstAt.has(user)) return true;
    if (this.#firstAt.size >= limit) return false;
    this.#firstAt.set(user, now);
    this.#order.push({ at: now, user });
    return true;
  }

  #expire(now: number): void {
    const cutoff = now - this.#spanMs;
    while (this.#head < this.#order.length) {
      const first = this.#order[this.#head] as { at: number; user: string };
      if (first.at > cutoff) break;
      if (this.#firstAt.get(first.user) === first.at) this.#firstAt.delete(first.user);
      this.#head++;
    }
    if (this.#head > 4096 && this.#head * 2 > this.#order.length) {
      this.#order.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
