/**
 * The business's own frequency cap on marketing messages per contact (DESIGN §3 invariant 4: by default at most
 * one MARKETING message per contact per rolling 24 hours). Meta adds its own per-user cap on top (error 131049),
 * except for numbers in the EEA, the UK, Japan and South Korea; ours protects quality ratings everywhere.
 */

export interface FrequencyCapPolicy {
  /** Most marketing messages a contact may receive inside any window. */
  max: number;
  /** Length of the rolling window. */
  windowMs: number;
}

export const DEFAULT_FREQUENCY_CAP: FrequencyCapPolicy = { max: 1, windowMs: 24 * 3_600_000 };

export type FrequencyCapVerdict =
  | { allowed: true; countInWindow: number }
  | { allowed: false; countInWindow: number; nextAllowedAt: number | null };

/**
 * Whether one more marketing message may go to a contact at `now`, given the times of their earlier marketing sends.
 *
 * A send counts while it is inside the half-open window (now − windowMs, now]: a send exactly 24 h ago no longer
 * counts. Sends recorded after `now` (a clock skew between workers) count, on the safe side. When refused,
 * `nextAllowedAt` is when enough of the counted sends leave the window
 * (null when the policy allows nothing at all, `max` < 1).
 */
export function frequencyCapAllows(
  sentAt: readonly number[],
  now: number,
  policy: FrequencyCapPolicy = DEFAULT_FREQUENCY_CAP,
): FrequencyCapVerdict {
  const inWindow = sentAt.filter((at) => at > now - policy.windowMs).sort((a, b) => a - b);
  const count = inWindow.length;
  if (count < policy.max) return { allowed: true, countInWindow: count };
  if (policy.max < 1) return { allowed: false, countInWindow: count, nextAllowedAt: null };
  // The (count − max + 1)-th oldest send must leave the window before one more fits under the cap.
  const mustExpire = inWindow[count - policy.max] ?? now;
  return { allowed: false, countInWindow: count, nextAllowedAt: mustExpire + policy.windowMs };
}
