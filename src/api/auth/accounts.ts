import type { Role } from "../../domain/auth/roles.js";
import { HeraldError } from "../../domain/errors.js";
import type { Store } from "../../store/db.js";
import { deleteUserSessions } from "../../store/sessions.js";
import {
  countActiveAdmins,
  countUsers,
  createUser,
  deleteUser,
  getUser,
  type User,
  updateUser,
} from "../../store/users.js";
import { hashPassword } from "./password.js";

/**
 * User administration shared by the API and the CLI: hashing, and the rules that keep an
 * installation manageable (an admin cannot lock themself out; the last enabled admin stays).
 */

/** Creates a user with a hashed password. */
export async function addUser(
  store: Store,
  input: { email: string; name?: string; password: string; role: Role },
  now: number,
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return createUser(store.db, { email: input.email, name: input.name ?? "", role: input.role, passwordHash }, now);
}

export interface UserChange {
  name?: string;
  role?: Role;
  password?: string;
  disabled?: boolean;
}

/** Changes a user; refuses changes that would leave no enabled admin or lock the acting admin out. */
export async function changeUser(
  store: Store,
  actingUserId: string | null,
  id: string,
  change: UserChange,
  now: number,
): Promise<User> {
  const target = await getUser(store.db, id);
  const losesAdmin = (change.role !== undefined && change.role !== "admin") || change.disabled === true;
  if (losesAdmin && target.role === "admin") {
    if (actingUserId === id) throw new HeraldError("conflict", "you cannot demote or disable yourself");
    if (!target.disabled && (await countActiveAdmins(store.db)) <= 1) {
      throw new HeraldError("conflict", "this is the last enabled admin; make another admin first");
    }
  }
  const passwordHash = change.password !== undefined ? await hashPassword(change.password) : undefined;
  const user = await store.db.transaction().execute(async (trx) => {
    const updated = await updateUser(
      trx,
      id,
      {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.role !== undefined ? { role: change.role } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
      },
      now,
    );
    // A new password or a disabled account ends every open session of that user.
    if (passwordHash !== undefined || change.disabled === true) await deleteUserSessions(trx, id);
    return updated;
  });
  return user;
}

/** Deletes a user; the same last-admin and self rules apply. */
export async function removeUser(store: Store, actingUserId: string | null, id: string): Promise<void> {
  const target = await getUser(store.db, id);
  if (actingUserId === id) throw new HeraldError("conflict", "you cannot delete yourself");
  if (target.role === "admin" && !target.disabled && (await countActiveAdmins(store.db)) <= 1) {
    throw new HeraldError("conflict", "this is the last enabled admin; make another admin first");
  }
  await deleteUser(store.db, id);
}

/** True when the installation has no user yet (first start). */
export async function isFirstRun(store: Store): Promise<boolean> {
  return (await countUsers(store.db)) === 0;
}
