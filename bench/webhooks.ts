// `npm run bench -- webhooks [seconds]`: status webhooks applied per second by a Herald server on SQLite, and the
// acknowledgement latency of the webhook POSTs while it applies them. Issue 6 asks for ≥ 10,000 statuses/s applied
// with an acknowledgement p99 under 50 ms.
//
// Three processes: the Herald server under test (child: real `startServer`, SQLite in a temp dir, no sandbox, no
// demo; a sender whose app secret signs the load, and N messages already `sent` with provider ids), a load
// generator (child: POSTs Meta's batched shape — each POST holds PER_POST changes of one status each, as the
// sandbox sends them — signed with X-Hub-Signature-256, at a steady rate over keep-alive sockets, and times each
// acknowledgement), and this orchestrator, which counts applied statuses in the database (a read-only connection;
// WAL lets it read while the server writes) when the measured window opens and closes.
// Env: RATE (statuses/s, default 12000), PER_POST (default 100), SUBSCRIBE=1 (also a webhook subscription to
// message.status_changed, with a local receiver, so every applied status is written to the outbox and delivered).
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { machineLine } from "./_machine.js";

const ROLE = process.env.HERALD_BENCH_ROLE;
const SELF = fileURLToPath(import.meta.url);
const PHONE_ID = "106540352242922";
const WABA_ID = "102290129340398";
const SECRET = "bench-app-secret";

const LOAD = {
  rate: Number(process.env.RATE ?? 12_000),
  perPost: Number(process.env.PER_POST ?? 100),
  warmupSeconds: 2,
  // Children get the duration from the environment (they are forked without arguments).
  seconds: Number(process.env.SECONDS_UNDER_LOAD ?? process.argv[2] ?? 10) || 10,
  connections: 16,
  subscribe: process.env.SUBSCRIBE === "1",
};
const MESSAGES = LOAD.rate * (LOAD.warmupSeconds + LOAD.seconds);

type Message = Record<string, unknown>;
const send = (m: Message) => process.send?.(m);

function once(child: ChildProcess, type: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Message) => {
      if (m.type === type) {
        child.off("message", onMessage);
        resolve(m);
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) =>
      reject(new Error(`${child.spawnargs.join(" ")} exited with ${code} before "${type}"`)),
    );
  });
}

