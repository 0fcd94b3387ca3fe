/**
 * Best send times: reads and replies counted by weekday × hour in the recipient's local time. A heatmap is 168
 * cells, index = weekday × 24 + hour with Monday = 0. Pure: the time-zone database is data, not the clock.
 */
import { localDateTime } from "../consent/local-time.js";

export const HEATMAP_CELLS = 168;
/** Fewer engagements than this in a heatmap: its best hour is noise and not used by the schedule. */
export const MIN_HEATMAP_ENGAGEMENTS = 30;

export interface Heatmap {
  reads: number[];
  replies: number[];
}

/** An empty heatmap. */
export function emptyHeatmap(): Heatmap {
  return { reads: new Array<number>(HEATMAP_CELLS).fill(0), replies: new Array<number>(HEATMAP_CELLS).fill(0) };
}

/** The cell of instant `at` in `timeZone`: Monday 0:00–0:59 is 0, Sunday 23:00–23:59 is 167. */
export function heatmapCell(at: number, timeZone: string): number {
  const local = localDateTime(at, timeZone);
  // Day of week of the local calendar date (Date.UTC is only used as a calendar here).
  const weekday = (new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7;
  return weekday * 24 + local.hour;
}

/** Adds b into a. */
export function addHeatmap(a: Heatmap, b: Heatmap): Heatmap {
  for (let i = 0; i < HEATMAP_CELLS; i++) {
    a.reads[i] = (a.reads[i] ?? 0) + (b.reads[i] ?? 0);
    a.replies[i] = (a.replies[i] ?? 0) + (b.replies[i] ?? 0);
  }
  return a;
}

/** The local hour (0–23) with the most reads + replies summed over the week, ties to the earliest; null below the minimum. */
export function bestHourOf(map: Heatmap, minEngagements = MIN_HEATMAP_ENGAGEMENTS): number | null {
  const byHour = new Array<number>(24).fill(0);
  let total = 0;
  for (let i = 0; i < HEATMAP_CELLS; i++) {
    const n = (map.reads[i] ?? 0) + (map.replies[i] ?? 0);
    byHour[i % 24] = (byHour[i % 24] ?? 0) + n;
    total += n;
  }
  if (total < minEngagements) return null;
  let best = 0;
  for (let h = 1; h < 24; h++) if ((byHour[h] ?? 0) > (byHour[best] ?? 0)) best = h;
  return best;
}
