import { request } from "./client";
import type { Health } from "./types";

/** The server's health and database kind (`GET /healthz`, outside the API base path). */
export function fetchHealth(): Promise<Health> {
  return request<Health>("GET", "/healthz");
}
