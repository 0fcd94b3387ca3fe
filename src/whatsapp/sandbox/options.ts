// Options of the sandbox, with defaults. Every Meta number we are unsure of (reference marks them
// "uncertain") is an option here, so a test or a demo can change it without code changes.

/** Phone-number quality rating (Meta: GREEN/YELLOW/RED, UNKNOWN before enough data). */
export type Quality = "GREEN" | "YELLOW" | "RED" | "UNKNOWN";

/** Messaging tiers: unique users reached outside a customer-service window per moving 24 h (reference §5.4). */
export const TIER_LIMITS: Readonly<Record<string, number>> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

/** A business phone number the sandbox serves. */
export interface SandboxPhoneNumberOptions {
  id: string;
  wabaId: string;
  /** Digits, e.g. "15550783881". */
  displayPhoneNumber: string;
  accessToken: string;
  appSecret: string;
  webhookUrl?: string;
  verifyToken?: string;
  verifiedName?: string;
  /** Messages per second before 130429 (Meta default 80; 20 for coexistence, 1,000 when upgraded). */
  mpsLimit?: number;
  /** Key of TIER_LIMITS; default "TIER_10K". The limit is shared by the portfolio (max of its numbers). */
  tier?: string;
  quality?: Quality;
  /** Business portfolio id; default the WABA id. */
  portfolioId?: string;
  /** Graph version whose webhook rules apply (v24+ omits `conversation`); default: the send request's. */
  webhookVersion?: string;
}

/** The default behaviour of simulated recipients; each number's profile varies around it, seeded. */
export interface AudienceOptions {
  /** Share of numbers that are not on WhatsApp (failed status 131026). */
  unreachableRate: number;
  /** Share of numbers that stopped marketing from this business (failed status 131050). */
  marketingOptOutRate: number;
  /** Probability that a message is delivered (else it stays "sent", as for a phone that stays offline). */
  deliveryRate: number;
  /** Delay from accept to "sent", ms [min, max]. */
  sentDelayMs: [number, number];
  /** Mean delay from "sent" to "delivered", ms. */
  deliveryDelayMeanMs: number;
  /** Probability that a delivered message is read. */
  readRate: number;
  /** Mean delay from "delivered" to "read", ms, before the daily rhythm reshapes it. */
  readDelayMeanMs: number;
  /** Probability that a read message gets a reply. */
  replyRate: number;
  /** Mean delay from "read" to the reply, ms. */
  replyDelayMeanMs: number;
  /** Share of replies to a template with quick-reply buttons that are button taps. */
  buttonTapShare: number;
  /** Reply texts and their weights. */
  replyTexts: { text: string; weight: number }[];
  /** Forces every recipient's UTC offset (minutes); default: from the calling code. */
  utcOffsetMinutes?: number;
  /** Fixed profiles for given numbers (digits), e.g. `{ "821000000000": { unreachable: true } }`. */
  overrides?: Record<string, Partial<AudienceProfileOverride>>;
}

/** What a test can force about one recipient. */
export interface AudienceProfileOverride {
  unreachable: boolean;
  marketingOptOut: boolean;
  deliveryRate: number;
  readRate: number;
  replyRate: number;
  deliveryDelayMeanMs: number;
  readDelayMeanMs: number;
  replyDelayMeanMs: number;
  utcOffsetMinutes: number;
  name: string;
  /** Reply with exactly this text (when a reply happens). */
  replyText: string;
}

/** Webhook delivery behaviour. */
export interface WebhookOptions {
  /** Updates wait this long to be batched into one POST (Meta batches, up to 1,000 updates per POST). */
  batchWindowMs: number;
  maxBatch: number;
  /** Probability that an update is delivered twice (in a later POST), as Meta's retries do. */
  duplicateRate: number;
  /** Probability that a POST's updates are shuffled (Meta does not guarantee order). */
  reorderRate: number;
  /** Waits between attempts after a non-2xx answer; the last one repeats until `retryHorizonMs`. */
  retryBackoffMs: number[];
  /** Give up after this long (Meta: up to 7 days). */
  retryHorizonMs: number;
  timeoutMs: number;
  /** POSTs in flight per webhook URL. */
  concurrency: number;
  /** Escape "/" as "\/" in the signed JSON (undocumented at Meta; default off). */
  escapeSlash: boolean;
}