function spawn(role: string, env: Record<string, string> = {}): ChildProcess {
  return fork(SELF, [], {
    execArgv: [
      "--import",
      "tsx",
      ...(process.env.HERALD_BENCH_PROF === role ? ["--cpu-prof", "--cpu-prof-dir=/tmp/herald-bench-prof"] : []),
    ],
    env: { ...process.env, HERALD_BENCH_ROLE: role, SECONDS_UNDER_LOAD: String(LOAD.seconds), ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

// ---------- the server under test ----------

async function server(): Promise<void> {
  const dir = process.env.DATA_DIR as string;
  const { loadConfig } = await import("../src/config.js");
  const { createLogger } = await import("../src/logger.js");
  const { startServer } = await import("../src/server.js");
  const { openStore } = await import("../src/store/db.js");
  const { migrateToLatest } = await import("../src/store/migrate.js");
  const { createSender } = await import("../src/store/senders.js");
  const { SecretBox } = await import("../src/secret-box.js");
  const { createWebhookSubscription } = await import("../src/store/webhook-subscriptions.js");
  const config = loadConfig({
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      HERALD_DATA_DIR: dir,
      HERALD_SANDBOX: "false",
      HERALD_LOG_LEVEL: "warn",
      HERALD_ADMIN_EMAIL: "bench@example.com",
      HERALD_ADMIN_PASSWORD: "correct horse battery",
      HERALD_GRAPH_ORIGIN: "http://127.0.0.1:9",
      HERALD_ENGINE_THREAD: process.env.HERALD_ENGINE_THREAD ?? "false",
    },
    envFileDir: null,
    createDataDir: true,
  });
  // Seed before the server starts: a sender and MESSAGES rows already `sent`, as a dispatched campaign leaves them.
  const store = await openStore({ databaseUrl: null, dataDir: dir });
  await migrateToLatest(store);
  const box = new SecretBox(config.secretKey);
  const sender = await createSender(
    store.db,
    box,
    {
      name: "Bench",
      provider: "cloud",
      phoneNumberId: PHONE_ID,
      wabaId: WABA_ID,
      displayPhoneNumber: "15550783881",
      apiVersion: "v23.0",
      accessToken: "bench-token",
      appSecret: SECRET,
      verifyToken: "bench-verify",
      mpsLimit: 80,
      messagingTier: "TIER_UNLIMITED",
    },
    Date.now(),
  );
  const t = Date.now();
  const { sql } = await import("kysely");
  // One statement: MESSAGES rows `sent` with provider ids wamid.m000000000…, as a dispatched campaign leaves them.
  await sql`with recursive n(i) as (select 0 union all select i + 1 from n where i < ${MESSAGES - 1})
    insert into messages (id, campaign_id, contact_seq, sender_id, to_phone, origin, category, payload, status,
      due_at, attempts, provider_message_id, created_at, sent_at)
    select printf('m%09d', i), null, null, ${sender.id}, printf('8210%08d', i), 'test', 'marketing', '{}', 'sent',
      ${t}, 1, printf('wamid.m%09d', i), ${t}, ${t} from n`.execute(store.db);
  if (LOAD.subscribe) {
    await createWebhookSubscription(
      store.db,
      box,
      { name: "bench", url: process.env.RECEIVER_URL as string, events: ["message.status_changed"], enabled: true },
      { userId: null },
      t,
    );
  }
  await store.close();
  const running = await startServer({
    config,
    logger: createLogger(config),
    demo: false,
    engineThread: config.engineThread,
  });
  process.on("message", (m: Message) => {
    if (m.type === "cpu") {
      const used = process.cpuUsage();
      send({ type: "cpu", micros: used.user + used.system });
    }
    if (m.type === "stop") void running.close().then(() => process.exit(0));
  });
  send({ type: "ready", url: running.url, db: join(dir, "herald.db") });
}

// ---------- the load generator ----------

function statusBody(first: number, count: number, seconds: number): string {
  const changes = [];
  for (let j = first; j < first + count; j++) {
    changes.push({
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_ID },
        statuses: [
          {
            id: `wamid.m${String(j).padStart(9, "0")}`,
            status: "delivered",
            timestamp: String(seconds),
            recipient_id: `8210${String(j).padStart(8, "0")}`,
            pricing: { billable: true, pricing_model: "PMP", category: "marketing", type: "regular" },
          },
        ],
      },
    });
  }
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: WABA_ID, changes }] });
}

async function loadgen(): Promise<void> {
  const { signBody } = await import("../src/whatsapp/webhook/signature.js");
  const url = new URL("/webhooks/whatsapp", process.env.TARGET_URL);
  const posts = Math.floor(MESSAGES / LOAD.perPost);
  const seconds = Math.floor(Date.now() / 1000);
  const bodies: { body: Buffer; signature: string }[] = [];
  for (let k = 0; k < posts; k++) {
    const body = Buffer.from(statusBody(k * LOAD.perPost, LOAD.perPost, seconds));
    bodies.push({ body, signature: signBody(body, SECRET) });
  }
  const agent = new Agent({ keepAlive: true, maxSockets: LOAD.connections });
  const intervalMs = (1000 * LOAD.perPost) / LOAD.rate;
  const warmupPosts = Math.floor((LOAD.warmupSeconds * 1000) / intervalMs);
  const latencies: number[] = [];
  let failed = 0;
  let maxLagMs = 0;
  let done = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let k = 0;
    const fire = () => {
      const now = performance.now();
      // Every POST whose time has come goes now (a steady rate, whatever the timer's granularity).
      while (k < posts && start + k * intervalMs <= now) {
        const index = k++;
        if (index === warmupPosts) send({ type: "window", edge: "open" });
        maxLagMs = Math.max(maxLagMs, now - (start + index * intervalMs));
        const { body, signature } = bodies[index] as { body: Buffer; signature: string };
        const sentAt = performance.now();
        const req = request(
          url,
          {
            method: "POST",
            agent,
            headers: {
              "content-type": "application/json",
              "content-length": body.length,
              "x-hub-signature-256": signature,
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => {
              if (res.statusCode !== 200) failed++;
              if (index >= warmupPosts) latencies.push(performance.now() - sentAt);
              if (++done === posts) resolve();
            });
          },
        );
        req.on("error", () => {
          failed++;
          if (++done === posts) resolve();
        });
        req.end(body);
      }
      if (k === posts) {
        send({ type: "window", edge: "close" });
        return;
      }
      setTimeout(fire, Math.max(0, Math.min(5, start + k * intervalMs - performance.now())));
    };
    fire();
  });
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  send({
    type: "result",
    posts,
    failed,
    maxLagMs,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: latencies.at(-1) ?? 0,
  });
}

