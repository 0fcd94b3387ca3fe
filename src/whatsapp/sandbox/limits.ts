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

/** Takes one message of a pair budget kept inline on a recipient (no object per pair on the hot path). */
export function takeInline(
  r: { pairTokens: number; pairLast: number },
  now: number,
  burst: number,
  perMs: number,
): boolean {
  r.pairTokens = Math.min(burst, r.pairTokens + Math.max(0, now - r.pairLast) * perMs);
  r.pairLast = Math.max(r.pairLast, now);
  if (r.pairTokens >= 1) {
    r.pairTokens -= 1;
    return true;
  }
  return false;
}

/** What ReachWindow keeps on each user: when it was counted, and in which portfolio. */
export interface ReachMark {
  reachAt: number;
  reachPortfolio: string | undefined;
}

/**
 * Unique users reached outside a window in a moving 24 h, per business portfolio (reference §5.4). The
 * "counted at" mark lives on the user object itself (one less large Map lookup per send); a user reached from
 * a second portfolio falls back to a map.
 */
export class ReachWindow {
  readonly #id: string;
  readonly #spanMs: number;
  readonly #times: number[] = [];
  readonly #users: ReachMark[] = [];
  readonly #others = new Map<ReachMark, number>();
  #head = 0;
  #count = 0;

  constructor(id: string, spanMs = 24 * 3_600_000) {
    this.#id = id;
    this.#spanMs = spanMs;
  }

  /** Users currently counted. */
  count(now: number): number {
    this.#expire(now);
    return this.#count;
  }

  /** Counts `user` if new in the window and the limit allows; false means the tier is exhausted. */
  admit(user: ReachMark, limit: number, now: number): boolean {
    this.#expire(now);
    const inline = user.reachPortfolio === undefined || user.reachPortfolio === this.#id;
    const at = inline ? (user.reachPortfolio === undefined ? undefined : user.reachAt) : this.#others.get(user);
    if (at !== undefined) return true;
    if (this.#count >= limit) return false;
    if (inline) {
      user.reachPortfolio = this.#id;
      user.reachAt = now;
    } else this.#others.set(user, now);
    this.#count++;
    this.#times.push(now);
    this.#users.push(user);
    return true;
  }

  #expire(now: number): void {
    const cutoff = now - this.#spanMs;
    while (this.#head < this.#times.length) {
      const at = this.#times[this.#head] as number;
      if (at > cutoff) break;
      const user = this.#users[this.#head] as ReachMark;
      this.#users[this.#head] = undefined as unknown as ReachMark;
      if (user.reachPortfolio === this.#id && user.reachAt === at) {
        user.reachPortfolio = undefined;
        this.#count--;
      } else if (this.#others.get(user) === at) {
        this.#others.delete(user);
        this.#count--;
      }
      this.#head++;
    }
    if (this.#head > 4096 && this.#head * 2 > this.#times.length) {
      this.#times.splice(0, this.#head);
      this.#users.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
