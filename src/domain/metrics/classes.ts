/**
 * The named classes derived metrics put contacts in; segments filter on them, so they are listed once here.
 */

/** How often a contact buys, from the median gap between paid orders in the last 365 days (see frequency.ts). */
export const FREQUENCY_CLASSES = ["weekly", "monthly", "quarterly", "occasional", "none"] as const;
export type FrequencyClass = (typeof FREQUENCY_CLASSES)[number];

/** How recently a contact engaged with our messages (see heat.ts). */
export const HEAT_LEVELS = ["active", "quiet", "silent", "inactive"] as const;
export type HeatLevel = (typeof HEAT_LEVELS)[number];
