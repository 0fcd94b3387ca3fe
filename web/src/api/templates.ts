import { API, request } from "./client";
import type {
  Page,
  PreviewValues,
  StoredTemplate,
  TemplateCheck,
  TemplateContent,
  TemplateDetail,
  TemplatePreview,
  TemplateStatus,
  TemplateSyncReport,
} from "./types";

export const templatesKey = ["templates"] as const;
export const templateKey = (id: string) => ["templates", "one", id] as const;

export interface TemplateFilter {
  status?: TemplateStatus[];
  search?: string;
  senderId?: string;
  cursor?: string | null;
  limit?: number;
}

export function listTemplates(filter: TemplateFilter = {}): Promise<Page<StoredTemplate>> {
  const params = new URLSearchParams({ limit: String(filter.limit ?? 100) });
  if (filter.status && filter.status.length > 0) params.set("status", filter.status.join(","));
  if (filter.search) params.set("search", filter.search);
  if (filter.senderId) params.set("senderId", filter.senderId);
  if (filter.cursor) params.set("cursor", filter.cursor);
  return request<Page<StoredTemplate>>("GET", `${API}/templates?${params}`);
}

export function getTemplate(id: string): Promise<TemplateDetail> {
  return request<TemplateDetail>("GET", `${API}/templates/${encodeURIComponent(id)}`);
}

/** Meta's rules and the approval-risk lint for unsaved content; always answers 200 (for live authoring). */
export function lintTemplate(content: TemplateContent, signal?: AbortSignal): Promise<TemplateCheck> {
  return request<TemplateCheck>("POST", `${API}/templates/lint`, content, signal);
}

export function createTemplate(content: TemplateContent & { senderId?: string | null }): Promise<StoredTemplate> {
  return request<StoredTemplate>("POST", `${API}/templates`, content);
}

export function updateTemplate(
  id: string,
  content: TemplateContent & { senderId?: string | null },
): Promise<StoredTemplate> {
  return request<StoredTemplate>("PUT", `${API}/templates/${encodeURIComponent(id)}`, content);
}

export function deleteTemplate(id: string): Promise<void> {
  return request<void>("DELETE", `${API}/templates/${encodeURIComponent(id)}`);
}

export function submitTemplate(id: string, senderId: string): Promise<StoredTemplate> {
  return request<StoredTemplate>("POST", `${API}/templates/${encodeURIComponent(id)}/submit`, { senderId });
}

/** Renders a saved template with the given values (missing ones from its samples). */
export function previewTemplate(id: string, values?: PreviewValues, signal?: AbortSignal): Promise<TemplatePreview> {
  return request<TemplatePreview>(
    "POST",
    `${API}/templates/${encodeURIComponent(id)}/preview`,
    values ? { values } : {},
    signal,
  );
}

export async function syncTemplates(senderId?: string): Promise<TemplateSyncReport[]> {
  const body = senderId ? { senderId } : {};
  return (await request<{ data: TemplateSyncReport[] }>("POST", `${API}/templates/sync`, body)).data;
}
