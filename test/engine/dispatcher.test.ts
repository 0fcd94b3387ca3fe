import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimSizeFor, startDispatcher } from "../../src/engine/dispatcher.js";
import { ProviderRegistry } from "../../src/engine/providers.js";
import { createLogger } from "../../src/logger.js";
import { SecretBox } from "../../src/secret-box.js";
import type { Store } from "../../src/store/db.js";
import { insertMessages, type NewMessage } from "../../src/store/messages.js";
import { createSender } from "../../src/store/senders.js";
import { type Sandbox, startSandbox } from "../../src/whatsapp/sandbox/index.js";
import { sqlite } from "../support/dialects.js";

// Real: the dispatcher, SQLite, the sandbox over 127.0.0.1 (in this process), the clock.
const box = new SecretBox(Buffer.alloc(32, 7));
const phone = { id: "930100200", wabaId: "930300400", accessToken: "dispatch-token-1", appSecret: "dispatch-secret-1" };

describe("dispatcher: continuous sending", () => {
  let store: Store;
  let sandbox: Sandbox & { origin: string };
  let providers: ProviderRegistry;

  beforeEach(async () => {
    store = await sqlite.open();
    sandbox = await startSandbox({
      port: 0,
      phoneNumbers: [{ ...phone, displayPhoneNumber: "15550009999", mpsLimit: 1_000, tier: "TIER_UNLIMITED" }],
    });
    providers = new ProviderRegistry({ cloudOrigin: sandbox.origin, sandboxOrigin: sandbox.origin });
  });
  afterEach(async () => {
    await providers.close();
    await sandbox.close();
    await store.close();
  });

  /** `n` due rows for a sender limited to `mps`. */
  async function queue(n: number, mps: number): Promise<void> {
    const now = Date.now();
    const sender = await createSender(
      store.db,
      box,
      {
        name: "dispatch",
        provider: "sandbox",
        phoneNumberId: phone.id,
        wabaId: phone.wabaId,
        apiOrigin: sandbox.origin,
        apiVersion: "v23.0",
        accessToken: phone.accessToken,
        appSecret: phone.appSecret,
        verifyToken: "verify-dispatch-1",
        mpsLimit: mps,
        messagingTier: "TIER_UNLIMITED",
      },
      now,
    );
    const rows: NewMessage[] = Array.from({ length: n }, (_, i) => {
      const to = `8210${String(30_000_000 + i)}`;
      return {
        id: `m${String(i).padStart(5, "0")}`,
        campaign_id: null,
        contact_seq: null,
        sender_id: sender.id,
        to_phone: to,
        origin: "test",
        category: "utility",
        payload: JSON.stringify({ kind: "text", to, body: "hello" }),
        status: "queued",
        skip_reason: null,
        due_at: now,
        created_at: now,
      };
    });
    await insertMessages(store.db, rows);
  }

  const byStatus = async () =>
    Object.fromEntries(
      (
        await store.db
          .selectFrom("messages")
          .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
          .groupBy("status")
          .execute()
      ).map((r) => [r.status, Number(r.n)]),
    );

  const start = () =>
    startDispatcher({ store, box, providers, logger: createLogger({ logLevel: "silent" }), now: Date.now, pollMs: 20 });

  it("sends everything in order while holding only a claim and a half ahead", async () => {
    const N = 1_200;
    const MPS = 400;
    await queue(N, MPS);
    const dispatcher = start();
    // Watch how many rows are `sending` (claimed ahead, in flight, or sent and not yet recorded) while it runs.
    let most = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        most = Math.max(most, (await byStatus()).sending ?? 0);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await dispatcher.idle();
    watching = false;
    await watch;
    await dispatcher.stop();
    expect(await byStatus()).toEqual({ sent: N });
    // A claim is a quarter second (100 rows here): one and a half claims ahead, the in-flight cap (40) and ~100 ms
    // of results waiting for their write bound it (~200 seen). Claiming a whole second (400) ahead, as batches of
    // one claim each did, or everything, fails this.
    expect(claimSizeFor(MPS)).toBe(100);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(300);
    const sent = await store.db.selectFrom("messages").select(["id", "sent_at"]).orderBy("id").execute();
    const times = sent.map((r) => r.sent_at as number);
    // Oldest-due first, ties by id: the send times follow the ids.
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
    // Never above the rate in any second as sent.
    for (let i = MPS; i < times.length; i++)
      expect((times[i] as number) - (times[i - MPS] as number)).toBeGreaterThanOrEqual(1_000);
  }, 30_000);

  it("gives the rows it claimed ahead and did not send back to the queue when stopped", async () => {
    const N = 1_000;
    await queue(N, 100);
    const dispatcher = start();
    for (let i = 0; i < 200 && ((await byStatus()).sent ?? 0) < 30; i++) await new Promise((r) => setTimeout(r, 25));
    await dispatcher.stop();
    const counts = await byStatus();
    expect(counts.sending).toBeUndefined();
    expect((counts.sent ?? 0) + (counts.queued ?? 0)).toBe(N);
    expect(counts.sent ?? 0).toBeGreaterThanOrEqual(30);
    expect(counts.sent ?? 0).toBeLessThan(N);
    // Released rows do not count an attempt.
    const attempts = await store.db
      .selectFrom("messages")
      .select("attempts")
      .where("status", "=", "queued")
      .distinct()
      .execute();
    expect(attempts.map((r) => r.attempts)).toEqual([0]);
    expect(sandbox.received("821030000000")).toHaveLength(1);
  }, 30_000);
});
