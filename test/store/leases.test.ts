import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { holdLease, isOwnerDead } from "../../src/engine/lease.js";
import type { Store } from "../../src/store/db.js";
import { acquireLease, readLeases, releaseLeases } from "../../src/store/leases.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (every dialect) and, for the dead-holder case, a process that has exited. Faked: the clock.
const T = Date.UTC(2026, 10, 26, 9, 0, 0);
const lease = (owner: string, leaseMs = 10_000) => ({ resource: "sender:s1", owner, leaseMs });

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

for (const dialect of DIALECTS) {
  describe(`engine leases on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("gives a free resource to the first process and refuses it to a second while the lease runs", async () => {
      expect(await acquireLease(store.db, lease("a"), T)).toMatchObject({ owner: "a", leaseUntil: T + 10_000 });
      expect(await acquireLease(store.db, lease("b"), T + 9_999)).toBeNull();
      expect((await readLeases(store.db, ["sender:s1"])).get("sender:s1")?.owner).toBe("a");
    });

    it("renews for the holder without changing when it took the resource", async () => {
      await acquireLease(store.db, lease("a"), T);
      const renewed = await acquireLease(store.db, lease("a"), T + 5_000);
      expect(renewed).toEqual({ resource: "sender:s1", owner: "a", leaseUntil: T + 15_000, acquiredAt: T });
    });

    it("lets another process take the resource once the lease has ended, as a new tenure", async () => {
      await acquireLease(store.db, lease("a"), T);
      expect(await acquireLease(store.db, lease("b"), T + 10_001)).toEqual({
        resource: "sender:s1",
        owner: "b",
        leaseUntil: T + 20_001,
        acquiredAt: T + 10_001,
      });
      // The old holder, back from a pause, cannot renew what it lost.
      expect(await acquireLease(store.db, lease("a"), T + 10_002)).toBeNull();
    });

    it("takes a resource at once from a holder proven dead, and only from that holder", async () => {
      await acquireLease(store.db, lease("a"), T);
      expect(await acquireLease(store.db, { ...lease("b"), deadOwner: "someone-else" }, T + 1)).toBeNull();
      expect((await acquireLease(store.db, { ...lease("b"), deadOwner: "a" }, T + 1))?.owner).toBe("b");
    });

    it("hands a released resource over at once", async () => {
      await acquireLease(store.db, lease("a"), T);
      await releaseLeases(store.db, "a", T + 1);
      expect((await acquireLease(store.db, lease("b"), T + 1))?.owner).toBe("b");
    });

    it("holdLease replaces a holder whose process on this machine has exited, and says the lease is fresh", async () => {
      const dead = `${hostname()}:${deadPid()}:dispatcher:x1`;
      await acquireLease(store.db, lease(dead), T);
      const held = await holdLease(store, lease("me"), T + 1);
      // The dead holder may have sent up to now: a second of silence from now.
      expect(held).toEqual({
        resource: "sender:s1",
        fresh: true,
        deadline: T + 1 + 10_000 - 1_000,
        quietUntil: T + 1 + 1_000,
      });
      expect((await holdLease(store, lease("me"), T + 2))?.fresh).toBe(false);
      // A live holder (this very process) keeps it.
      await acquireLease(
        store.db,
        { resource: "scheduler", owner: `${hostname()}:${process.pid}:scheduler:y`, leaseMs: 10_000 },
        T,
      );
      expect(await holdLease(store, { resource: "scheduler", owner: "me", leaseMs: 10_000 }, T + 1)).toBeNull();
    });

    it("holdLease says when a new holder may start: at once if nobody held it or the last stopped over a second ago", async () => {
      expect((await holdLease(store, lease("a"), T))?.quietUntil).toBe(T);
      // Released cleanly at T + 500: the next holder waits until a second after that.
      await releaseLeases(store.db, "a", T + 500);
      expect(await holdLease(store, lease("b"), T + 600)).toMatchObject({ fresh: true, quietUntil: T + 499 + 1_000 });
      // b's lease (until T + 10,600) ran out long ago: c may start at once.
      expect(await holdLease(store, lease("c"), T + 60_000)).toMatchObject({ fresh: true, quietUntil: T + 60_000 });
    });

    it("accepts api as a message origin (migration 0008)", async () => {
      await sql`insert into messages (id, sender_id, to_phone, origin, category, payload, status, due_at, created_at)
        values ('m1', 's1', '821012345678', 'api', 'utility', '{}', 'queued', 1, 1)`.execute(store.db);
      await expect(
        sql`insert into messages (id, sender_id, to_phone, origin, category, payload, status, due_at, created_at)
          values ('m2', 's1', '821012345678', 'nope', 'utility', '{}', 'queued', 1, 1)`.execute(store.db),
      ).rejects.toThrow();
    });
  });
}

describe("isOwnerDead", () => {
  it("is true only for an exited process on this machine", () => {
    expect(isOwnerDead(`${hostname()}:${deadPid()}:dispatcher:a`)).toBe(true);
    expect(isOwnerDead(`${hostname()}:${process.pid}:dispatcher:a`)).toBe(false);
    expect(isOwnerDead(`another-host:${deadPid()}:dispatcher:a`)).toBe(false);
    expect(isOwnerDead("garbage")).toBe(false);
  });
});

describe("migration 0008 on SQLite", () => {
  it("keeps the messages table's indexes and foreign keys after rebuilding it", async () => {
    const store = await DIALECTS[0]!.open();
    try {
      const indexes = await sql<{ name: string }>`
        select name from sqlite_master where type = 'index' and tbl_name = 'messages' and sql is not null`.execute(
        store.db,
      );
      expect(indexes.rows.map((r) => r.name).sort()).toEqual([
        "messages_campaign_contact_uq",
        "messages_campaign_replied_idx",
        "messages_campaign_status_idx",
        "messages_contact_idx",
        "messages_due_idx",
        "messages_provider_id_uq",
        "messages_sender_created_idx",
        "messages_sending_idx",
      ]);
      const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list('messages')`.execute(
        store.db,
      );
      expect(fks.rows.map((r) => r.table).sort()).toEqual(["campaigns", "contacts"]);
      expect((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db)).rows[0]?.foreign_keys).toBe(
        1,
      );
    } finally {
      await store.close();
    }
  });
});
