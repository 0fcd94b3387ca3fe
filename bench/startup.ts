// `npm run bench -- startup [runs]`: time from spawning `herald start` to the first 200 from
// /healthz, on a fresh data dir (first start: creates the database, migrates, creates the admin)
// and on an existing one (a restart). The bar: under 3 s after the build.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { machineLine } from "./_machine.js";

const runs = Number(process.argv[2] ?? 5);
const bin = new URL("../bin/herald.js", import.meta.url).pathname;

async function startOnce(dataDir: string): Promise<number> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const t0 = performance.now();
  const child = spawn("node", [bin, "start", "--port", String(port)], {
    env: { ...process.env, HERALD_DATA_DIR: dataDir, HERALD_LOG_LEVEL: "warn", DATABASE_URL: "" },
    stdio: "ignore",
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 30_000) throw new Error("not ready within 30 s");
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    const exited = new Promise((r) => child.once("close", r));
    child.kill("SIGTERM");
    await exited;
  }
}

const first: number[] = [];
const restart: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), "herald-bench-startup-"));
  first.push(await startOnce(dir));
  restart.push(await startOnce(dir));
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const max = (xs: number[]) => Math.max(...xs);
console.log(
  `inputs: ${runs} runs; SQLite in a temp dir; spawn of bin/herald.js start until GET /healthz answers 200 (10 ms polling)`,
);
console.log(machineLine());
console.log(
  `first start (create db, migrate, create admin): median ${median(first).toFixed(0)} ms, max ${max(first).toFixed(0)} ms`,
);
console.log(
  `restart (existing db):                          median ${median(restart).toFixed(0)} ms, max ${max(restart).toFixed(0)} ms`,
);
console.log(
  JSON.stringify({
    bench: "startup",
    runs,
    firstStartMedianMs: Math.round(median(first)),
    firstStartMaxMs: Math.round(max(first)),
    restartMedianMs: Math.round(median(restart)),
    restartMaxMs: Math.round(max(restart)),
  }),
);
