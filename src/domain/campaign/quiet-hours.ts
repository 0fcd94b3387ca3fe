/**
 * A campaign's quiet hours (issue 5: the schedule runs "within an optional quiet-hours window"): no message of
 * the campaign goes to a recipient while it is quiet hours in the recipient's own time zone; such a message is
 * due when the window ends (it waits, it is not dropped). Pure: times, a zone and a policy in, a time out.
 * The launcher calls `quietDueAt` where it computes each recipient's due time; resuming a paused campaign calls
 * `resumedDueAt` for the rows whose time has passed, so the dispatcher's claim needs no per-row check.
 */
import { nextAllowedSendTime, type QuietHoursPolicy } from "../consent/quiet-hours.js";
import { timeZoneForCountry } from "../phone/index.js";

export { DEFAULT_QUIET_HOURS, type QuietHoursPolicy } from "../consent/quiet-hours.js";

/** The zone whose clock counts for a recipient: theirs if known, else their number's country's, else UTC. */
export function recipientTimeZone(contactTimeZone: string | null, phoneCountry: string | null): string {
  return contactTimeZone ?? (phoneCountry ? timeZoneForCountry(phoneCountry) : null) ?? "UTC";
}

// Every zone's offset from UTC is a whole number of quarter hours, so within one UTC quarter hour the local hour —
// hence "quiet or not" and the window's end — is the same. The launcher asks with nearly the same time for every
// contact: remembering the answer per (zone, policy, quarter hour) saves the Intl calls (about 17 µs of CPU each
// time otherwise).
const QUARTER_MS = 900_000;
const remembered = new Map<string, number | null>();

/** `dueAt` moved out of the quiet hours of `timeZone` (to the window's end); unchanged without a policy. */
export function quietDueAt(dueAt: number, timeZone: string, policy: QuietHoursPolicy | null): number {
  if (policy === null) return dueAt;
  const key = `${timeZone}|${policy.startHour}|${policy.endHour}|${Math.floor(dueAt / QUARTER_MS)}`;
  let end = remembered.get(key);
  if (end === undefined) {
    const next = nextAllowedSendTime(dueAt, timeZone, policy);
    end = next === dueAt ? null : next;
    if (remembered.size >= 10_000) remembered.clear();
    remembered.set(key, end);
  }
  return end ?? dueAt;
}

/**
 * On resume, for a queued row due at `dueAt`: its new due time when it must move (its time has passed and it is
 * quiet hours now for the recipient), else null (the row stays as it is: due now, or already in the future,
 * which the launch placed outside the quiet hours).
 */
export function resumedDueAt(
  dueAt: number,
  now: number,
  timeZone: string,
  policy: QuietHoursPolicy | null,
): number | null {
  if (policy === null || dueAt > now) return null;
  const next = quietDueAt(now, timeZone, policy);
  return next > now ? next : null;
}
