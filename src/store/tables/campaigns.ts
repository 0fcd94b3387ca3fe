/**
 * Campaigns and the per-recipient outbox (DESIGN §2 "Campaign", invariants 1–3). Every recipient of a
 * campaign is one `messages` row, unique per (campaign, contact); automatic and agent replies are
 * `messages` rows too, without a campaign. Created by migrations/0006_campaigns.ts.
 */

import type { CampaignStatus } from "../../domain/campaign/status.js";

export type { CampaignStatus };

export const MESSAGE_STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "failed",
  "skipped",
  "unknown",
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** `api`: a single message from `POST /api/v1/messages` (migration 0008 widened the check). */
export type MessageOrigin = "campaign" | "test" | "auto_reply" | "agent" | "api";

export interface CampaignsTable {
  id: string;
  name: string;
  status: CampaignStatus;
  sender_id: string;
  template_id: string;
  segment_id: string | null;
  /** JSON: variable name → mapping (contact field, attribute, metric or constant, with a fallback). */
  variables: string;
  schedule_kind: "now" | "at" | "best_hour";
  scheduled_at: number | null;
  /** Quiet hours, local hours 0–23 in each recipient's zone (migration 0015); both null: none. */
  quiet_start_hour: number | null;
  quiet_end_hour: number | null;
  /** The template's category when launched (MARKETING counts against the frequency cap). */
  category: string;
  /** JSON of the launch-time audience: total, queued, skipped by reason. */
  audience: string | null;
  /** JSON cost estimate at launch (micro-dollars by market). */
  estimate: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  launched_at: number | null;
  completed_at: number | null;
  cancelled_at: number | null;
  last_error: string | null;
}

export interface MessagesTable {
  id: string;
  campaign_id: string | null;
  contact_seq: number | null;
  sender_id: string;
  /** Recipient: E.164 without "+" (the wa_id form the provider takes). */
  to_phone: string;
  origin: MessageOrigin;
  /** marketing | utility | authentication | service */
  category: string;
  /** JSON OutboundMessage (whatsapp/provider.ts), rendered at launch. */
  payload: string;
  status: MessageStatus;
  skip_reason: string | null;
  due_at: number;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  provider_message_id: string | null;
  error_code: number | null;
  error_message: string | null;
  created_at: number;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  failed_at: number | null;
  pricing_category: string | null;
  billable: number | null;
  /** When the contact first answered it (an inbound message quoting it, or the first within 24 hours of it). */
  replied_at: number | null;
}

export interface CampaignTables {
  campaigns: CampaignsTable;
  messages: MessagesTable;
}
