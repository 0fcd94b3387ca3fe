/** The source of "now" for code that is not pure; domain code receives `now` as an argument instead. */
export interface Clock {
  now(): number;
}

/** The wall clock: UTC epoch milliseconds. */
export const systemClock: Clock = { now: () => Date.now() };
