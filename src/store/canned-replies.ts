/**
 * Canned replies: the team's FAQ answers, typed in the composer as "/shortcut". One per shortcut and language, so
 * "/hours" can answer in Korean and in English.
 */
import { type Kysely, type Selectable, type SqlBool, sql } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { normalizeShortcut } from "../domain/inbox/conversation.js";
import { newId } from "../ids.js";
import { isUniqueViolation } from "./dialect.js";
import type { Database } from "./schema.js";
import type { CannedRepliesTable } from "./tables/inbox.js";

export interface CannedReply {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  language: string;
  createdAt: number;
  updatedAt: number;
}

export interface CannedReplyInput {
  shortcut: string;
  title: string;
  body: string;
  language: string;
}

function toCanned(row: Selectable<CannedRepliesTable>): CannedReply {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    language: row.language,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkedShortcut(input: string): string {
  const shortcut = normalizeShortcut(input);
  if (shortcut === null) {
    const message = "1–32 lower-case letters, digits, _ or -, starting with a letter or digit";
    throw new HeraldError("validation_failed", `invalid shortcut: ${message}`, {
      issues: [{ path: "shortcut", message }],
    });
  }
  return shortcut;
}

function duplicate(shortcut: string, language: string): HeraldError {
  return new HeraldError("conflict", `a canned reply /${shortcut} in ${language} already exists`, {
    issues: [{ path: "shortcut", message: "already used in this language" }],
  });
}

/** Creates a canned reply; `conflict` when the shortcut exists in that language. */
export async function createCannedReply(
  db: Kysely<Database>,
  input: CannedReplyInput,
  createdBy: string | null,
  now: number,
): Promise<CannedReply> {
  const row = {
    id: newId(now),
    shortcut: checkedShortcut(input.shortcut),
    title: input.title.trim(),
    body: input.body,
    language: input.language,
    created_by: createdBy,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.insertInto("canned_replies").values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(row.shortcut, row.language);
    throw err;
  }
  return toCanned(row);
}

/** Changes a canned reply; `not_found` / `conflict`. */
export async function updateCannedReply(
  db: Kysely<Database>,
  id: string,
  patch: Partial<CannedReplyInput>,
  now: number,
): Promise<CannedReply> {
  const current = await getCannedReply(db, id);
  const next = {
    shortcut: patch.shortcut === undefined ? current.shortcut : checkedShortcut(patch.shortcut),
    title: patch.title?.trim() ?? current.title,
    body: patch.body ?? current.body,
    language: patch.language ?? current.language,
  };
  try {
    await db
      .updateTable("canned_replies")
      .set({ ...next, updated_at: now })
      .where("id", "=", id)
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(next.shortcut, next.language);
    throw err;
  }
  return { ...current, ...next, updatedAt: now };
}

export async function getCannedReply(db: Kysely<Database>, id: string): Promise<CannedReply> {
  const row = await db.selectFrom("canned_replies").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no canned reply ${id}`);
  return toCanned(row);
}

export async function deleteCannedReply(db: Kysely<Database>, id: string): Promise<void> {
  const result = await db.deleteFrom("canned_replies").where("id", "=", id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new HeraldError("not_found", `no canned reply ${id}`);
}

/**
 * Canned replies by shortcut prefix ("/ho" finds /hours; the leading "/" is optional), in the preferred language
 * first, then by shortcut. Without `q`, all of them.
 */
export async function searchCannedReplies(
  db: Kysely<Database>,
  query: { q?: string; language?: string; limit?: number },
): Promise<CannedReply[]> {
  const prefix = (query.q ?? "").trim().replace(/^\//, "").toLowerCase();
  // Only shortcut characters can match anything; `_` is escaped so it is not LIKE's wildcard.
  if (prefix !== "" && !/^[a-z0-9_-]+$/.test(prefix)) return [];
  let q = db.selectFrom("canned_replies").selectAll();
  if (prefix !== "") q = q.where(sql<SqlBool>`shortcut like ${`${prefix.replace(/_/g, "\\_")}%`} escape '\\'`);
  const rows = await q
    .orderBy("shortcut")
    .orderBy("language")
    .limit(query.limit ?? 50)
    .execute();
  const preferred = query.language;
  return rows
    .map(toCanned)
    .sort((a, b) =>
      a.shortcut === b.shortcut && preferred
        ? Number(b.language === preferred) - Number(a.language === preferred)
        : a.shortcut < b.shortcut
          ? -1
          : a.shortcut > b.shortcut
            ? 1
            : 0,
    );
}
