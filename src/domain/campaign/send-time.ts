/**
 * "Each recipient's best local hour" (issue 5): the hour of day, in the recipient's time zone, at which
 * they have most often read or answered our messages; without history, a default hour. The send is
 * due at the next occurrence of that hour (at least `now`). Pure: times and a zone in, a time out.
 */
import { epochFromLocal, localDateTime } from "../consent/local-time.js";

/**
 * Without history: 10 o'clock local. People read most at 10–12h and 20–22h (the sandbox's audience
 * model mirrors that rhythm); 20–22h falls in Korea's legal quiet hours for advertising (21–8h), so
 * the morning peak is the safe default.
 */
export const DEFAULT_BEST_HOUR = 10;
/** Fewer engagements than this are noise: use the default. */
export const MIN_ENGAGEMENTS = 3;

/** The local hour (0–23) with the most reads/replies, ties to the earliest; null below MIN_ENGAGEMENTS. */
export function bestLocalHour(engagedAt: readonly number[], timeZone: string): number | null {
  if (engagedAt.length < MIN_ENGAGEMENTS) return null;
  const counts = new Array<number>(24).fill(0);
  for (const at of engagedAt) {
    const hour = localDateTime(at, timeZone).hour;
    counts[hour] = (counts[hour] ?? 0) + 1;
  }
  let best = 0;
  for (let h = 1; h < 24; h++) if ((counts[h] ?? 0) > (counts[best] ?? 0)) best = h;
  return best;
}

/** The next time (≥ now) the clock in `timeZone` shows `hour`:00. */
export function nextLocalHour(now: number, hour: number, timeZone: string): number {
  const local = localDateTime(now, timeZone);
  for (let dayOffset = 0; dayOffset < 3; dayOffset++) {
    const candidate = epochFromLocal(
      { year: local.year, month: local.month, day: local.day + dayOffset, hour, minute: 0 },
      timeZone,
    );
    if (candidate >= now) return candidate;
  }
  return now;
}
