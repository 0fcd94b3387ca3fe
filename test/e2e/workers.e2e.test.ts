import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/model.js";
import { SecretBox } from "../../src/secret-box.js";
import { createCampaign, getCampaign, transitionCampaign } from "../../src/store/campaigns.js";
import { upsertContacts } from "../../src/store/contacts-upsert.js";
import { openStore, type Store } from "../../src/store/db.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { createSegment } from "../../src/store/segments.js";
import { createSender } from "../../src/store/senders.js";
import { insertTemplate } from "../../src/store/templates.js";
import { createCloudApiProvider } from "../../src/whatsapp/cloud-api/client.js";
import { type Sandbox, startSandbox } from "../../src/whatsapp/sandbox/index.js";
import { toTemplateDefinition } from "../../src/whatsapp/template-definition.js";

// Real: two `herald worker` processes (node + tsx, the CLI entry), one PostgreSQL database, the sandbox over
// 127.0.0.1 in this process, SIGKILL. Checked: DESIGN §5 — two workers on one campaign never send a recipient twice,
// never exceed the number's messages per second together (measured where the sandbox received the requests), and
// when the worker holding the number dies, the other takes its lease and finishes the campaign.
const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl) {
  process.stderr.write(
    "⚠ test/e2e/workers.e2e.test.ts skipped: two workers need PostgreSQL (set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)\n",
  );
}

const N = 3_000;
const MPS = 100;
const KEY = "cd".repeat(32);
const main = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const phone = { id: "910100200", wabaId: "910300400", accessToken: "workers-token-1", appSecret: "workers-secret-1" };
const template: Template = {
  name: "order_notice",
  language: "ko",
  category: "UTILITY",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "주문번호 {{1}} 상품이 오늘 출고되었습니다. 확인 부탁드립니다.",
  examples: { "1": "A-1001" },
  footer: null,
  buttons: [],
};

/** The most timestamps inside any window [t, t + 1000 ms), and where it starts. */
function busiestWindow(times: number[]): { count: number; start: number } {
  const sorted = [...times].sort((x, y) => x - y);
  let best = { count: 0, start: 0 };
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= 1000) j++;
    if (i - j + 1 > best.count) best = { count: i - j + 1, start: sorted[j] as number };
  }
  return best;
}

