/**
 * A campaign's rollup: every figure its report needs, recomputed from its messages by the analytics loop and
 * stored as one JSON row, so reports over one or many campaigns read a few rows instead of millions of messages.
 */
import type { FunnelCounts } from "./funnel.js";
import { addHeatmap, emptyHeatmap, type Heatmap } from "./heatmap.js";

export const HOUR_MS = 3_600_000;

/** Events of one hour (start of the hour, epoch ms) by the time each happened. */
export interface HourBucket {
  hour: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  clicked: number;
  converted: number;
  failed: number;
}

export interface CampaignRollup extends FunnelCounts {
  /** Still queued, sending or unknown. */
  pending: number;
  /** Failed without ever being sent (refused by the provider on the request). */
  failedBeforeSend: number;
  /** Attributed orders and their revenue in the base currency (minor units); `foreignOrders` are in other currencies. */
  orders: number;
  revenue: number;
  foreignOrders: number;
  /** Cost of the delivered, billable messages at the rate card (µUSD); `unpriced`: delivered with no rate. */
  costMicroUsd: number;
  unpriced: number;
  /** Recipients who opted out within 7 days after being sent the campaign. */
  optOuts: number;
  /** Messages refused because the user stopped marketing messages from the business (error 131050). */
  blocks: number;
  /** Human clicks on tracked links (all of them; `clicked` counts messages once). */
  clicks: number;
  errors: { code: number; count: number }[];
  hourly: HourBucket[];
  heatmap: Heatmap;
}

/** A rollup with every figure at zero. */
export function emptyRollup(): CampaignRollup {
  return {
    audience: 0,
    skipped: {},
    sent: 0,
    delivered: 0,
    read: 0,
    replied: 0,
    clicked: 0,
    converted: 0,
    failed: 0,
    pending: 0,
    failedBeforeSend: 0,
    orders: 0,
    revenue: 0,
    foreignOrders: 0,
    costMicroUsd: 0,
    unpriced: 0,
    optOuts: 0,
    blocks: 0,
    clicks: 0,
    errors: [],
    hourly: [],
    heatmap: emptyHeatmap(),
  };
}

const SUMMED = [
  "audience",
  "sent",
  "delivered",
  "read",
  "replied",
  "clicked",
  "converted",
  "failed",
  "pending",
  "failedBeforeSend",
  "orders",
  "revenue",
  "foreignOrders",
  "costMicroUsd",
  "unpriced",
  "optOuts",
  "blocks",
  "clicks",
] as const;

/** The sum of several rollups (hourly buckets merged by hour, errors by code). */
export function sumRollups(rollups: readonly CampaignRollup[]): CampaignRollup {
  const total = emptyRollup();
  const errors = new Map<number, number>();
  const hours = new Map<number, HourBucket>();
  for (const r of rollups) {
    for (const key of SUMMED) total[key] += r[key];
    for (const [reason, n] of Object.entries(r.skipped)) total.skipped[reason] = (total.skipped[reason] ?? 0) + n;
    for (const e of r.errors) errors.set(e.code, (errors.get(e.code) ?? 0) + e.count);
    for (const b of r.hourly) {
      const into = hours.get(b.hour) ?? emptyBucket(b.hour);
      for (const k of BUCKET_KEYS) into[k] += b[k];
      hours.set(b.hour, into);
    }
    addHeatmap(total.heatmap, r.heatmap);
  }
  total.errors = [...errors]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code - b.code);
  total.hourly = [...hours.values()].sort((a, b) => a.hour - b.hour);
  return total;
}

export const BUCKET_KEYS = ["sent", "delivered", "read", "replied", "clicked", "converted", "failed"] as const;

/** A bucket with every count at zero. */
export function emptyBucket(hour: number): HourBucket {
  return { hour, sent: 0, delivered: 0, read: 0, replied: 0, clicked: 0, converted: 0, failed: 0 };
}

/** Adds `n` events of `kind` at the hours given as (hour index = floor(ms / 1 h)) → count. */
export function addToBuckets(
  buckets: Map<number, HourBucket>,
  kind: (typeof BUCKET_KEYS)[number],
  hourIndex: number,
  n: number,
): void {
  const hour = hourIndex * HOUR_MS;
  const b = buckets.get(hour) ?? emptyBucket(hour);
  b[kind] += n;
  buckets.set(hour, b);
}
