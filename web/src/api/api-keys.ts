import { API, request } from "./client";
import type { ApiKey, CreatedApiKey, Role } from "./types";

/** TanStack Query key of the API key list. */
export const apiKeysKey = ["api-keys"] as const;

export async function listApiKeys(): Promise<ApiKey[]> {
  return (await request<{ data: ApiKey[] }>("GET", `${API}/api-keys`)).data;
}

/** Creates a key; the response holds the full secret, which is never shown again. */
export function createApiKey(input: { name: string; role: Role }): Promise<CreatedApiKey> {
  return request<CreatedApiKey>("POST", `${API}/api-keys`, input);
}

/** Revokes a key (the server keeps the row, with `revokedAt` set). */
export function revokeApiKey(id: string): Promise<void> {
  return request<void>("DELETE", `${API}/api-keys/${encodeURIComponent(id)}`);
}
