// The team inbox: conversations, replies, canned replies and the team's first-response figures.
import { API, request } from "./client";
import type { Contact, ContactMetrics, Role } from "./types";

/** Everything about the inbox starts with "inbox", so one invalidation (a live change) refreshes it all. */
export const inboxKey = ["inbox"] as const;
export const conversationsKey = (filters: ConversationFilters) => ["inbox", "list", filters] as const;
export const conversationKey = (id: string) => ["inbox", "conversation", id] as const;
export const cannedKey = (q: string, language: string) => ["inbox", "canned", q, language] as const;
export const teamKey = ["inbox", "team"] as const;
export const agentsKey = ["inbox", "agents"] as const;
export const inboxSettingsKey = ["inbox", "settings"] as const;

export const CONVERSATION_STATUSES = ["open", "pending", "closed"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export type MessageStatus = "queued" | "sending" | "sent" | "delivered" | "read" | "failed" | "skipped" | "unknown";

export interface ServiceWindow {
  open: boolean;
  closesAt: number | null;
  remainingMs: number;
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  contact: { id: string; name: string; phone: string; language: string | null };
  sender: { id: string; name: string; displayPhoneNumber: string };
  assignee: { id: string; name: string; email: string } | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  lastMessageAt: number;
  lastPreview: string | null;
  unread: number;
  waitingSince: number | null;
  waitingMs: number;
  overdue: boolean;
  priority: boolean;
  window: ServiceWindow;
  updatedAt: number;
}

export type ThreadItem =
  | { direction: "in"; id: string; at: number; type: string; text: string | null; payload: string | null }
  | {
      direction: "out";
      id: string;
      at: number;
      origin: "campaign" | "test" | "auto_reply" | "agent";
      kind: string;
      text: string;
      template: string | null;
      status: MessageStatus;
      errorCode: number | null;
      errorMessage: string | null;
      sentAt: number | null;
      deliveredAt: number | null;
      readAt: number | null;
      author: { id: string; name: string } | null;
    };

export interface ConversationDetail {
  conversation: Conversation;
  contact: Contact;
  tags: { tag: string; source: "manual" | "rule" }[];
  metrics: ContactMetrics | null;
  messages: ThreadItem[];
  responses: {
    waitingSince: number;
    respondedAt: number;
    responseMs: number;
    by: "agent" | "auto";
    user: { id: string; name: string } | null;
  }[];
}

export interface ConversationFilters {
  status?: ConversationStatus;
  /** "me", "unassigned" or a user id. */
  assigned?: string;
  senderId?: string;
}

export interface CannedReply {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  language: string;
  createdAt: number;
  updatedAt: number;
}

export interface ReplyTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
  body: string;
  places: string[];
  examples: Record<string, string>;
}

export interface ResponseSummary {
  answered: number;
  waiting: number;
  medianMs: number | null;
  averageMs: number | null;
  p90Ms: number | null;
  within5MinShare: number | null;
  autoShare: number | null;
}

export interface TeamMetrics {
  from: number;
  to: number;
  team: ResponseSummary;
  agents: (ResponseSummary & { userId: string | null; name: string; replies: number })[];
  replies: { agent: number; auto: number; autoShare: number | null };
}

export interface Agent {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface InboxSettings {
  priorityTag: string | null;
  prioritySegmentId: string | null;
}

export type ReplyInput =
  | { kind: "text"; text: string }
  | { kind: "template"; templateId: string; values: Record<string, string> };

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

const one = (id: string) => `${API}/conversations/${encodeURIComponent(id)}`;

export async function listConversations(filters: ConversationFilters): Promise<Conversation[]> {
  const page = await request<{ data: Conversation[] }>(
    "GET",
    `${API}/conversations${query({ ...filters, limit: 200 })}`,
  );
  return page.data;
}

export function getConversation(id: string): Promise<ConversationDetail> {
  return request<ConversationDetail>("GET", one(id));
}

export function reply(id: string, input: ReplyInput): Promise<{ messageId: string }> {
  return request("POST", `${one(id)}/reply`, input);
}

export function assign(id: string, userId: string | null): Promise<Conversation> {
  return request("POST", `${one(id)}/assign`, { userId });
}

export function setStatus(id: string, status: ConversationStatus): Promise<Conversation> {
  return request("POST", `${one(id)}/status`, { status });
}

export function markRead(id: string): Promise<Conversation> {
  return request("POST", `${one(id)}/read`);
}

export async function replyTemplates(id: string): Promise<ReplyTemplate[]> {
  return (await request<{ data: ReplyTemplate[] }>("GET", `${one(id)}/templates`)).data;
}

export async function listAgents(): Promise<Agent[]> {
  return (await request<{ data: Agent[] }>("GET", `${API}/conversations/agents`)).data;
}

export function getInboxSettings(): Promise<InboxSettings> {
  return request("GET", `${API}/conversations/settings`);
}

export function saveInboxSettings(settings: InboxSettings): Promise<InboxSettings> {
  return request("PUT", `${API}/conversations/settings`, settings);
}

export async function searchCanned(q: string, language: string): Promise<CannedReply[]> {
  return (await request<{ data: CannedReply[] }>("GET", `${API}/canned-replies${query({ q, language, limit: 20 })}`))
    .data;
}

export function createCanned(input: Omit<CannedReply, "id" | "createdAt" | "updatedAt">): Promise<CannedReply> {
  return request("POST", `${API}/canned-replies`, input);
}

export function updateCanned(
  id: string,
  input: Partial<Omit<CannedReply, "id" | "createdAt" | "updatedAt">>,
): Promise<CannedReply> {
  return request("PATCH", `${API}/canned-replies/${encodeURIComponent(id)}`, input);
}

export function deleteCanned(id: string): Promise<void> {
  return request("DELETE", `${API}/canned-replies/${encodeURIComponent(id)}`);
}

export function getTeamMetrics(days = 30): Promise<TeamMetrics> {
  return request("GET", `${API}/analytics/team${query({ days })}`);
}

/** The live stream's URL (server-sent events; the session cookie authenticates it). */
export const conversationEventsUrl = `${API}/conversations/events`;
