// Analytics reports (GET /api/v1/analytics/…): see docs/analytics.md for every figure.
import { API, request } from "./client";

export const analyticsKey = ["analytics"] as const;

export type FunnelStage = "audience" | "sent" | "delivered" | "read" | "replied" | "clicked" | "converted";
export type SenderWarning = "low_reply_rate" | "quality_yellow" | "quality_red" | "tier_nearly_used";

export interface Period {
  from: number;
  to: number;
}

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

export interface Heatmap {
  reads: number[];
  replies: number[];
}

export interface Rates {
  deliveryRate: number | null;
  readRate: number | null;
  replyRate: number | null;
  clickRate: number | null;
  conversionRate: number | null;
  failureRate: number | null;
}

export interface Money {
  currency: string;
  costMicroUsd: number;
  revenue: number;
  cost: number | null;
  roi: number | null;
  roiPerMessage: number | null;
  costPerConversion: number | null;
  revenuePerMessage: number | null;
}

export interface CampaignReport {
  campaign: { id: string; name: string; status: string; launchedAt: number | null; completedAt: number | null };
  refreshedAt: number;
  funnel: { stage: FunnelStage; count: number; rateOfSent: number | null; stepRate: number | null }[];
  counts: {
    audience: number;
    skipped: Record<string, number>;
    failed: number;
    pending: number;
    orders: number;
    clicks: number;
    optOuts: number;
    blocks: number;
    unpriced: number;
    hourly: HourBucket[];
  };
  failures: { code: number; count: number; title: string; meaning: string }[];
  rates: Rates;
  money: Money;
  estimateMicroUsd: number | null;
  rule: string;
}

export interface AttributionRow {
  id: string | null;
  name: string | null;
  campaigns: number;
  sent: number;
  delivered: number;
  converted: number;
  orders: number;
  rates: Rates;
  money: Money;
}

export interface ComparedRates {
  readRate: number | null;
  replyRate: number | null;
  conversionRate: number | null;
}

export interface SegmentComparison {
  base: ComparedRates & { sent: number; delivered: number; costPerConversion: number | null; revenue: number };
  segments: (ComparedRates & {
    id: string;
    name: string | null;
    sent: number;
    delivered: number;
    lift: ComparedRates;
    costPerConversion: number | null;
    revenue: number;
    currency: string;
  })[];
}

export interface SenderHealth {
  id: string;
  name: string;
  phone: string;
  qualityRating: string;
  messagingTier: string;
  tierLimit: number | null;
  usedToday: number;
  sent: number;
  delivered: number;
  replied: number;
  replyRate: number | null;
  blockRate: number | null;
  optOutRate: number | null;
  warnings: SenderWarning[];
  qualityHistory: { qualityRating: string; messagingTier: string; at: number }[];
}

export interface GroupValue {
  customers: number;
  buyers: number;
  repurchaseRate: number | null;
  yearlySpend: number | null;
}

export interface CustomerValue {
  computedAt: number;
  currency: string;
  months: { month: string; revenue: number; orders: number; buyers: number; customers: number; ltv: number | null }[];
  engaged: GroupValue;
  others: GroupValue;
  cohorts: { cohort: string; size: number; active: number[]; retention: number[] }[];
}

export interface AnalyticsSettings {
  windowDays: number;
  touches: "read_or_click" | "click";
  usdRate: number | null;
  baseCurrency: string;
  rule: string;
}

const q = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();

export function getCampaignReport(id: string): Promise<CampaignReport> {
  return request("GET", `${API}/analytics/campaigns/${encodeURIComponent(id)}`);
}

export function campaignCsvUrl(id: string): string {
  return `${API}/analytics/campaigns/${encodeURIComponent(id)}/report.csv`;
}

export function getAttribution(
  by: "campaign" | "template" | "segment",
  from: number,
): Promise<{ rows: AttributionRow[]; rule: string }> {
  return request("GET", `${API}/analytics/attribution?${q({ by, from })}`);
}

export function compareSegments(segmentIds: string[], from: number): Promise<SegmentComparison> {
  return request("GET", `${API}/analytics/segments/compare?${q({ segmentIds: segmentIds.join(","), from })}`);
}

export function getSendTimes(
  segmentId: string | null,
  from: number,
): Promise<{ heatmap: Heatmap; bestHour: number | null; campaigns: number }> {
  return request("GET", `${API}/analytics/send-times?${q({ segmentId: segmentId ?? undefined, from })}`);
}

export function getSenderHealth(): Promise<{ days: number; senders: SenderHealth[] }> {
  return request("GET", `${API}/analytics/senders`);
}

export function getCustomerValue(): Promise<CustomerValue> {
  return request("GET", `${API}/analytics/customer-value`);
}

export function getAnalyticsSettings(): Promise<AnalyticsSettings> {
  return request("GET", `${API}/analytics/settings`);
}

export function updateAnalyticsSettings(
  patch: Partial<Pick<AnalyticsSettings, "windowDays" | "touches" | "usdRate">>,
): Promise<AnalyticsSettings> {
  return request("PUT", `${API}/analytics/settings`, patch);
}

export function refreshAnalytics(): Promise<{ campaigns: number }> {
  return request("POST", `${API}/analytics/refresh`);
}
