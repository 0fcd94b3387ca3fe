import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/db.js";
import { applyMessageStatus, insertMessages, type StatusChange } from "../../src/store/messages.js";
import { applyMessageStatuses } from "../../src/store/messages-status.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect). Faked: nothing; times are plain numbers.
// The bulk path must give exactly what applying the same statuses one by one gives (applyMessageStatus).

const T = 1_800_000_000_000;

async function seed(store: Store, rows: { id: string; status: "queued" | "sent"; pid?: string }[]): Promise<void> {
  await insertMessages(
    store.db,
    rows.map((r) => ({
      id: r.id,
      campaign_id: null,
      contact_seq: null,
      sender_id: "s1",
      to_phone: "821012345678",
      origin: "test" as const,
      category: "marketing",
      payload: "{}",
      status: "queued" as const,
      skip_reason: null,
      due_at: T,
      created_at: T,
    })),
  );
  for (const r of rows.filter((x) => x.status === "sent")) {
    await store.db
      .updateTable("messages")
      .set({ status: "sent", provider_message_id: r.pid ?? `wamid.${r.id}`, sent_at: T })
      .where("id", "=", r.id)
      .execute();
  }
}

function change(
  pid: string,
  status: StatusChange["status"],
  at: number,
  extra: Partial<StatusChange> = {},
): StatusChange {
  return {
    providerMessageId: pid,
    messageId: undefined,
    status,
    at,
    error: undefined,
    pricingCategory: undefined,
    billable: undefined,
    ...extra,
  };
}

async function snapshot(store: Store) {
  return store.db
    .selectFrom("messages")
    .select([
      "id",
      "status",
      "provider_message_id",
      "sent_at",
      "delivered_at",
      "read_at",
      "failed_at",
      "error_code",
      "pricing_category",
      "billable",
    ])
    .orderBy("id")
    .execute();
}

const SCENARIO: StatusChange[] = [
  change("wamid.a", "delivered", T + 1, { pricingCategory: "marketing", billable: true }),
  change("wamid.a", "read", T + 2),
  change("wamid.a", "delivered", T + 3), // late: after read, changes nothing
  change("wamid.b", "read", T + 4), // read without delivered: both times set
  change("wamid.c", "failed", T + 5, { error: { code: 131026, message: "undeliverable" } }),
  change("wamid.c", "delivered", T + 6), // failed is terminal
  change("wamid.d", "delivered", T + 7), // delivered, then failed: failed cannot follow delivered
  change("wamid.d", "failed", T + 8, { error: { code: 1, message: "x" } }),
  change("wamid.e", "sent", T + 9, { messageId: "e" }), // found by callback data before its send result
  change("wamid.zzz", "delivered", T + 10), // not ours: ignored
  change("wamid.b", "read", T + 11), // duplicate
];

for (const dialect of DIALECTS) {
  describe(`bulk status webhooks on ${dialect.name}`, () => {
    // One store per test (PostgreSQL test schemas cannot be migrated two at a time): the one-by-one result is
    // taken first, then the rows are seeded again for the bulk path.
    let store: Store;
    const rows = [
      { id: "a", status: "sent" as const },
      { id: "b", status: "sent" as const },
      { id: "c", status: "sent" as const },
      { id: "d", status: "sent" as const },
      { id: "e", status: "queued" as const },
    ];
    const reseed = async () => {
      await store.db.deleteFrom("messages").execute();
      await seed(store, rows);
    };
    beforeEach(async () => {
      store = await dialect.open();
      await seed(store, rows);
    });
    afterEach(async () => {
      await store.close();
    });

    it("ends in the same rows as applying the statuses one by one, forward only", async () => {
      for (const c of SCENARIO) await applyMessageStatus(store.db, c);
      const oneByOne = await snapshot(store);
      await reseed();
      const applied = await store.db.transaction().execute((trx) => applyMessageStatuses(trx, SCENARIO));
      expect(await snapshot(store)).toEqual(oneByOne);
      const byId = Object.fromEntries((await snapshot(store)).map((r) => [r.id, r]));
      expect(byId.a).toMatchObject({
        status: "read",
        delivered_at: T + 1,
        read_at: T + 2,
        pricing_category: "marketing",
        billable: 1,
      });
      expect(byId.b).toMatchObject({ status: "read", delivered_at: T + 4, read_at: T + 4 });
      expect(byId.c).toMatchObject({ status: "failed", error_code: 131026, delivered_at: null });
      expect(byId.d).toMatchObject({ status: "delivered", failed_at: null });
      expect(byId.e).toMatchObject({ status: "sent", provider_message_id: "wamid.e", sent_at: T + 9 });
      // Reported moves: a → delivered, a → read, b → read, c → failed, d → delivered, e → sent.
      expect(applied.map((m) => `${m.id}:${m.status}`).sort()).toEqual(
        ["a:delivered", "a:read", "b:read", "c:failed", "d:delivered", "e:sent"].sort(),
      );
      expect(applied.find((m) => m.id === "b")?.at).toBe(T + 4);
    });

    it("applies a second identical batch without changing anything or reporting a move", async () => {
      await store.db.transaction().execute((trx) => applyMessageStatuses(trx, SCENARIO));
      const before = await snapshot(store);
      const again = await store.db.transaction().execute((trx) => applyMessageStatuses(trx, SCENARIO));
      expect(await snapshot(store)).toEqual(before);
      expect(again).toEqual([]);
    });
  });
}
