/**
 * Interaction metrics: last inbound message, last read, read rate, and interaction heat.
 *
 * Heat, from the last engagement E = the later of the contact's last inbound message and their last read of one
 * of our messages (delivery alone is not engagement):
 * - active:   E within the last 7 days;
 * - quiet:    E 7 to < 30 days ago;
 * - silent:   E 30 to < 90 days ago;
 * - inactive: E 90 days ago or more.
 * A contact who never engaged is measured from when they were added instead, but is never "active": quiet for
 * their first 30 days, then silent, then inactive at 90 — so a fresh import is not excluded as inactive.
 */
import type { HeatLevel } from "./classes.js";
import { DAY_MS } from "./orders.js";

export type Interaction =
  /** The contact sent us a message (text, button tap, media…). */
  | { kind: "inbound"; at: number }
  /** A message we sent; `deliveredAt` / `readAt` from status webhooks, null until they arrive. */
  | { kind: "outbound"; at: number; deliveredAt: number | null; readAt: number | null };

export const HEAT_THRESHOLDS_DAYS = { active: 7, quiet: 30, silent: 90 } as const;

/** Read rate looks at messages sent in this many days, so old habits fade out. */
export const READ_RATE_WINDOW_DAYS = 90;

export interface EngagementMetrics {
  heat: HeatLevel;
  lastInboundAt: number | null;
  lastReadAt: number | null;
  /** Read / delivered among messages sent in the last 90 days; null when none was delivered. */
  readRate: number | null;
}

/** Engagement metrics at time `now` for a contact added at `createdAt`. Events after `now` are ignored. */
export function engagementMetrics(
  interactions: readonly Interaction[],
  createdAt: number,
  now: number,
): EngagementMetrics {
  let lastInboundAt: number | null = null;
  let lastReadAt: number | null = null;
  let delivered = 0;
  let read = 0;
  for (const interaction of interactions) {
    switch (interaction.kind) {
      case "inbound":
        if (interaction.at <= now) lastInboundAt = later(lastInboundAt, interaction.at);
        break;
      case "outbound": {
        const readAt = interaction.readAt !== null && interaction.readAt <= now ? interaction.readAt : null;
        if (readAt !== null) lastReadAt = later(lastReadAt, readAt);
        if (interaction.at > now - READ_RATE_WINDOW_DAYS * DAY_MS && interaction.at <= now) {
          // A read implies delivery even when the delivered webhook was skipped (Meta may skip it).
          if (readAt !== null || (interaction.deliveredAt !== null && interaction.deliveredAt <= now)) delivered++;
          if (readAt !== null) read++;
        }
        break;
      }
      default: {
        const unexpected: never = interaction;
        throw new Error(`unknown interaction ${JSON.stringify(unexpected)}`);
      }
    }
  }
  return {
    heat: heatLevel(later(lastInboundAt, lastReadAt), createdAt, now),
    lastInboundAt,
    lastReadAt,
    readRate: delivered === 0 ? null : read / delivered,
  };
}

/** The heat level from the last engagement (null = never) at time `now` (definition above). */
export function heatLevel(lastEngagedAt: number | null, createdAt: number, now: number): HeatLevel {
  const days = (now - (lastEngagedAt ?? createdAt)) / DAY_MS;
  if (days < HEAT_THRESHOLDS_DAYS.active && lastEngagedAt !== null) return "active";
  if (days < HEAT_THRESHOLDS_DAYS.quiet) return "quiet";
  if (days < HEAT_THRESHOLDS_DAYS.silent) return "silent";
  return "inactive";
}

function later(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