interface Worker {
  child: ChildProcess;
  pid: number;
  log: string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

describe.skipIf(!pgUrl)("two herald workers on PostgreSQL", () => {
  const database = `herald_workers_${process.pid}_${Date.now().toString(36)}`;
  let url: string;
  let dir: string;
  let store: Store;
  let sandbox: Sandbox & { origin: string };
  const workers: Worker[] = [];

  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  const startWorker = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", main, "worker"], {
        env: {
          ...process.env,
          DATABASE_URL: url,
          HERALD_DATA_DIR: dir,
          HERALD_SECRET_KEY: KEY,
          HERALD_SANDBOX: "false",
          HERALD_LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const worker: Worker = {
        child,
        pid: child.pid ?? 0,
        log: "",
        exited: new Promise((done) => child.on("exit", (code, signal) => done({ code, signal }))),
      };
      const collect = (d: Buffer) => {
        worker.log += d.toString();
        if (worker.log.includes("herald worker ready")) resolve(worker);
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      void worker.exited.then(({ code }) => reject(new Error(`worker exited ${code} before ready: ${worker.log}`)));
      workers.push(worker);
    });

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    const parsed = new URL(pgUrl as string);
    parsed.pathname = `/${database}`;
    url = parsed.toString();
    dir = mkdtempSync(join(tmpdir(), "herald-workers-"));
    store = await openStore({ databaseUrl: url, dataDir: dir });
    await migrateToLatest(store);
    sandbox = await startSandbox({
      port: 0,
      templateReviewDelayMs: 10,
      phoneNumbers: [{ ...phone, displayPhoneNumber: "15550004444", mpsLimit: MPS, tier: "TIER_UNLIMITED" }],
    });

    const now = Date.now();
    const sender = await createSender(
      store.db,
      new SecretBox(Buffer.from(KEY, "hex")),
      {
        name: "workers",
        provider: "sandbox",
        phoneNumberId: phone.id,
        wabaId: phone.wabaId,
        apiOrigin: sandbox.origin,
        apiVersion: "v23.0",
        accessToken: phone.accessToken,
        appSecret: phone.appSecret,
        verifyToken: "verify-workers-1",
        mpsLimit: MPS,
        messagingTier: "TIER_UNLIMITED",
      },
      now,
    );
    // The template exists and is approved on the sandbox (it checks every send against it) and in Herald.
    const provider = createCloudApiProvider({ origin: sandbox.origin, version: "v23.0" });
    const ref = { phoneNumberId: phone.id, wabaId: phone.wabaId, accessToken: phone.accessToken };
    const created = await provider.createTemplate(ref, toTemplateDefinition(template));
    for (let i = 0; i < 100; i++) {
      const page = await provider.listTemplates(ref, { name: template.name });
      if (page.templates.some((t) => t.status === "APPROVED")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await provider.close();
    const stored = await insertTemplate(
      store.db,
      {
        template,
        lint: [],
        wabaId: phone.wabaId,
        senderId: sender.id,
        status: "APPROVED",
        providerTemplateId: created.id,
        createdBy: null,
        source: "sync",
        event: "APPROVED",
      },
      now,
    );
    await upsertContacts(
      store.db,
      Array.from({ length: N }, (_, i) => ({ phone: `+8210${String(40_000_000 + i)}`, phoneCountry: "KR" })),
      now,
    );
    const segment = await createSegment(
      store.db,
      {
        name: "KR",
        rules: { kind: "condition", field: "contact.country", op: "eq", value: "KR" },
        excludeInactive: false,
      },
      now,
    );
    const campaign = await createCampaign(
      store.db,
      {
        name: "two workers",
        senderId: sender.id,
        templateId: stored.id,
        segmentId: segment.id,
        variables: { "1": { from: "constant", value: "A-2001" } },
        schedule: { kind: "now", at: null },
        category: "UTILITY",
        createdBy: null,
      },
      now,
    );
    process.env.HERALD_WORKERS_CAMPAIGN = campaign.id;
    process.env.HERALD_WORKERS_SENDER = sender.id;
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await store?.close();
    await sandbox?.close();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const leaseOwnerPid = async (resource: string): Promise<number | null> => {
    const row = await store.db
      .selectFrom("engine_leases")
      .selectAll()
      .where("resource", "=", resource)
      .executeTakeFirst();
    // A released lease stays as a row whose lease has ended (its end tells the next holder when to start).
    if (!row || Number(row.lease_until) < Date.now()) return null;
    const parts = row.owner.split(":");
    return Number(parts[parts.length - 3]);
  };
  const count = async (statuses: string[]) =>
    Number(
      (
        await store.db
          .selectFrom("messages")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("status", "in", statuses as never)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const until = async (what: string, check: () => Promise<boolean>, ms: number) => {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > ms)
        throw new Error(`timed out waiting for ${what}\n${workers.map((w) => `[${w.pid}] ${w.log}`).join("\n")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it("share one campaign without a duplicate or a second above the number's rate, and survive a kill -9", async () => {
    const campaignId = process.env.HERALD_WORKERS_CAMPAIGN as string;
    const senderResource = `sender:${process.env.HERALD_WORKERS_SENDER}`;
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    if (!a || !b) throw new Error("workers did not start");

    await transitionCampaign(store.db, campaignId, "launching", Date.now());
    // One worker holds the number; the other waits. Kill the holder a third of the way through.
    await until("a third sent", async () => (await count(["sent", "sending"])) >= N / 3, 60_000);
    const holderPid = await leaseOwnerPid(senderResource);
    const holder = [a, b].find((w) => w.pid === holderPid);
    const survivor = [a, b].find((w) => w.pid !== holderPid);
    if (!holder || !survivor) throw new Error(`the lease is held by ${holderPid}, not by a worker`);
    const killedAt = Date.now();
    holder.child.kill("SIGKILL");
    await holder.exited;
    const sentAtKill = await count(["sent"]);

    await until(
      "the survivor to take the number",
      async () => (await leaseOwnerPid(senderResource)) === survivor.pid,
      30_000,
    );
    await until("completion", async () => (await getCampaign(store.db, campaignId)).status === "completed", 120_000);
    const takenAt = (
      await store.db
        .selectFrom("engine_leases")
        .selectAll()
        .where("resource", "=", senderResource)
        .executeTakeFirstOrThrow()
    ).acquired_at;
    expect(takenAt).toBeGreaterThanOrEqual(killedAt);
    expect(await count(["sent"])).toBeGreaterThan(sentAtKill);

    // Every recipient is in exactly one terminal state: sent, or unknown (in flight when its worker was killed).
    const rows = await store.db
      .selectFrom("messages")
      .select(["to_phone", "status", "provider_message_id"])
      .where("campaign_id", "=", campaignId)
      .execute();
    expect(rows).toHaveLength(N);
    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    expect((byStatus.sent ?? 0) + (byStatus.unknown ?? 0), JSON.stringify(byStatus)).toBe(N);
    // Uncertain messages are bounded by one claim (one second of sending) of the killed worker.
    expect(byStatus.unknown ?? 0).toBeLessThanOrEqual(MPS);

    // No duplicate: the sandbox's received log against the database.
    const times: number[] = [];
    for (const r of rows) {
      const received = sandbox.received(r.to_phone);
      expect(received.length, `${r.to_phone} received ${received.length}`).toBeLessThanOrEqual(1);
      if (r.status === "sent") {
        expect(received).toHaveLength(1);
        expect(received[0]?.id).toBe(r.provider_message_id);
      }
      for (const m of received) times.push(m.at);
    }
    expect(times.length).toBeGreaterThanOrEqual(byStatus.sent ?? 0);

    // The combined rate, as the sandbox received it: never more than MPS in any one-second window.
    const arrival = busiestWindow(times);
    const departures = (
      await store.db
        .selectFrom("messages")
        .select("sent_at")
        .where("campaign_id", "=", campaignId)
        .where("sent_at", "is not", null)
        .execute()
    ).map((r) => r.sent_at as number);
    const departure = busiestWindow(departures);
    const state = (await (await fetch(`${sandbox.origin}/_sandbox/state`)).json()) as {
      rejectedByCode: Record<string, number>;
    };
    process.stderr.write(
      `two workers: ${JSON.stringify(byStatus)}; busiest 1-s window as received ${arrival.count}/${MPS} ` +
        `(starting ${arrival.start - killedAt} ms from the kill), as sent ${departure.count}/${MPS}; ` +
        `130429 rejections ${state.rejectedByCode["130429"] ?? 0}; lease taken over ${takenAt - killedAt} ms after the kill\n`,
    );
    // Strict where we control it: the two workers' send times together never exceed the number's rate. As received,
    // 10% is allowed: this sandbox runs in the test's own process, whose event loop (polling the database, watching
    // the children) sometimes holds requests a few tens of milliseconds and then takes them in a burst (108/100 seen
    // with 99/100 sent). The sandbox's own per-number bucket, like Meta's, rejected none of them (checked below).
    const busiest = arrival.count;
    expect(departure.count).toBeLessThanOrEqual(MPS);
    expect(busiest).toBeLessThanOrEqual(MPS * 1.1);
    expect(state.rejectedByCode["130429"] ?? 0).toBe(0);

    // A clean stop gives the number back at once (its lease ends now).
    survivor.child.kill("SIGTERM");
    expect((await survivor.exited).code, survivor.log).toBe(0);
    expect(await leaseOwnerPid(senderResource)).toBeNull();
  }, 240_000);
});
