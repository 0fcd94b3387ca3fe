import { API, ApiError, request } from "./client";
import type { Session } from "./types";

/** Signs in; the server sets the session cookie and returns the CSRF token. */
export function login(email: string, password: string): Promise<Session> {
  return request<Session>("POST", `${API}/auth/login`, { email, password });
}

export function logout(): Promise<void> {
  return request<void>("POST", `${API}/auth/logout`);
}

/** The current session, or null when nobody is signed in (401). */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await request<Session>("GET", `${API}/auth/me`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
