/**
 * A fixed-window counter of login attempts per key (client address + email, and client address
 * alone with a 5× budget so one address cannot sweep many emails). In memory: with several API
 * processes each keeps its own window, which multiplies the budget by the process count — an
 * accepted bound, documented in docs/architecture.md.
 */
export class LoginLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #max: number;
  readonly #windowMs: number;

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Counts an attempt; returns 0 when allowed, else the seconds until the next attempt is allowed. */
  hit(ip: string, email: string, now: number): number {
    const waits = [this.#hitKey(`${ip}|${email.toLowerCase()}`, this.#max, now), this.#hitKey(ip, this.#max * 5, now)];
    return Math.max(...waits);
  }

  #hitKey(key: string, max: number, now: number): number {
    if (this.#windows.size > 50_000) this.#sweep(now);
    let w = this.#windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, w);
    }
    w.count += 1;
    return w.count > max ? Math.ceil((w.resetAt - now) / 1000) : 0;
  }

  #sweep(now: number): void {
    for (const [key, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(key);
  }
}
