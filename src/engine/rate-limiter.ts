/**
 * A sender number's send limiter: at most `perSecond` sends in ANY sliding one-second window.
 *
 * Meta states throughput as "80 messages per second" per number (whatsapp-platform.md §5). A token
 * bucket with capacity = rate admits a full burst and then the refill, so a one-second window can
 * hold up to 2× the rate; this limiter keeps the times of the last `perSecond` sends in a ring and
 * admits a send only when the one `perSecond` places back is at least 1,000 ms old. That is the
 * strict reading of "never above it" (DESIGN invariant 4). Cost: O(1) per send, `perSecond` numbers
 * of memory (≤ 1,000). Pure: the caller passes `now`.
 */
export class SendRateLimiter {
  #ring: Float64Array;
  #next = 0;
  #perSecond: number;
  /** Sends are refused until this time (after Meta answered 130429). */
  #pausedUntil = 0;

  constructor(perSecond: number) {
    this.#perSecond = Math.max(1, Math.floor(perSecond));
    this.#ring = new Float64Array(this.#perSecond).fill(Number.NEGATIVE_INFINITY);
  }

  get perSecond(): number {
    return this.#perSecond;
  }

  /** Changes the limit (the sender's setting changed); forgets history, which only makes it stricter for a second. */
  setRate(perSecond: number, now: number): void {
    const n = Math.max(1, Math.floor(perSecond));
    if (n === this.#perSecond) return;
    this.#perSecond = n;
    this.#ring = new Float64Array(n).fill(now);
    this.#next = 0;
  }

  /** Milliseconds to wait before a send is allowed at `now` (0 = go now). */
  waitMs(now: number): number {
    const oldest = this.#ring[this.#next] ?? Number.NEGATIVE_INFINITY;
    return Math.max(0, oldest + 1000 - now, this.#pausedUntil - now);
  }

  /** Records a send at `now`; call only when `waitMs(now) === 0`. */
  record(now: number): void {
    this.#ring[this.#next] = now;
    this.#next = (this.#next + 1) % this.#perSecond;
  }

  /** Stops sends until `until` (Meta said 130429: throughput exceeded). */
  pauseUntil(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}
