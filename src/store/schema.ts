/**
 * The database as Kysely sees it: one interface per table. Times are epoch milliseconds (bigint
 * columns, read back as numbers on both databases); booleans are 0/1 integers so both dialects agree.
 */
export interface Database
  extends WebhookTables,
    CampaignTables,
    CustomerTables,
    TemplateTables,
    InboundTables,
    WorkerTables,
    WebhookSubscriptionTables,
    InboxTables,
    AutomationTables,
    AnalyticsTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  senders: SendersTable;
}

import type { Role } from "../domain/auth/roles.js";
import type { AnalyticsTables } from "./tables/analytics.js";
import type { AutomationTables } from "./tables/automation.js";
import type { CampaignTables } from "./tables/campaigns.js";
import type { CustomerTables } from "./tables/customers.js";
import type { InboundTables } from "./tables/inbound.js";
import type { InboxTables } from "./tables/inbox.js";
import type { TemplateTables } from "./tables/templates.js";
import type { WebhookSubscriptionTables } from "./tables/webhook-subscriptions.js";
import type { WebhookTables } from "./tables/webhooks.js";
import type { WorkerTables } from "./tables/workers.js";

export type { Role };

export interface UsersTable {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (see src/api/auth/password.ts). */
  password_hash: string;
  disabled: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token, hex: a leaked database does not yield live sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  role: Role;
  /** The first characters of the key, shown in lists so a key can be recognised. */
  prefix: string;
  /** SHA-256 of the whole key, hex; keys have 256 bits of entropy, so a fast hash suffices. */
  key_hash: string;
  created_at: number;
  created_by: string | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export type SenderProvider = "cloud" | "sandbox";
export type QualityRating = "GREEN" | "YELLOW" | "RED" | "UNKNOWN";

export interface SendersTable {
  id: string;
  name: string;
  provider: SenderProvider;
  phone_number_id: string;
  waba_id: string;
  display_phone_number: string;
  /** Graph API origin override (the sandbox's URL); null means the configured default. */
  api_origin: string | null;
  api_version: string;
  access_token_sealed: string;
  app_secret_sealed: string;
  verify_token_sealed: string;
  mps_limit: number;
  /** e.g. TIER_250, TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED */
  messaging_tier: string;
  quality_rating: QualityRating;
  disabled: number;
  last_checked_at: number | null;
  last_check_error: string | null;
  created_at: number;
  updated_at: number;
}
