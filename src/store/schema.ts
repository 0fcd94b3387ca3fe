/**
 * The database as Kysely sees it: one interface per table. Times are epoch milliseconds (bigint
 * columns, read back as numbers on both databases); booleans are 0/1 integers so both dialects agree.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
}

import type { Role } from "../domain/auth/roles.js";

export type { Role };

export interface UsersTable {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (see src/api/auth/password.ts). */
  password_hash: string;
  disabled: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token, hex: a leaked database does not yield live sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  role: Role;
  /** The first characters of the key, shown in lists so a key can be recognised. */
  prefix: string;
  /** SHA-256 of the whole key, hex; keys have 256 bits of entropy, so a fast hash suffices. */
  key_hash: string;
  created_at: number;
  created_by: string | null;
  last_used_at: number | null;
  revoked_at: number | null;
}
