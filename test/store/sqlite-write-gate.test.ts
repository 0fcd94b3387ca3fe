import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { newWriteGateBuffer, openStore, type Store } from "../../src/store/db.js";

// The engine thread runs write transactions back to back on its own connection; the HTTP side's single inserts
// must not starve (SQLite's busy handler alone let them wait for seconds). A real second thread, a real file.
const ENGINE = `
const { workerData, parentPort } = require("node:worker_threads");
import(workerData.tsx).then(async (tsx) => {
  tsx.register();
  const { openStore } = await import(workerData.db);
  const store = await openStore({ databaseUrl: null, dataDir: workerData.dir, busyTimeoutMs: 60000,
    ...(workerData.gate ? { sqliteGate: { buffer: workerData.gate, side: "engine" } } : {}) });
  const { sql } = await import("kysely");
  parentPort.postMessage("ready");
  const until = Date.now() + workerData.ms;
  let transactions = 0;
  while (Date.now() < until) {
    await store.db.transaction().execute(async (trx) => {
      const started = Date.now();
      // ~15 ms of writes per transaction, like an applier batch.
      for (let i = 0; Date.now() - started < 15; i++) await sql\`insert into t (side, n) values ('engine', \${i})\`.execute(trx);
    });
    transactions++;
  }
  await store.close();
  parentPort.postMessage({ transactions });
});`;

function runEngine(dir: string, gate: SharedArrayBuffer | null, ms: number) {
  const worker = new Worker(ENGINE, {
    eval: true,
    workerData: {
      dir,
      gate,
      ms,
      tsx: import.meta.resolve("tsx/esm/api"),
      db: new URL("../../src/store/db.ts", import.meta.url).href,
    },
  });
  const ready = new Promise<void>((resolve) => worker.once("message", () => resolve()));
  const done = new Promise<{ transactions: number }>((resolve, reject) => {
    worker.on("message", (m) => typeof m === "object" && resolve(m as { transactions: number }));
    worker.once("error", reject);
  });
  return { ready, done };
}

describe("SQLite write gate between the HTTP side and the engine thread", () => {
  let dir = "";
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets the HTTP side's inserts in between the engine's back-to-back transactions, and both make progress", async () => {
    dir = mkdtempSync(join(tmpdir(), "herald-gate-"));
    const gate = newWriteGateBuffer();
    store = await openStore({ databaseUrl: null, dataDir: dir, sqliteGate: { buffer: gate, side: "http" } });
    await sql`create table t (id integer primary key, side text not null, n integer not null)`.execute(store.db);
    const engine = runEngine(dir, gate, 1_500);
    await engine.ready;
    const waits: number[] = [];
    for (let i = 0; i < 40; i++) {
      const started = performance.now();
      await sql`insert into t (side, n) values ('http', ${i})`.execute(store.db);
      waits.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
    const { transactions } = await engine.done;
    waits.sort((a, b) => a - b);
    const rows = await sql<{
      side: string;
      n: number;
    }>`select side, count(*) as n from t group by side order by side`.execute(store.db);
    expect(rows.rows.find((r) => r.side === "http")?.n).toBe(40);
    expect(transactions).toBeGreaterThan(5);
    // An insert waits at most for the engine's transaction in progress (~15 ms), not for a string of them.
    // Generous for a loaded CI machine; without the gate the slowest waits were hundreds of ms to seconds.
    expect(waits[waits.length - 1], `waits ${waits.map((w) => w.toFixed(1)).join(", ")}`).toBeLessThan(250);
  });
});
