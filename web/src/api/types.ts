// Shapes of the server's JSON, as documented in the API contract (times are UTC epoch milliseconds).

export const ROLES = ["admin", "marketer", "agent"] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user, as returned by login and `/auth/me`. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

export interface User {
  id: string;
  email: string;
  /** Empty when none was given. */
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdBy: string | null;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full secret; the server returns it only in this response. */
  key: string;
}

export interface Health {
  status: string;
  db: string;
}
