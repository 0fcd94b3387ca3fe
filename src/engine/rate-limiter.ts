/**
 * A sender number's send limiter: at most `perSecond` sends in ANY sliding window of `windowMs`
 * (1,000 ms plus a margin), spaced evenly.
 *
 * Meta states throughput as "80 messages per second" per number (whatsapp-platform.md §5). A token
 * bucket with capacity = rate admits a full burst and then the refill, so a one-second window can
 * hold up to 2× the rate; this limiter keeps the times of the last `perSecond` sends in a ring and
 * admits a send only when the one `perSecond` places back is at least `windowMs` old. That is the
 * strict reading of "never above it" (DESIGN invariant 4), for the times requests leave.
 *
 * Meta counts when requests arrive, which can bunch up on the way (network, the receiver's own
 * pauses). Two measures keep arrivals within the limit too: sends are spaced evenly (`windowMs /
 * perSecond` apart, the generic cell rate algorithm, with one gap of tolerance so a late timer can
 * catch up), rather than a burst of `perSecond` at the start of each second whose tail can meet the
 * next burst's head; and the window is `windowMs` = 1,000 ms + a margin, so arrivals may shift by up to
 * the margin relative to each other. The margin costs its share of the rate (20 ms: 2%, a 100-second campaign
 * at 1,000 msg/s took 102 s before any other delay), so it is 5 ms (0.5%): enough for the jitter of the way there
 * (sends leave evenly spaced, over keep-alive connections), while what bunches arrivals by tens of milliseconds is
 * the receiver's own pauses, which no margin of a few percent covers (test/e2e/workers.e2e.test.ts: the sandbox in
 * the test's busy process took 108/100 in a second with 99/100 sent at a 20 ms margin). Meta and the sandbox count
 * with a bucket of one second's capacity, which such bursts do not empty: 0 × 130429 at 5 ms (bench campaign
 * --part rate, 100,000 at 1,000 msg/s; workers e2e at 100 msg/s).
 * Cost: O(1) per send, `perSecond` numbers of memory (≤ 1,000). Pure: the caller passes `now`.
 */
export const DEFAULT_MARGIN_MS = 5;
const TOLERANCE_MS = 10;
/** Above 200 msg/s the tolerance grows with the rate: rate / 20 ms, up to 50 ms (50 sends at 1,000/s). */
const MAX_TOLERANCE_MS = 50;

function toleranceOf(perSecond: number, gapMs: number): number {
  return Math.max(gapMs, TOLERANCE_MS, Math.min(MAX_TOLERANCE_MS, perSecond / 20));
}

export class SendRateLimiter {
  #ring: Float64Array;
  #next = 0;
  #perSecond: number;
  readonly #windowMs: number;
  /** Even spacing between sends, and the theoretical time of the next send (GCRA). */
  #gapMs: number;
  /**
   * How far ahead of its even slot a send may go: one gap, and at least TOLERANCE_MS. At 1,000 msg/s the gap is
   * ~1 ms, below what a timer can wait, so one gap of tolerance held the rate to ~860/s (bench campaign --part rate);
   * 10 ms lets a late timer catch up with a handful of sends, still within the sliding window above. Above 200
   * msg/s it grows with the rate (rate / 20 ms, at most 50 ms): a busy event loop runs timers every 20–40 ms, and
   * 10 sends per wake-up held automatic replies to ~450/s in a freshly started process while 500/s arrived (bench
   * autoreply, the cold start). The sliding window still caps every second at the rate.
   */
  #toleranceMs: number;
  #nextAt = Number.NEGATIVE_INFINITY;
  /** Sends are refused until this time (after Meta answered 130429, or while taking a number over). */
  #pausedUntil = 0;

  constructor(perSecond: number, options: { marginMs?: number } = {}) {
    this.#perSecond = Math.max(1, Math.floor(perSecond));
    this.#windowMs = 1000 + Math.max(0, options.marginMs ?? DEFAULT_MARGIN_MS);
    this.#gapMs = this.#windowMs / this.#perSecond;
    this.#toleranceMs = toleranceOf(this.#perSecond, this.#gapMs);
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
    this.#gapMs = this.#windowMs / n;
    this.#toleranceMs = toleranceOf(this.#perSecond, this.#gapMs);
    this.#ring = new Float64Array(n).fill(now);
    this.#next = 0;
  }

  /** Milliseconds to wait before a send is allowed at `now` (0 = go now). */
  waitMs(now: number): number {
    const oldest = this.#ring[this.#next] ?? Number.NEGATIVE_INFINITY;
    return Math.max(0, oldest + this.#windowMs - now, this.#pausedUntil - now, this.#nextAt - this.#toleranceMs - now);
  }

  /** Records a send at `now`; call only when `waitMs(now) === 0`. */
  record(now: number): void {
    this.#ring[this.#next] = now;
    this.#next = (this.#next + 1) % this.#perSecond;
    this.#nextAt = Math.max(this.#nextAt, now) + this.#gapMs;
  }

  /** Stops sends until `until` (Meta said 130429: throughput exceeded; or another process had the number). */
  pauseUntil(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}
