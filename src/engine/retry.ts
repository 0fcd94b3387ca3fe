/**
 * Retry delays, a pure function of the attempt number (River's `NextRetryAt(now, job)`): exponential
 * from `baseMs`, capped at `maxMs`, with ±20% jitter from `random` so a burst of failures does not
 * come back as a burst. Callers pass their own clock and random source.
 */
export function retryDelayMs(
  attempt: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jitter = 0.8 + 0.4 * random();
  return Math.round(exponential * jitter);
}
