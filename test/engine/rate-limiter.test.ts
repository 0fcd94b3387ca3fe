import { describe, expect, it } from "vitest";
import { SendRateLimiter } from "../../src/engine/rate-limiter.js";

/**
 * Sends as fast as the limiter allows from `start` for `ms`, on a simulated clock; returns the send times. With
 * `wholeMs` the clock moves in whole milliseconds, as Date.now() does.
 */
function run(limiter: SendRateLimiter, start: number, ms: number, wholeMs = false): number[] {
  const times: number[] = [];
  for (let now = start; now < start + ms; ) {
    const wait = limiter.waitMs(now);
    if (wait > 0) {
      now += wholeMs ? Math.ceil(wait) : wait;
      continue;
    }
    limiter.record(now);
    times.push(now);
  }
  return times;
}

const busiest = (times: number[], windowMs: number) => {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};

describe("send rate limiter", () => {
  it("never admits more than the rate in any window of 1 s plus the margin", () => {
    const times = run(new SendRateLimiter(80, { marginMs: 20 }), 0, 10_000);
    expect(busiest(times, 1020)).toBe(80);
    // Throughput is the rate less the margin's share: 80 × 1000 / 1020 ≈ 78.4 per second.
    expect(times.length).toBeGreaterThanOrEqual(782);
  });

  it("by default keeps 1,000 msg/s within 1,000 in any 1,005 ms and loses only the margin's 0.5%", () => {
    const times = run(new SendRateLimiter(1_000), 0, 100_000, true);
    expect(busiest(times, 1_005)).toBe(1_000);
    expect(times.length).toBeGreaterThanOrEqual(99_500);
    expect(times.length).toBeLessThanOrEqual(100_000);
  });

  it("spaces sends evenly instead of sending the whole second's budget at once", () => {
    const times = run(new SendRateLimiter(100, { marginMs: 0 }), 0, 1_000);
    // Only the first two may share an instant (one gap of tolerance); then one every 10 ms.
    expect(times.slice(0, 4)).toEqual([0, 0, 10, 20]);
    expect(busiest(times, 100)).toBeLessThanOrEqual(11);
  });

  it("lets a late timer catch up by one gap, not more", () => {
    const limiter = new SendRateLimiter(100, { marginMs: 0 });
    limiter.record(0);
    limiter.record(0);
    // The next send was due at 10 ms; a timer that fires at 35 ms may send twice at once, not three times.
    expect(limiter.waitMs(35)).toBe(0);
    limiter.record(35);
    expect(limiter.waitMs(35)).toBe(0);
    limiter.record(35);
    expect(limiter.waitMs(35)).toBeGreaterThan(0);
  });

  it("at 1,000 msg/s lets a timer that fires 40 ms late send 50 at once (a busy event loop), never more in a second", () => {
    const limiter = new SendRateLimiter(1_000);
    limiter.record(0);
    let burst = 0;
    while (limiter.waitMs(40) === 0) {
      limiter.record(40);
      burst++;
    }
    // 50 ms of tolerance: the slot of 40 ms plus 50 more (the 10 ms of lower rates held it to 10 per wake-up).
    expect(burst).toBeGreaterThanOrEqual(50);
    expect(burst).toBeLessThanOrEqual(52);
    // Any 1,005 ms still holds at most 1,000.
    const times = run(limiter, 40, 10_000, true);
    expect(busiest(times, 1_005)).toBeLessThanOrEqual(1_000);
  });

  it("waits after a pause (130429, or a number taken over from another process)", () => {
    const limiter = new SendRateLimiter(10);
    limiter.pauseUntil(1_000);
    expect(limiter.waitMs(0)).toBe(1_000);
    expect(limiter.waitMs(1_000)).toBe(0);
  });
});
