/** Analytics tables (migration 0012_analytics): short links and clicks, attribution, rollups, snapshots. */

export interface LinkCodesTable {
  /** 10 characters of base62 from a CSPRNG (~59 bits): short in a button URL, not guessable. */
  code: string;
  message_id: string;
  campaign_id: string | null;
  contact_seq: number | null;
  /** The target the redirect sends to (http or https only). */
  url: string;
  created_at: number;
  /** The first click by a person: bots and link previews never set it. */
  first_click_at: number | null;
  /** Every click, bots and repeats included. */
  clicks: number;
}

export interface LinkClicksTable {
  id: string;
  code: string;
  clicked_at: number;
  bot: number;
  user_agent: string | null;
}

export interface OrderAttributionsTable {
  order_id: string;
  message_id: string;
  campaign_id: string | null;
  contact_seq: number;
  touch: "read" | "click";
  touch_at: number;
  placed_at: number;
  amount: number;
  currency: string;
}

/** One row (id = 1). */
export interface AnalyticsStateTable {
  id: number;
  /** An order within this many days after a touch is attributed to it. */
  window_days: number;
  /** Which touches count: `read_or_click` or `click`. */
  touches: string;
  /** Units of the base currency per US dollar (message costs are in USD); null: ROI is not computed. */
  usd_rate: number | null;
  /** Orders updated after this (minus an overlap) are (re)attributed by the next pass. */
  orders_watermark: number;
  updated_at: number;
}

export interface CampaignRollupsTable {
  campaign_id: string;
  refreshed_at: number;
  /** JSON CampaignRollup (domain/analytics/rollup.ts). */
  data: string;
}

export interface AnalyticsSnapshotsTable {
  name: string;
  computed_at: number;
  took_ms: number;
  data: string;
}

export interface SenderQualityHistoryTable {
  id: string;
  sender_id: string;
  quality_rating: string;
  messaging_tier: string;
  recorded_at: number;
}

export interface AnalyticsTables {
  link_codes: LinkCodesTable;
  link_clicks: LinkClicksTable;
  order_attributions: OrderAttributionsTable;
  analytics_state: AnalyticsStateTable;
  campaign_rollups: CampaignRollupsTable;
  analytics_snapshots: AnalyticsSnapshotsTable;
  sender_quality_history: SenderQualityHistoryTable;
}
