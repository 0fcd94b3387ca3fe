import { API, request } from "./client";
import type {
  AttributeDefinition,
  ConsentState,
  Contact,
  ContactProfile,
  ContactTag,
  MetricsStatus,
  OptInSource,
  OptOutReason,
  Order,
  Page,
  TagSummary,
} from "./types";

/** TanStack Query keys. Everything about contacts starts with "contacts", so one invalidation refreshes it all. */
export const contactsKey = ["contacts"] as const;
export const contactKey = (id: string) => ["contacts", "profile", id] as const;
export const attributesKey = ["attributes"] as const;
export const tagsKey = ["contacts", "tags"] as const;
export const metricsStatusKey = ["metrics-status"] as const;

/** The list's filters; they combine with AND. */
export interface ContactFilters {
  /** Phone digits prefix or name substring. */
  q?: string;
  consent?: ConsentState;
  country?: string;
  tag?: string;
  segmentId?: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function listContacts(filters: ContactFilters, cursor: string | null, limit = 50): Promise<Page<Contact>> {
  return request<Page<Contact>>("GET", `${API}/contacts${query({ ...filters, cursor: cursor ?? undefined, limit })}`);
}

/**
 * The URL of the CSV export for the same filters. The browser downloads it itself (a link, not `fetch`), with the
 * session cookie, so a large export streams to disk instead of into memory.
 */
export function contactsExportUrl(filters: ContactFilters): string {
  return `${API}/contacts/export.csv${query({ ...filters })}`;
}

export function getContactProfile(id: string): Promise<ContactProfile> {
  return request<ContactProfile>("GET", `${API}/contacts/${encodeURIComponent(id)}/profile`);
}

export function listOrders(contactId: string, cursor: string | null, limit = 20): Promise<Page<Order>> {
  return request<Page<Order>>("GET", `${API}/orders${query({ contactId, cursor: cursor ?? undefined, limit })}`);
}

export interface ConsentChange {
  contact: Contact;
  changed: boolean;
  /** Why nothing changed: an older event, the same state, or an opt-out only the contact can undo. */
  ignored: null | "stale" | "unchanged" | "opt_out_needs_contact_action";
}

export function optIn(id: string, source: OptInSource): Promise<ConsentChange> {
  return request<ConsentChange>("POST", `${API}/contacts/${encodeURIComponent(id)}/opt-in`, { source });
}

export function optOut(id: string, reason: OptOutReason, note?: string): Promise<ConsentChange> {
  return request<ConsentChange>("POST", `${API}/contacts/${encodeURIComponent(id)}/opt-out`, {
    reason,
    ...(note ? { note } : {}),
  });
}

export async function addTag(id: string, tag: string, note?: string): Promise<ContactTag[]> {
  const body = { tag, ...(note ? { note } : {}) };
  return (await request<{ data: ContactTag[] }>("POST", `${API}/contacts/${encodeURIComponent(id)}/tags`, body)).data;
}

export function removeTag(id: string, tag: string): Promise<void> {
  return request<void>("DELETE", `${API}/contacts/${encodeURIComponent(id)}/tags/${encodeURIComponent(tag)}`);
}

export async function listAttributes(): Promise<AttributeDefinition[]> {
  return (await request<Page<AttributeDefinition>>("GET", `${API}/attributes`)).data;
}

export async function listTags(): Promise<TagSummary[]> {
  return (await request<Page<TagSummary>>("GET", `${API}/tags`)).data;
}

export function getMetricsStatus(): Promise<MetricsStatus> {
  return request<MetricsStatus>("GET", `${API}/metrics/status`);
}
