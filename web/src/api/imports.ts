import { API, request } from "./client";
import type { ImportJob, ImportKind, ImportRowError, Page, UploadedImport } from "./types";

export const importsKey = ["imports"] as const;
export const importKey = (id: string) => ["imports", "one", id] as const;
export const importErrorsKey = (id: string, cursor: string | null) => ["imports", "errors", id, cursor] as const;

/** Uploads the raw CSV file; the answer has its header, a sample and the suggested mapping. */
export function uploadImport(kind: ImportKind, file: File): Promise<UploadedImport> {
  const params = new URLSearchParams({ kind, fileName: file.name });
  return request<UploadedImport>("POST", `${API}/imports?${params}`, { raw: file, contentType: "text/csv" });
}

export interface ImportStart {
  /** CSV column → target, or null to skip the column. */
  mapping: Record<string, string | null>;
  defaultCountry?: string;
  dryRun?: boolean;
  atomic?: boolean;
}

export function startImport(id: string, start: ImportStart): Promise<ImportJob> {
  return request<ImportJob>("POST", `${API}/imports/${encodeURIComponent(id)}/start`, start);
}

export function getImport(id: string): Promise<ImportJob> {
  return request<ImportJob>("GET", `${API}/imports/${encodeURIComponent(id)}`);
}

export function listImportErrors(id: string, cursor: string | null, limit = 100): Promise<Page<ImportRowError>> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set("cursor", cursor);
  return request<Page<ImportRowError>>("GET", `${API}/imports/${encodeURIComponent(id)}/errors?${params}`);
}

export function listImports(): Promise<Page<ImportJob>> {
  return request<Page<ImportJob>>("GET", `${API}/imports?limit=20`);
}