/** Everything `createSandbox` accepts. */
export interface SandboxOptions {
  seed?: number | string;
  /** "real": wall clock and one interval timer; "virtual": time moves only by advance()/flush(). */
  clock?: "real" | "virtual";
  /** Start of virtual time (epoch ms). */
  startTime?: number;
  /** Timer resolution in ms. */
  tickMs?: number;
  phoneNumbers?: SandboxPhoneNumberOptions[];
  /** Delay before a created template is reviewed (Meta: minutes to 24 h). */
  templateReviewDelayMs?: number;
  /** Share of otherwise-valid templates rejected anyway (the seed says ~85% pass). */
  templateRandomRejectRate?: number;
  /** Promotional wording in a UTILITY template: "recategorize" (Meta since 9 Apr 2025) or "reject". */
  utilityPromotional?: "recategorize" | "reject";
  /** Customer-service window length (Meta: 24 h). */
  windowMs?: number;
  /** Pair rate limit: one message per `intervalMs` to the same user, bursts up to `burst` (reference §5.2). */
  pairLimit?: { intervalMs: number; burst: number };
  /** Error code of the failed status when the messaging tier is exhausted (Meta documents none; §5.4). */
  tierExhaustedCode?: number;
  /** Per-number log of received messages kept for the control API. */
  receivedLogLimit?: number;
  webhook?: Partial<WebhookOptions>;
  audience?: Partial<AudienceOptions>;
  /** Public origin of the sandbox, used in media URLs; default set by listen(). */
  publicOrigin?: string;
}

/** Defaults of the audience (a believable campaign: ~95% delivered, ~60% read, a few replies). */
export const DEFAULT_AUDIENCE: AudienceOptions = {
  unreachableRate: 0.02,
  marketingOptOutRate: 0.01,
  deliveryRate: 0.97,
  sentDelayMs: [50, 400],
  deliveryDelayMeanMs: 2_000,
  readRate: 0.6,
  readDelayMeanMs: 45 * 60_000,
  replyRate: 0.08,
  replyDelayMeanMs: 3 * 60_000,
  buttonTapShare: 0.7,
  replyTexts: [
    { text: "할인", weight: 3 },
    { text: "YES", weight: 3 },
    { text: "STOP", weight: 1 },
    { text: "배송은 언제 되나요?", weight: 1 },
    { text: "가격이 얼마예요?", weight: 1 },
    { text: "What sizes do you have?", weight: 1 },
    { text: "Is this still available?", weight: 1 },
  ],
};

/** Defaults of webhook delivery: duplicates and reordering off (tests), turn them on for demos. */
export const DEFAULT_WEBHOOK: WebhookOptions = {
  batchWindowMs: 100,
  maxBatch: 1000,
  duplicateRate: 0,
  reorderRate: 0,
  retryBackoffMs: [1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000],
  retryHorizonMs: 7 * 24 * 3_600_000,
  timeoutMs: 5_000,
  concurrency: 4,
  escapeSlash: false,
};

/** The options with every default filled in. */
export interface ResolvedOptions {
  seed: number;
  virtual: boolean;
  startTime: number;
  tickMs: number;
  templateReviewDelayMs: number;
  templateRandomRejectRate: number;
  utilityPromotional: "recategorize" | "reject";
  windowMs: number;
  pairLimit: { intervalMs: number; burst: number };
  tierExhaustedCode: number;
  receivedLogLimit: number;
  webhook: WebhookOptions;
  audience: AudienceOptions;
  publicOrigin: string | undefined;
}
