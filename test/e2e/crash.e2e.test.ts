import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEND_LEASE_MS } from "../../src/engine/dispatcher.js";
import { newId } from "../../src/ids.js";
import { SecretBox } from "../../src/secret-box.js";
import { openStore, type Store } from "../../src/store/db.js";
import { expireSendingLeases, insertMessages, type NewMessage } from "../../src/store/messages.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { createSender } from "../../src/store/senders.js";
import { type Sandbox, startSandbox } from "../../src/whatsapp/sandbox/index.js";

// Real: the dispatcher in a child process (tsx), SQLite on disk, the sandbox over 127.0.0.1, SIGKILL.
// Checked: DESIGN invariant 1 (no duplicate send) and 2 (every message ends in exactly one state) after crashes.
const N = 300;
const MPS = 50;
const KEY = "ab".repeat(32);
const child = new URL("./support/dispatcher-child.ts", import.meta.url).pathname;

describe("kill -9 during a send", () => {
  let dir: string;
  let store: Store;
  let sandbox: Sandbox & { origin: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-crash-"));
    store = await openStore({ databaseUrl: null, dataDir: dir });
    await migrateToLatest(store);
    const phone = {
      id: "900100200",
      wabaId: "900300400",
      displayPhoneNumber: "15550003333",
      accessToken: "crash-token-1",
      appSecret: "crash-secret-1",
    };
    sandbox = await startSandbox({ port: 0, phoneNumbers: [{ ...phone, mpsLimit: MPS, tier: "TIER_UNLIMITED" }] });
    const sender = await createSender(
      store.db,
      new SecretBox(Buffer.from(KEY, "hex")),
      {
        name: "crash",
        provider: "sandbox",
        phoneNumberId: phone.id,
        wabaId: phone.wabaId,
        apiOrigin: sandbox.origin,
        apiVersion: "v23.0",
        accessToken: phone.accessToken,
        appSecret: phone.appSecret,
        verifyToken: "verify-crash-1",
        mpsLimit: MPS,
        messagingTier: "TIER_UNLIMITED",
      },
      Date.now(),
    );
    const now = Date.now();
    const rows: NewMessage[] = Array.from({ length: N }, (_, i) => {
      const to = `8210${String(30_000_000 + i)}`;
      return {
        id: newId(now),
        campaign_id: null,
        contact_seq: null,
        sender_id: sender.id,
        to_phone: to,
        origin: "test",
        category: "utility",
        payload: JSON.stringify({ kind: "text", to, body: `message ${i}` }),
        status: "queued",
        skip_reason: null,
        due_at: now,
        created_at: now,
      };
    });
    await insertMessages(store.db, rows);
  });
  afterAll(async () => {
    await sandbox.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sentCount = async () =>
    Number(
      (
        await store.db
          .selectFrom("messages")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("status", "in", ["sent", "sending"])
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Runs the child; with `killDelayMs`, kills it that long after it has visibly started sending. */
  const runChild = (killDelayMs: number | null) =>
    new Promise<"killed" | "idle">((resolve, reject) => {
      // One process (node with tsx's loader), not the tsx CLI, which would run the script in a grandchild that
      // a SIGKILL of its parent leaves running.
      const p = spawn(process.execPath, ["--import", "tsx", child, dir, KEY, sandbox.origin], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      let done = false;
      p.stdout.on("data", (d) => {
        out += d;
      });
      p.stderr.on("data", (d) => {
        err += d;
      });
      if (killDelayMs !== null) {
        void (async () => {
          const before = await sentCount();
          while (!done && (await sentCount()) < before + 5) await new Promise((r) => setTimeout(r, 20));
          await new Promise((r) => setTimeout(r, killDelayMs));
          if (!done) p.kill("SIGKILL");
        })();
      }
      p.on("close", (code, signal) => {
        done = true;
        if (signal === "SIGKILL") resolve("killed");
        else if (code === 0 && out.includes("idle")) resolve("idle");
        else reject(new Error(`child exited ${code}: ${err}`));
      });
    });

  it("never sends a message twice, and accounts for every message after repeated SIGKILLs", async () => {
    // Random kill moments while the child sends (0–300 ms after its first sends), seeded so a failure replays.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let kills = 0;
    for (let i = 0; i < 4; i++) {
      if ((await runChild(Math.floor(random() * 300))) === "killed") kills += 1;
      // Time passes beyond the lease: what the dead child left in flight becomes unknown (the scheduler's chore).
      await expireSendingLeases(store.db, Date.now() + SEND_LEASE_MS + 1);
    }
    expect(await runChild(null)).toBe("idle");
    expect(kills).toBeGreaterThan(0);

    const rows = await store.db
      .selectFrom("messages")
      .select(["id", "to_phone", "status", "provider_message_id"])
      .execute();
    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    // Every message is in exactly one terminal state: sent (provider accepted) or unknown (in flight at a kill).
    expect((byStatus.sent ?? 0) + (byStatus.unknown ?? 0), JSON.stringify(byStatus)).toBe(N);
    // Uncertain messages are bounded by what can be in flight: one claim batch per kill.
    expect(byStatus.unknown ?? 0).toBeLessThanOrEqual(kills * MPS);

    let receivedTotal = 0;
    for (const r of rows) {
      const received = sandbox.received(r.to_phone);
      receivedTotal += received.length;
      // No duplicate send: no recipient got the message twice.
      expect(received.length, `${r.to_phone} received ${received.length}`).toBeLessThanOrEqual(1);
      if (r.status === "sent") {
        expect(received).toHaveLength(1);
        expect(received[0]?.id).toBe(r.provider_message_id);
      }
    }
    // The sandbox received every sent message, plus at most the unknown ones (sent, but the result was lost).
    expect(receivedTotal).toBeGreaterThanOrEqual(byStatus.sent ?? 0);
    expect(receivedTotal).toBeLessThanOrEqual((byStatus.sent ?? 0) + (byStatus.unknown ?? 0));
  }, 120_000);
});
