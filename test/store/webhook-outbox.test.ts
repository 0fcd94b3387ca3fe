import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretBox } from "../../src/secret-box.js";
import type { Store } from "../../src/store/db.js";
import {
  claimDueSubscriptions,
  enqueueWebhookEvents,
  finishDelivery,
  headOfQueue,
  listWebhookDeliveries,
  redeliverWebhookDelivery,
} from "../../src/store/webhook-outbox.js";
import {
  createWebhookSubscription,
  getWebhookSubscription,
  listWebhookSubscriptions,
  openSigningSecret,
  updateWebhookSubscription,
} from "../../src/store/webhook-subscriptions.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect) and AES-GCM. Faked: the clock (plain numbers).
const now = Date.UTC(2026, 10, 26, 9);
const box = new SecretBox(Buffer.alloc(32, 7));
const actor = { userId: null };

function statusEvent(n: number) {
  return { type: "message.status_changed" as const, occurredAt: now + n, data: { n } };
}

for (const dialect of DIALECTS) {
  describe(`webhook subscriptions and outbox on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("returns the signing secret once and keeps it sealed, never in a view", async () => {
      const { subscription, secret } = await createWebhookSubscription(
        store.db,
        box,
        { name: "CRM", url: "https://crm.example.com/hooks", events: ["contact.opted_out"], enabled: true },
        actor,
        now,
      );
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const row = await store.db.selectFrom("webhook_subscriptions").selectAll().executeTakeFirstOrThrow();
      expect(row.secret_sealed).not.toContain(secret);
      expect(openSigningSecret(box, row)).toBe(secret);
      expect(JSON.stringify(await listWebhookSubscriptions(store.db))).not.toContain(secret);
      expect(subscription).toMatchObject({ events: ["contact.opted_out"], enabled: true, pending: 0 });
    });

    it("rejects a URL with credentials, a non-http scheme and unknown event types, naming the field", async () => {
      const input = { name: "x", url: "https://u:p@crm.example.com/", events: ["contact.opted_in"], enabled: true };
      await expect(createWebhookSubscription(store.db, box, input, actor, now)).rejects.toMatchObject({
        code: "validation_failed",
        details: { issues: [{ path: "url" }] },
      });
      await expect(
        createWebhookSubscription(store.db, box, { ...input, url: "ftp://crm.example.com/" }, actor, now),
      ).rejects.toMatchObject({ details: { issues: [{ path: "url", message: "must be http or https" }] } });
      await expect(
        createWebhookSubscription(
          store.db,
          box,
          { ...input, url: "https://crm.example.com/", events: ["nope"] },
          actor,
          now,
        ),
      ).rejects.toMatchObject({ details: { issues: [{ path: "events.0" }] } });
    });

    it("writes an event once per enabled subscription that wants its type, in order, and nothing otherwise", async () => {
      const base = { url: "https://crm.example.com/", enabled: true };
      const a = await createWebhookSubscription(
        store.db,
        box,
        { ...base, name: "a", events: ["message.status_changed"] },
        actor,
        now,
      );
      const b = await createWebhookSubscription(
        store.db,
        box,
        { ...base, name: "b", events: ["message.status_changed", "contact.opted_out"] },
        actor,
        now,
      );
      const off = await createWebhookSubscription(
        store.db,
        box,
        { ...base, name: "off", events: ["message.status_changed"], enabled: false },
        actor,
        now,
      );
      const other = await createWebhookSubscription(
        store.db,
        box,
        { ...base, name: "c", events: ["campaign.started"] },
        actor,
        now,
      );
      const written = await enqueueWebhookEvents(store.db, [statusEvent(1), statusEvent(2), statusEvent(3)], now);
      expect(written).toBe(6);
      expect((await headOfQueue(store.db, a.subscription.id, 10)).map((r) => JSON.parse(r.data).n)).toEqual([1, 2, 3]);
      expect(await headOfQueue(store.db, b.subscription.id, 10)).toHaveLength(3);
      expect(await headOfQueue(store.db, off.subscription.id, 10)).toHaveLength(0);
      expect(await headOfQueue(store.db, other.subscription.id, 10)).toHaveLength(0);
      // The same event has the same id for every subscription.
      const [ea] = await headOfQueue(store.db, a.subscription.id, 1);
      const [eb] = await headOfQueue(store.db, b.subscription.id, 1);
      expect(ea?.event_id).toBe(eb?.event_id);
      // Disabling a subscription is seen at once by the next write (the cache is dropped).
      await updateWebhookSubscription(store.db, a.subscription.id, { enabled: false }, now);
      expect(await enqueueWebhookEvents(store.db, [statusEvent(4)], now)).toBe(1);
    });

    it("claims a subscription once, delivers, backs off after a failure and parks after the last attempt", async () => {
      const { subscription } = await createWebhookSubscription(
        store.db,
        box,
        { name: "a", url: "https://crm.example.com/", events: ["message.status_changed"], enabled: true },
        actor,
        now,
      );
      const id = subscription.id;
      await enqueueWebhookEvents(store.db, [statusEvent(1), statusEvent(2)], now);
      const claim = (owner: string, at: number) =>
        claimDueSubscriptions(store.db, store.dialect, { owner, limit: 10, leaseUntil: at + 60_000 }, at);
      expect(await claim("w1", now)).toHaveLength(1);
      expect(await claim("w2", now)).toHaveLength(0); // leased
      const seqs = (await headOfQueue(store.db, id, 10)).map((r) => r.seq);
      // A worker without the lease cannot write a result.
      expect(await finishDelivery(store.db, "w2", id, seqs, { ok: true, statusCode: 200, at: now })).toBe(false);
      const fail = (at: number) =>
        finishDelivery(store.db, "w1", id, seqs, {
          ok: false,
          statusCode: 500,
          error: "HTTP 500",
          at,
          retryAt: at + 1_000,
          maxAttempts: 2,
        });
      expect(await fail(now)).toBe(true);
      expect(await getWebhookSubscription(store.db, id)).toMatchObject({
        holdUntil: now + 1_000,
        consecutiveFailures: 1,
        pending: 2,
      });
      expect(await claim("w1", now + 500)).toHaveLength(0); // held back
      expect(await claim("w1", now + 1_000)).toHaveLength(1);
      await fail(now + 1_000);
      const parked = await listWebhookDeliveries(store.db, id, { limit: 10 });
      expect(parked.data.map((d) => [d.status, d.attempts, d.lastStatusCode])).toEqual([
        ["parked", 2, 500],
        ["parked", 2, 500],
      ]);
      expect(await getWebhookSubscription(store.db, id)).toMatchObject({ holdUntil: null, parked: 2, pending: 0 });
      // Re-delivery puts one back at the head of the queue; a success marks it delivered.
      const first = parked.data[1];
      if (!first) throw new Error("no delivery");
      await redeliverWebhookDelivery(store.db, id, Number(first.id), now + 2_000);
      await expect(redeliverWebhookDelivery(store.db, id, Number(first.id), now + 2_000)).rejects.toMatchObject({
        code: "conflict",
      });
      expect(await claim("w1", now + 2_000)).toHaveLength(1);
      const head = await headOfQueue(store.db, id, 10);
      expect(head.map((r) => String(r.seq))).toEqual([first.id]);
      await finishDelivery(store.db, "w1", id, [head[0]?.seq ?? 0], { ok: true, statusCode: 204, at: now + 2_001 });
      const log = await listWebhookDeliveries(store.db, id, { limit: 10, status: "delivered" });
      expect(log.data).toMatchObject([{ id: first.id, status: "delivered", attempts: 1, lastStatusCode: 204 }]);
    });
  });
}
