import { createHash, randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";
import { toUser, type User } from "./users.js";

type Db = Kysely<Database> | Transaction<Database>;

/** SHA-256 hex of a bearer secret (session token or API key); what the database stores. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface NewSession {
  /** The cookie value: 256 random bits. Only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/** Opens a dashboard session for a user. */
export async function createSession(
  db: Db,
  userId: string,
  meta: { ip: string | null; userAgent: string | null; ttlMs: number },
  now: number,
): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = now + meta.ttlMs;
  await db
    .insertInto("sessions")
    .values({
      id: hashToken(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      last_seen_at: now,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 400) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export interface ActiveSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: number;
  lastSeenAt: number;
  user: User;
}

/** The live session for a cookie token: not expired, and its user not disabled. */
export async function findActiveSession(db: Db, token: string, now: number): Promise<ActiveSession | undefined> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select([
      "sessions.id as session_id",
      "sessions.csrf_token",
      "sessions.expires_at",
      "sessions.last_seen_at as session_last_seen_at",
    ])
    .where("sessions.id", "=", hashToken(token))
    .where("sessions.expires_at", ">", now)
    .where("users.disabled", "=", 0)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    lastSeenAt: row.session_last_seen_at,
    user: toUser(row),
  };
}

/** Slides a session's expiry forward; called at most once a minute per session. */
export async function touchSession(db: Db, sessionId: string, expiresAt: number, now: number): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where("id", "=", sessionId)
    .execute();
}

/** Ends one session (logout). */
export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

/** Ends every session of a user (password change, disable). */
export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

/** Removes expired sessions; returns how many. */
export async function purgeExpiredSessions(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
