import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Real: the built `herald` binary (dist/), SQLite in a temp dir, HTTP on 127.0.0.1. Faked: nothing.
const run = promisify(execFile);
const bin = new URL("../../bin/herald.js", import.meta.url).pathname;
let dataDir: string;
const env = () => ({
  ...process.env,
  HERALD_DATA_DIR: dataDir,
  HERALD_LOG_LEVEL: "warn",
  DATABASE_URL: "",
  HERALD_SANDBOX_PORT: "0",
});

describe("the herald command line", () => {
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "herald-cli-"));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints help for each command", async () => {
    for (const args of [
      ["--help"],
      ["start", "--help"],
      ["migrate", "--help"],
      ["user", "create", "--help"],
      ["apikey", "create", "--help"],
    ]) {
      const { stdout } = await run("node", [bin, ...args], { env: env() });
      expect(stdout).toContain("Usage: herald");
    }
  });

  it("migrates explicitly, then reports the database up to date", async () => {
    const first = await run("node", [bin, "migrate"], { env: env() });
    expect(first.stderr).toContain("0001_init");
    const second = await run("node", [bin, "migrate"], { env: env() });
    expect(second.stderr).toContain("up to date");
  });

  it("creates an API key and prints only the key on standard output", async () => {
    const { stdout, stderr } = await run(
      "node",
      [bin, "apikey", "create", "--name", "CRM sync", "--role", "marketer"],
      { env: env() },
    );
    expect(stdout).toMatch(/^hk_[\w-]{43}\n$/);
    expect(stderr).toContain('API key "CRM sync"');
    const list = await run("node", [bin, "apikey", "list"], { env: env() });
    expect(list.stdout).toContain("CRM sync\tmarketer");
    expect(list.stdout).not.toContain(stdout.trim());
  });

  it("creates a user with a password read from standard input", async () => {
    const child = spawn(
      "node",
      [bin, "user", "create", "--email", "agent@example.com", "--role", "agent", "--password-stdin"],
      { env: env() },
    );
    child.stdin.end("a long enough password\n");
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    const { stdout } = await run("node", [bin, "user", "list"], { env: env() });
    expect(stdout).toContain("agent@example.com\tagent\tactive");
  });

  it("rejects a bad role and a bad configuration value with a message naming it", async () => {
    const role = await run("node", [bin, "apikey", "create", "--name", "x", "--role", "owner"], { env: env() }).catch(
      (e) => e,
    );
    expect(role.code).toBe(2);
    expect(role.stderr).toContain("--role must be admin, marketer or agent");
    const port = await run("node", [bin, "start"], { env: { ...env(), PORT: "99999" } }).catch((e) => e);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("PORT: must be between 0 and 65535");
  });

  it("starts, prints the dashboard URL and the first admin login once, and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-start-"));
    const start = () => {
      const child = spawn("node", [bin, "start", "--port", "0"], { env: { ...env(), HERALD_DATA_DIR: dir } });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      const ready = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready: ${stderr}`)), 15_000);
        child.stderr.on("data", () => {
          if (stderr.includes("Dashboard:")) {
            clearTimeout(timer);
            setTimeout(() => resolve(stderr), 50);
          }
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      return { child, ready, exited };
    };
    const first = start();
    const out1 = await first.ready;
    expect(out1).toMatch(/Dashboard: {2}http:\/\/127\.0\.0\.1:\d+\//);
    expect(out1).toContain("email:    admin@herald.local");
    expect(out1).toMatch(/password: \S{16}/);
    expect(out1).toMatch(/Sandbox: {4}http:\/\/127\.0\.0\.1:\d+/);
    expect(out1).toContain('Demo:       sender "Sandbox number"');
    const url = /Dashboard: {2}(\S+)\//.exec(out1)?.[1];
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", db: "sqlite" });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const second = start();
    const out2 = await second.ready;
    expect(out2).not.toContain("password:");
    expect(out2).not.toContain("Demo:");
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the sandbox standalone: Meta's paths at the root of its own origin", async () => {
    const child = spawn("node", [bin, "sandbox", "--port", "0", "--phone-number-id", "123", "--waba-id", "456"], {
      env: { ...env(), SANDBOX_ACCESS_TOKEN: "token-123456", SANDBOX_APP_SECRET: "secret-123456" },
    });
    let stderr = "";
    const origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready: ${stderr}`)), 15_000);
      child.stderr.on("data", (d) => {
        stderr += d;
        const m = /listening on (\S+)/.exec(stderr);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const send = (token: string) =>
      fetch(`${origin}/v23.0/123/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ messaging_product: "whatsapp", to: "821012345678", type: "text", text: { body: "hi" } }),
      });
    const ok = await send("token-123456");
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { messages: { id: string }[] }).messages[0]?.id).toMatch(/^wamid\./);
    const bad = await send("wrong");
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(190);
    const exited = new Promise((resolve) => child.on("close", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
