// Keyword auto-replies: rules, order, tester, guard settings, hand-overs (server: src/api/routes/automation.ts).
import { API, request } from "./client";

export const rulesKey = ["automation", "rules"] as const;
export const guardSettingsKey = ["automation", "settings"] as const;
export const handoversKey = ["automation", "handovers"] as const;
export const approvedTemplatesKey = ["automation", "templates"] as const;

export type KeywordMode = "exact" | "contains" | "any_of";
export interface BusinessHours {
  timeZone: string;
  days: number[];
  open: string;
  close: string;
}
export type Trigger =
  | { kind: "keyword"; mode: KeywordMode; keywords: string[] }
  | { kind: "regex"; pattern: string }
  | { kind: "button"; payloads: string[] }
  | { kind: "first_message" }
  | { kind: "outside_hours"; hours: BusinessHours };
export type ConsentState = "unknown" | "opted_in" | "opted_out";
export type Condition =
  | { kind: "tag"; op: "has" | "lacks"; tag: string }
  | { kind: "segment"; op: "in" | "not_in"; segmentId: string }
  | { kind: "consent"; states: ConsentState[] }
  | { kind: "time_of_day"; timeZone: string; from: string; to: string; days?: number[] };
export type ReplyContent =
  | { kind: "text"; body: string }
  | { kind: "media"; mediaType: "image" | "video" | "document"; link: string; caption?: string }
  | { kind: "buttons"; body: string; buttons: { id: string; title: string }[] };
export interface TemplateFallback {
  templateId: string;
  variables: Record<string, string>;
}
export type Action =
  | { kind: "reply"; content: ReplyContent; template: TemplateFallback | null }
  | { kind: "add_tag"; tag: string }
  | { kind: "remove_tag"; tag: string }
  | { kind: "opt_out"; confirmation: string | null }
  | { kind: "opt_in"; confirmation: string | null }
  | { kind: "handover"; note: string | null };

export interface RuleInput {
  name: string;
  enabled: boolean;
  trigger: Trigger;
  conditions: Condition[];
  actions: Action[];
}
export interface Rule extends RuleInput {
  id: string;
  position: number;
  stats: { matches: number; replies: number; repliesSent: number; lastMatchedAt: number | null };
  createdAt: number;
  updatedAt: number;
}
export interface RuleVerdict {
  ruleId: string;
  name: string;
  outcome: "fired" | "disabled" | "no_match" | "condition_failed" | "not_reached";
  detail: string;
}
export interface TestResult {
  verdicts: RuleVerdict[];
  plan: {
    ruleId: string;
    ruleName: string;
    replySuppressed: string | null;
    addTags: string[];
    removeTags: string[];
    consent: "opt_out" | "opt_in" | null;
    handover: { note: string | null } | null;
  } | null;
  guard: { allowed: boolean; reason?: string; detail?: string };
  wouldSend: Record<string, unknown> | null;
  replyProblem: string | null;
}
export interface TestRequest {
  text?: string;
  payload?: string;
  contactId?: string;
  windowClosed?: boolean;
  firstMessage?: boolean;
}
export interface GuardSettings {
  maxRepliesPerHour: number;
  loopMaxReplies: number;
  loopWindowMinutes: number;
}
export interface Handover {
  id: string;
  contactId: string;
  contactName: string | null;
  phone: string;
  ruleName: string | null;
  note: string | null;
  text: string | null;
  createdAt: number;
}
export interface ApprovedTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
}

export async function listRules(): Promise<Rule[]> {
  return (await request<{ data: Rule[] }>("GET", `${API}/automation/rules`)).data;
}
export function createRule(input: RuleInput): Promise<Rule> {
  return request<Rule>("POST", `${API}/automation/rules`, input);
}
export function updateRule(id: string, input: Partial<RuleInput>): Promise<Rule> {
  return request<Rule>("PATCH", `${API}/automation/rules/${encodeURIComponent(id)}`, input);
}
export function deleteRule(id: string): Promise<void> {
  return request<void>("DELETE", `${API}/automation/rules/${encodeURIComponent(id)}`);
}
export async function reorderRules(ids: string[]): Promise<Rule[]> {
  return (await request<{ data: Rule[] }>("PUT", `${API}/automation/rules/order`, { ids })).data;
}
export function testRules(body: TestRequest): Promise<TestResult> {
  return request<TestResult>("POST", `${API}/automation/test`, body);
}
export function getGuardSettings(): Promise<GuardSettings> {
  return request<GuardSettings>("GET", `${API}/automation/settings`);
}
export function putGuardSettings(body: GuardSettings): Promise<GuardSettings> {
  return request<GuardSettings>("PUT", `${API}/automation/settings`, body);
}
export async function listHandovers(): Promise<Handover[]> {
  return (await request<{ data: Handover[] }>("GET", `${API}/automation/handovers?open=true`)).data;
}
export function resolveHandover(id: string): Promise<void> {
  return request<void>("POST", `${API}/automation/handovers/${encodeURIComponent(id)}/resolve`);
}
/** Approved templates, for a rule's reply outside the 24-hour window. */
export async function listApprovedTemplates(): Promise<ApprovedTemplate[]> {
  return (await request<{ data: ApprovedTemplate[] }>("GET", `${API}/templates?status=APPROVED&limit=200`)).data;
}
