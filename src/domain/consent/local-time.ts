/**
 * Wall-clock time in a recipient's IANA time zone, via Intl.DateTimeFormat: it reads the runtime's time-zone
 * database, not the clock, so these functions stay pure (same inputs, same answer).
 */

/** A local calendar date and time; `month` is 1–12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;

// Formatters are costly to build and the launcher asks for one zone per contact: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows `timeZone` as an IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time at instant `epochMs` in `timeZone`. Throws a RangeError for an unknown zone. */
export function localDateTime(epochMs: number, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** The zone's offset from UTC at instant `epochMs`, in ms (Seoul: +9 h). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const local = localDateTime(wholeSecond, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - wholeSecond;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time. Days overflow like Date.UTC
 * (day 32 is the 1st of next month). Daylight-saving edges follow Temporal's "compatible" choice: a wall time
 * shown twice (clocks fall back) gives the earlier instant; one skipped (clocks spring forward) is shifted
 * forward by the gap (02:30 → 03:30).
 */
export function epochFromLocal(local: Omit<LocalDateTime, "second"> & { second?: number }, timeZone: string): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  // Offsets change at most once around a given day in practice, so the offsets a day before and after are the
  // only candidates.
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after].filter((instant) => instant + zoneOffsetMs(instant, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  return wall - before;
}
