import { API, request } from "./client";
import type {
  Campaign,
  CampaignInput,
  CampaignMessage,
  CampaignPreview,
  CampaignProgress,
  CampaignStatus,
  MessageStatus,
  Page,
} from "./types";

export const campaignsKey = ["campaigns"] as const;
export const campaignKey = (id: string) => ["campaigns", "one", id] as const;
export const campaignProgressKey = (id: string) => ["campaigns", "progress", id] as const;
export const campaignMessagesKey = (id: string, status: MessageStatus | null) =>
  ["campaigns", "messages", id, status] as const;

export function listCampaigns(cursor: string | null, status?: CampaignStatus, limit = 50): Promise<Page<Campaign>> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set("cursor", cursor);
  if (status) params.set("status", status);
  return request<Page<Campaign>>("GET", `${API}/campaigns?${params}`);
}

export function getCampaign(id: string): Promise<Campaign> {
  return request<Campaign>("GET", `${API}/campaigns/${encodeURIComponent(id)}`);
}

export function createCampaign(input: CampaignInput): Promise<Campaign> {
  return request<Campaign>("POST", `${API}/campaigns`, input);
}

export function updateCampaign(id: string, input: Partial<CampaignInput>): Promise<Campaign> {
  return request<Campaign>("PATCH", `${API}/campaigns/${encodeURIComponent(id)}`, input);
}

export type CampaignAction = "launch" | "pause" | "resume" | "cancel";

export function campaignAction(id: string, action: CampaignAction): Promise<Campaign> {
  return request<Campaign>("POST", `${API}/campaigns/${encodeURIComponent(id)}/${action}`);
}

/** The audience after each compliance gate and the cost estimate, as a launch now would find them. */
export function previewCampaign(id: string): Promise<CampaignPreview> {
  return request<CampaignPreview>("POST", `${API}/campaigns/${encodeURIComponent(id)}/preview`);
}

export function testSendCampaign(id: string, to: string): Promise<{ messageId: string }> {
  return request<{ messageId: string }>("POST", `${API}/campaigns/${encodeURIComponent(id)}/test`, { to });
}

export function getCampaignProgress(id: string): Promise<CampaignProgress> {
  return request<CampaignProgress>("GET", `${API}/campaigns/${encodeURIComponent(id)}/progress`);
}

export function listCampaignMessages(
  id: string,
  status: MessageStatus | null,
  cursor: string | null,
  limit = 100,
): Promise<Page<CampaignMessage>> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (status) params.set("status", status);
  if (cursor) params.set("cursor", cursor);
  return request<Page<CampaignMessage>>("GET", `${API}/campaigns/${encodeURIComponent(id)}/messages?${params}`);
}

/** The URL of the campaign's server-sent progress events (one `progress` event a second until it finishes). */
export function campaignEventsUrl(id: string): string {
  return `${API}/campaigns/${encodeURIComponent(id)}/events`;
}
