import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HeraldError } from "../../src/domain/errors.js";
import { createApiKey, findLiveApiKey, listApiKeys, revokeApiKey } from "../../src/store/api-keys.js";
import type { Store } from "../../src/store/db.js";
import { pendingMigrations } from "../../src/store/migrate.js";
import {
  createSession,
  deleteUserSessions,
  findActiveSession,
  purgeExpiredSessions,
} from "../../src/store/sessions.js";
import {
  countActiveAdmins,
  createUser,
  deleteUser,
  findUserForLogin,
  listUsers,
  updateUser,
} from "../../src/store/users.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (SQLite always, PostgreSQL when TEST_DATABASE_URL is set). Faked: the clock (fixed `now`).
const now = Date.UTC(2026, 10, 26, 9, 0, 0);
const hash = "scrypt$2$1$1$c2FsdA$aGFzaA";

for (const dialect of DIALECTS) {
  describe(`users, sessions and API keys on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("leaves no migration pending after migrating", async () => {
      expect(await pendingMigrations(store)).toEqual([]);
    });

    it("stores emails lower-cased and refuses a second user with the same email in any case", async () => {
      const user = await createUser(
        store.db,
        { email: "Kim@Example.com", name: "김민수", role: "marketer", passwordHash: hash },
        now,
      );
      expect(user.email).toBe("kim@example.com");
      expect(user.createdAt).toBe(now);
      const err = await createUser(
        store.db,
        { email: "KIM@example.com", name: "", role: "agent", passwordHash: hash },
        now,
      ).catch((e) => e);
      expect(err).toBeInstanceOf(HeraldError);
      expect((err as HeraldError).code).toBe("conflict");
      expect(await listUsers(store.db)).toHaveLength(1);
    });

    it("reads epoch-millisecond times back as numbers", async () => {
      const user = await createUser(
        store.db,
        { email: "a@example.com", name: "", role: "admin", passwordHash: hash },
        now,
      );
      const row = await findUserForLogin(store.db, "A@EXAMPLE.COM");
      expect(row?.created_at).toBe(now);
      expect(typeof row?.created_at).toBe("number");
      expect(row?.id).toBe(user.id);
    });

    it("counts only enabled admins", async () => {
      const a = await createUser(
        store.db,
        { email: "a@example.com", name: "", role: "admin", passwordHash: hash },
        now,
      );
      await createUser(store.db, { email: "b@example.com", name: "", role: "admin", passwordHash: hash }, now);
      await createUser(store.db, { email: "c@example.com", name: "", role: "marketer", passwordHash: hash }, now);
      expect(await countActiveAdmins(store.db)).toBe(2);
      await updateUser(store.db, a.id, { disabled: true }, now + 1);
      expect(await countActiveAdmins(store.db)).toBe(1);
    });

    it("finds a session by its token until it expires, and not for a disabled user", async () => {
      const user = await createUser(
        store.db,
        { email: "a@example.com", name: "", role: "agent", passwordHash: hash },
        now,
      );
      const s = await createSession(store.db, user.id, { ip: "127.0.0.1", userAgent: "test", ttlMs: 60_000 }, now);
      expect((await findActiveSession(store.db, s.token, now + 59_999))?.user.id).toBe(user.id);
      expect(await findActiveSession(store.db, s.token, now + 60_000)).toBeUndefined();
      expect(await findActiveSession(store.db, `${s.token}x`, now)).toBeUndefined();
      await updateUser(store.db, user.id, { disabled: true }, now);
      expect(await findActiveSession(store.db, s.token, now + 1)).toBeUndefined();
    });

    it("deletes a user's sessions with the user, and purges expired sessions", async () => {
      const user = await createUser(
        store.db,
        { email: "a@example.com", name: "", role: "agent", passwordHash: hash },
        now,
      );
      const s1 = await createSession(store.db, user.id, { ip: null, userAgent: null, ttlMs: 1000 }, now);
      await createSession(store.db, user.id, { ip: null, userAgent: null, ttlMs: 5000 }, now);
      expect(await purgeExpiredSessions(store.db, now + 2000)).toBe(1);
      expect(await findActiveSession(store.db, s1.token, now)).toBeUndefined();
      await deleteUser(store.db, user.id);
      const left = await store.db.selectFrom("sessions").select("id").execute();
      expect(left).toEqual([]);
      await deleteUserSessions(store.db, user.id);
    });

    it("finds an API key by its secret, never by its prefix, and not after revocation", async () => {
      const { apiKey, key } = await createApiKey(store.db, { name: "CRM", role: "marketer", createdBy: null }, now);
      expect(key.startsWith("hk_")).toBe(true);
      expect(key.startsWith(apiKey.prefix)).toBe(true);
      const stored = await store.db.selectFrom("api_keys").selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(key);
      expect((await findLiveApiKey(store.db, key))?.id).toBe(apiKey.id);
      expect(await findLiveApiKey(store.db, apiKey.prefix)).toBeUndefined();
      const revoked = await revokeApiKey(store.db, apiKey.id, now + 5);
      expect(revoked.revokedAt).toBe(now + 5);
      expect((await revokeApiKey(store.db, apiKey.id, now + 9)).revokedAt).toBe(now + 5);
      expect(await findLiveApiKey(store.db, key)).toBeUndefined();
      expect((await listApiKeys(store.db))[0]?.revokedAt).toBe(now + 5);
    });

    it("sets an API key's creator to null when the creator is deleted", async () => {
      const user = await createUser(
        store.db,
        { email: "a@example.com", name: "", role: "admin", passwordHash: hash },
        now,
      );
      await createApiKey(store.db, { name: "CRM", role: "agent", createdBy: user.id }, now);
      await deleteUser(store.db, user.id);
      expect((await listApiKeys(store.db))[0]?.createdBy).toBeNull();
    });
  });
}
