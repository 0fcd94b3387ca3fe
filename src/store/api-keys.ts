import { randomBytes } from "node:crypto";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Role } from "../domain/auth/roles.js";
import { HeraldError } from "../domain/errors.js";
import { newId } from "../ids.js";
import type { ApiKeysTable, Database } from "./schema.js";
import { hashToken } from "./sessions.js";

type Db = Kysely<Database> | Transaction<Database>;

/** An API key's public description; the secret itself is shown once, at creation. */
export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Keys look like `hk_<43 base64url chars>` (256 random bits) so they are easy to spot in a leak scan. */
export const API_KEY_PREFIX = "hk_";
const SHOWN_PREFIX_LENGTH = 11;

/** Creates a key; returns its description and the secret, which is not stored and cannot be shown again. */
export async function createApiKey(
  db: Db,
  input: { name: string; role: Role; createdBy: string | null },
  now: number,
): Promise<{ apiKey: ApiKey; key: string }> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row: Selectable<ApiKeysTable> = {
    id: newId(now),
    name: input.name,
    role: input.role,
    prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
    key_hash: hashToken(key),
    created_at: now,
    created_by: input.createdBy,
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto("api_keys").values(row).execute();
  return { apiKey: toApiKey(row), key };
}

/** Every key, newest first. */
export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom("api_keys")
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map(toApiKey);
}

/** The unrevoked key matching a presented secret, or undefined. */
export async function findLiveApiKey(db: Db, key: string): Promise<ApiKey | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const row = await db
    .selectFrom("api_keys")
    .selectAll()
    .where("key_hash", "=", hashToken(key))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row ? toApiKey(row) : undefined;
}

/** Records use; callers throttle it (once a minute per key) so it is not a write per request. */
export async function touchApiKey(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", id).execute();
}

/** Revokes a key at once; revoking twice keeps the first time. `not_found` when absent. */
export async function revokeApiKey(db: Db, id: string, now: number): Promise<ApiKey> {
  const row = await db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `API key ${id} not found`);
  if (row.revoked_at === null) {
    await db.updateTable("api_keys").set({ revoked_at: now }).where("id", "=", id).execute();
    row.revoked_at = now;
  }
  return toApiKey(row);
}
