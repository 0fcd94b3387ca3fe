import { API, request } from "./client";
import type { Page, Segment, SegmentField, SegmentNode, SegmentPreview } from "./types";

export const segmentsKey = ["segments"] as const;
export const segmentKey = (id: string) => ["segments", "one", id] as const;
export const segmentFieldsKey = ["segments", "fields"] as const;
export const segmentPreviewKey = (body: PreviewRequest) => ["segments", "preview", body] as const;

export interface SegmentDefinition {
  rules: SegmentNode;
  excludeInactive: boolean;
  excludeOptedOut: boolean;
}

export interface PreviewRequest extends SegmentDefinition {
  sampleSize?: number;
}

export interface SegmentInput extends SegmentDefinition {
  name: string;
  description?: string;
}

export async function listSegmentFields(): Promise<SegmentField[]> {
  return (await request<Page<SegmentField>>("GET", `${API}/segments/fields`)).data;
}

/** Count and sample for an unsaved rule tree; a 400 names the failing part of the tree in `details.issues`. */
export function previewSegment(body: PreviewRequest, signal?: AbortSignal): Promise<SegmentPreview> {
  return request<SegmentPreview>("POST", `${API}/segments/preview`, body, signal);
}

export function listSegments(cursor: string | null, limit = 50): Promise<Page<Segment>> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set("cursor", cursor);
  return request<Page<Segment>>("GET", `${API}/segments?${params}`);
}

export function getSegment(id: string): Promise<Segment> {
  return request<Segment>("GET", `${API}/segments/${encodeURIComponent(id)}`);
}

export function createSegment(input: SegmentInput): Promise<Segment> {
  return request<Segment>("POST", `${API}/segments`, input);
}

export function updateSegment(id: string, input: Partial<SegmentInput>): Promise<Segment> {
  return request<Segment>("PATCH", `${API}/segments/${encodeURIComponent(id)}`, input);
}

export function deleteSegment(id: string): Promise<void> {
  return request<void>("DELETE", `${API}/segments/${encodeURIComponent(id)}`);
}

/** Count (and a sample) of a saved segment, as it stands now. */
export function previewSavedSegment(id: string, sampleSize = 0): Promise<SegmentPreview> {
  return request<SegmentPreview>("GET", `${API}/segments/${encodeURIComponent(id)}/preview?sampleSize=${sampleSize}`);
}
