/**
 * Messaging tiers: how many unique users a business may reach outside a customer-service window in a
 * moving 24 hours (whatsapp-platform.md §5). Since 7 Oct 2025 the limit belongs to the business
 * portfolio and is shared by its numbers; new portfolios start at 250.
 */
export const MESSAGING_TIERS = [
  "TIER_50",
  "TIER_250",
  "TIER_1K",
  "TIER_2K",
  "TIER_10K",
  "TIER_100K",
  "TIER_UNLIMITED",
] as const;
export type MessagingTier = (typeof MESSAGING_TIERS)[number];

const LIMITS: Record<MessagingTier, number> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

/** Unique recipients per moving 24 h that a tier allows. */
export function tierLimit(tier: MessagingTier): number {
  return LIMITS[tier];
}

/** True when `value` names a tier. */
export function isMessagingTier(value: string): value is MessagingTier {
  return (MESSAGING_TIERS as readonly string[]).includes(value);
}

/** Meta's default per-number throughput (messages per second); 1,000 after an upgrade, 20 for coexistence numbers. */
export const DEFAULT_MPS = 80;
