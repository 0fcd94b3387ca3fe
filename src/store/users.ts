import type { Kysely, Selectable, Transaction } from "kysely";
import type { Role } from "../domain/auth/roles.js";
import { HeraldError } from "../domain/errors.js";
import { newId } from "../ids.js";
import { isUniqueViolation } from "./dialect.js";
import type { Database, UsersTable } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** A user as the rest of Herald sees it: never carries the password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

/** Maps a row to a User, dropping the password hash. */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

/** Inserts a user; `conflict` when the email is taken (compared case-insensitively). */
export async function createUser(db: Db, input: NewUser, now: number): Promise<User> {
  const row: Selectable<UsersTable> = {
    id: newId(now),
    email: input.email.toLowerCase(),
    name: input.name,
    role: input.role,
    password_hash: input.passwordHash,
    disabled: 0,
    created_at: now,
    updated_at: now,
    last_login_at: null,
  };
  try {
    await db.insertInto("users").values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new HeraldError("conflict", `a user with email ${row.email} already exists`, {
        issues: [{ path: "email", message: "already in use" }],
      });
    }
    throw err;
  }
  return toUser(row);
}

/** The user row with its password hash, for login; undefined when absent. */
export async function findUserForLogin(db: Db, email: string): Promise<Selectable<UsersTable> | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
}

/** One user by id, or undefined. */
export async function findUser(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

/** One user by id; `not_found` when absent. */
export async function getUser(db: Db, id: string): Promise<User> {
  const user = await findUser(db, id);
  if (!user) throw new HeraldError("not_found", `user ${id} not found`);
  return user;
}

/** Every user, oldest first. */
export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom("users").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toUser);
}

/** How many enabled admins exist. */
export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin")
    .where("disabled", "=", 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many users exist at all (0 means the first start has not created the admin yet). */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface UserPatch {
  name?: string;
  role?: Role;
  passwordHash?: string;
  disabled?: boolean;
}

/** Applies a partial update; `not_found` when the user does not exist. */
export async function updateUser(db: Db, id: string, patch: UserPatch, now: number): Promise<User> {
  const result = await db
    .updateTable("users")
    .set({
      updated_at: now,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
    })
    .where("id", "=", id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new HeraldError("not_found", `user ${id} not found`);
  return getUser(db, id);
}

/** Records a successful login time. */
export async function recordLogin(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable("users").set({ last_login_at: now }).where("id", "=", id).execute();
}

/** Deletes a user (their sessions go with them); `not_found` when absent. */
export async function deleteUser(db: Db, id: string): Promise<void> {
  const result = await db.deleteFrom("users").where("id", "=", id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new HeraldError("not_found", `user ${id} not found`);
}
