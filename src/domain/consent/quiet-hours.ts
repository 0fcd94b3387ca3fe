/**
 * Quiet hours in the recipient's own time zone. The default, 21:00–08:00, is Korea's: advertising messages sent
 * between 21:00 and 08:00 need a separate consent (Information and Communications Network Act art. 50(3),
 * Enforcement Decree art. 61).
 */
import { epochFromLocal, localDateTime } from "./local-time.js";

/** Local hours (0–23). Quiet from `startHour`:00 up to `endHour`:00; wraps past midnight when start > end. */
export interface QuietHoursPolicy {
  startHour: number;
  endHour: number;
}

export const DEFAULT_QUIET_HOURS: QuietHoursPolicy = { startHour: 21, endHour: 8 };

/** True when local hour `hour` is inside the quiet period (a policy with start = end has no quiet period). */
export function isQuietHour(hour: number, policy: QuietHoursPolicy): boolean {
  const { startHour, endHour } = policy;
  if (startHour === endHour) return false;
  return startHour < endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
}

/** True when instant `now` falls in quiet hours in `timeZone`. */
export function isQuietTime(now: number, timeZone: string, policy: QuietHoursPolicy = DEFAULT_QUIET_HOURS): boolean {
  return isQuietHour(localDateTime(now, timeZone).hour, policy);
}

/**
 * The earliest instant ≥ `now` at which a message may go to a recipient in `timeZone`: `now` itself outside quiet
 * hours, else the next local `endHour`:00 (tomorrow's when the quiet period started this evening).
 */
export function nextAllowedSendTime(
  now: number,
  timeZone: string,
  policy: QuietHoursPolicy = DEFAULT_QUIET_HOURS,
): number {
  const local = localDateTime(now, timeZone);
  if (!isQuietHour(local.hour, policy)) return now;
  const endsTomorrow = policy.startHour > policy.endHour && local.hour >= policy.startHour;
  return epochFromLocal(
    { year: local.year, month: local.month, day: local.day + (endsTomorrow ? 1 : 0), hour: policy.endHour, minute: 0 },
    timeZone,
  );
}
