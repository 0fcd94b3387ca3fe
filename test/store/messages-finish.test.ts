import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretBox } from "../../src/secret-box.js";
import type { Store } from "../../src/store/db.js";
import { claimDueMessages, finishMessages, insertMessages, type NewMessage } from "../../src/store/messages.js";
import { DIALECTS } from "../support/dialects.js";
import { createTestSender } from "../support/senders.js";

// Real: the database (each dialect), the migrations, the claim. Faked: the clock.
const T = Date.UTC(2026, 10, 26, 9);
const box = new SecretBox(Buffer.alloc(32, 5));
const OWNER = "host:1:dispatcher:aaaaaa";

for (const dialect of DIALECTS) {
  describe(`recording send outcomes on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    /** `n` queued rows m0…m(n-1) of one sender, claimed by OWNER. */
    async function claimed(n: number): Promise<string> {
      const sender = await createTestSender(store.db, box, T);
      const rows: NewMessage[] = Array.from({ length: n }, (_, i) => ({
        id: `m${String(i).padStart(5, "0")}`,
        campaign_id: null,
        contact_seq: null,
        sender_id: sender.id,
        to_phone: `8210${String(10_000_000 + i)}`,
        origin: "test",
        category: "utility",
        payload: "{}",
        status: "queued",
        skip_reason: null,
        due_at: T,
        created_at: T,
      }));
      await insertMessages(store.db, rows);
      const got = await claimDueMessages(
        store.db,
        store.dialect,
        { senderId: sender.id, owner: OWNER, limit: n, leaseUntil: T + 60_000 },
        T,
      );
      expect(got).toHaveLength(n);
      return sender.id;
    }

    const read = async () =>
      Object.fromEntries(
        (
          await store.db
            .selectFrom("messages")
            .select([
              "id",
              "status",
              "provider_message_id",
              "sent_at",
              "lease_owner",
              "lease_until",
              "attempts",
              "due_at",
              "error_code",
              "skip_reason",
            ])
            .execute()
        ).map((r) => [r.id, { ...r, sent_at: r.sent_at === null ? null : Number(r.sent_at) }]),
      );

    it("writes every kind of outcome, and a sent result after a webhook moved the row keeps the webhook's status", async () => {
      await claimed(6);
      // m1's status webhook arrived first (found by callback data; its sent time is whole seconds).
      await store.db
        .updateTable("messages")
        .set({ status: "delivered", provider_message_id: "wamid.hook", sent_at: T - 1_000 })
        .where("id", "=", "m00001")
        .execute();
      // m5 was claimed again by another process meanwhile (our lease is gone): never overwritten.
      await store.db.updateTable("messages").set({ lease_owner: "other" }).where("id", "=", "m00005").execute();
      await store.db.transaction().execute((trx) =>
        finishMessages(trx, OWNER, [
          { id: "m00000", kind: "sent", providerMessageId: "wamid.0", at: T + 1 },
          { id: "m00001", kind: "sent", providerMessageId: "wamid.1", at: T + 2 },
          { id: "m00002", kind: "failed", code: 131026, message: "undeliverable", at: T + 3 },
          { id: "m00003", kind: "retry", code: 130429, message: "throughput", dueAt: T + 5_000 },
          { id: "m00004", kind: "released" },
          { id: "m00005", kind: "sent", providerMessageId: "wamid.5", at: T + 6 },
        ]),
      );
      const rows = await read();
      expect(rows.m00000).toMatchObject({
        status: "sent",
        provider_message_id: "wamid.0",
        sent_at: T + 1,
        lease_owner: null,
        lease_until: null,
      });
      expect(rows.m00001).toMatchObject({ status: "delivered", provider_message_id: "wamid.hook", sent_at: T + 2 });
      expect(rows.m00002).toMatchObject({ status: "failed", error_code: 131026, lease_owner: null });
      expect(rows.m00003).toMatchObject({ status: "queued", due_at: T + 5_000, error_code: 130429 });
      expect(rows.m00004).toMatchObject({ status: "queued", attempts: 0, lease_owner: null });
      expect(rows.m00005).toMatchObject({ status: "sending", provider_message_id: null, lease_owner: "other" });
    });

    it("writes a batch larger than one statement's chunk", async () => {
      await claimed(4_500);
      const outcomes = Array.from({ length: 4_500 }, (_, i) => ({
        id: `m${String(i).padStart(5, "0")}`,
        kind: "sent" as const,
        providerMessageId: `wamid.${i}`,
        at: T + i,
      }));
      await store.db.transaction().execute((trx) => finishMessages(trx, OWNER, outcomes));
      const rows = Object.values(await read());
      expect(rows.filter((r) => r.status === "sent")).toHaveLength(4_500);
      expect(rows.every((r) => r.provider_message_id === `wamid.${Number(r.id.slice(1))}`)).toBe(true);
      expect(rows.every((r) => r.sent_at === T + Number(r.id.slice(1)))).toBe(true);
    });
  });
}
