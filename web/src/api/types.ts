// Shapes of the server's JSON, as documented in the API contract (times are UTC epoch milliseconds).

export const ROLES = ["admin", "marketer", "agent"] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user, as returned by login and `/auth/me`. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export interface User {
  id: string;
  email: string;
  /** Empty when none was given. */
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdBy: string | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full secret; the server returns it only in this response. */
  key: string;
}

export interface Health {
  status: string;
  db: string;
}

export const SENDER_PROVIDERS = ["cloud", "sandbox"] as const;
/** `cloud`: Meta's WhatsApp Cloud API; `sandbox`: Herald's built-in Cloud API emulator. */
export type SenderProvider = (typeof SENDER_PROVIDERS)[number];

export const QUALITY_RATINGS = ["GREEN", "YELLOW", "RED", "UNKNOWN"] as const;
export type QualityRating = (typeof QUALITY_RATINGS)[number];

/** Meta's messaging tiers: unique customers a business may start conversations with per moving 24 hours. */
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

/** A sender number. Its access token, app secret and verify token are write-only: the API never returns them. */
export interface Sender {
  id: string;
  name: string;
  provider: SenderProvider;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  /** Graph API origin override; null means the provider's default. */
  apiOrigin: string | null;
  apiVersion: string;
  /** Messages per second this number may send. */
  mpsLimit: number;
  /** Usually one of MESSAGING_TIERS, but whatever the provider last reported. */
  messagingTier: string;
  qualityRating: QualityRating;
  disabled: boolean;
  lastCheckedAt: number | null;
  lastCheckError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The result of "test connection": the number's profile as the provider reports it, or the provider's error. */
export interface SenderConnectionTest {
  ok: boolean;
  sender: Sender;
  phoneNumber?: {
    id: string;
    displayPhoneNumber: string;
    verifiedName?: string;
    qualityRating?: string;
    messagingLimit?: string;
    throughputLevel?: string;
  };
  /** Meta's error code (0 when the provider was not reached), its message, and what it means. */
  error?: { code: number; message: string; meaning: string };
}