// ---------- the CRM receiver (SUBSCRIBE=1) ----------

async function receiver(): Promise<void> {
  let events = 0;
  const key = Buffer.from('"type":"message.status_changed"');
  const srv = createServer((req, res) => {
    req.on("data", (chunk: Buffer) => {
      for (let i = chunk.indexOf(key); i >= 0; i = chunk.indexOf(key, i + key.length)) events++;
    });
    req.on("end", () => res.writeHead(204).end());
  });
  srv.listen(0, "127.0.0.1", () => send({ type: "ready", port: (srv.address() as { port: number }).port }));
  process.on("message", (m: Message) => {
    if (m.type === "stats") send({ type: "stats", events });
  });
}

// ---------- the orchestrator ----------

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "herald-bench-webhooks-"));
  process.stdout.write(
    `inputs: ${LOAD.rate} statuses/s offered for ${LOAD.seconds} s (after ${LOAD.warmupSeconds} s warm-up), ` +
      `${LOAD.perPost} statuses per POST (${(LOAD.rate / LOAD.perPost).toFixed(0)} POSTs/s), ${LOAD.connections} keep-alive ` +
      `connections, ${MESSAGES} messages sent and waiting for their status, SQLite, ` +
      `${LOAD.subscribe ? "a webhook subscription to message.status_changed (outbox + delivery on)" : "no webhook subscription"}\n`,
  );
  process.stdout.write(`${machineLine()}\n`);
  const before = loadavg();
  process.stdout.write(
    `load average before: ${before.map((l) => l.toFixed(2)).join(", ")} (other work on this machine)\n`,
  );
  const children: ChildProcess[] = [];
  try {
    let receiverUrl = "";
    let crm: ChildProcess | null = null;
    if (LOAD.subscribe) {
      crm = spawn("receiver");
      children.push(crm);
      receiverUrl = `http://127.0.0.1:${(await once(crm, "ready")).port}/crm`;
    }
    const herald = spawn("server", { DATA_DIR: dir, RECEIVER_URL: receiverUrl });
    children.push(herald);
    const ready = await once(herald, "ready");
    const db = new SQLite(ready.db as string, { readonly: true });
    const applied = () =>
      (db.prepare("select count(*) as n from messages where status = 'delivered'").get() as { n: number }).n;
    const load = spawn("loadgen", { TARGET_URL: ready.url as string });
    children.push(load);
    const window: { t0?: number; n0?: number; t1?: number; n1?: number; cpu0?: number; cpu1?: number } = {};
    const cpu = async () => {
      const wait = once(herald, "cpu");
      herald.send({ type: "cpu" });
      return Number((await wait).micros);
    };
    load.on("message", (m: Message) => {
      if (m.type !== "window") return;
      const t = performance.now();
      const n = applied();
      if (m.edge === "open") Object.assign(window, { t0: t, n0: n });
      else Object.assign(window, { t1: t, n1: n });
    });
    const cpuStart = await cpu();
    // Applied statuses sampled every 250 ms from the first POST until all are applied: the end-to-end rate.
    const loadStart = performance.now();
    let allAppliedAt = 0;
    const sampler = setInterval(() => {
      if (allAppliedAt === 0 && applied() >= MESSAGES) allAppliedAt = performance.now();
    }, 250);
    const result = await once(load, "result");
    const cpuLoad = await cpu();
    // Then wait for the backlog to drain.
    const drainStart = performance.now();
    let total = applied();
    while (total < MESSAGES && performance.now() - drainStart < 60_000) {
      await new Promise((r) => setTimeout(r, 100));
      total = applied();
    }
    const drainMs = performance.now() - drainStart;
    clearInterval(sampler);
    if (allAppliedAt === 0 && total >= MESSAGES) allAppliedAt = performance.now();
    const endToEndSeconds = allAppliedAt === 0 ? null : (allAppliedAt - loadStart) / 1000;
    const after = loadavg();
    let delivered: number | null = null;
    if (crm) {
      await new Promise((r) => setTimeout(r, 3_000));
      const wait = once(crm, "stats");
      crm.send({ type: "stats" });
      delivered = Number((await wait).events);
    }
    db.close();
    const windowSeconds = ((window.t1 ?? 0) - (window.t0 ?? 0)) / 1000;
    const appliedPerSecond = ((window.n1 ?? 0) - (window.n0 ?? 0)) / windowSeconds;
    const figures = {
      offeredStatusesPerSecond: LOAD.rate,
      appliedStatusesPerSecond: Math.round(appliedPerSecond),
      endToEndAppliedPerSecond: endToEndSeconds === null ? null : Math.round(MESSAGES / endToEndSeconds),
      backlogAtEndOfLoad: MESSAGES - (window.n1 ?? 0),
      drainMs: Math.round(drainMs),
      allApplied: total === MESSAGES,
      ackP50Ms: Number((result.p50 as number).toFixed(2)),
      ackP90Ms: Number((result.p90 as number).toFixed(2)),
      ackP99Ms: Number((result.p99 as number).toFixed(2)),
      ackMaxMs: Number((result.max as number).toFixed(2)),
      failedPosts: result.failed,
      generatorMaxLagMs: Number((result.maxLagMs as number).toFixed(1)),
      serverCpuPerStatusMicros: Math.round((cpuLoad - cpuStart) / MESSAGES),
      ...(delivered !== null ? { outboundEventsDelivered: delivered } : {}),
      loadAverage: after.map((l) => Number(l.toFixed(2))),
    };
    process.stdout.write(
      `applied: ${figures.appliedStatusesPerSecond} statuses/s over the ${windowSeconds.toFixed(1)} s window ` +
        `(backlog ${figures.backlogAtEndOfLoad} when the load stopped; all applied: ${figures.allApplied}, ` +
        `${figures.endToEndAppliedPerSecond ?? "?"} statuses/s from the first POST to the last status applied)\n` +
        `acknowledgement: p50 ${figures.ackP50Ms} ms, p90 ${figures.ackP90Ms} ms, p99 ${figures.ackP99Ms} ms, max ${figures.ackMaxMs} ms; ` +
        `${figures.failedPosts} failed POSTs; the generator fell behind its schedule by at most ${figures.generatorMaxLagMs} ms\n` +
        `server CPU: ${figures.serverCpuPerStatusMicros} µs per status (intake + apply, all threads)\n` +
        (delivered !== null
          ? `outbound: ${delivered} message.status_changed events received by the CRM receiver\n`
          : "") +
        `load average after: ${after.map((l) => l.toFixed(2)).join(", ")}\n`,
    );
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    herald.send({ type: "stop" });
    await once(herald, "exit-never").catch(() => undefined);
  } finally {
    for (const c of children) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (ROLE === "server") await server();
else if (ROLE === "loadgen") await loadgen();
else if (ROLE === "receiver") await receiver();
else await main();
