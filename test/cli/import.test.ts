import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Real: `herald import` run from the TypeScript sources (tsx) against SQLite in a temp dir. Faked: nothing.
const run = promisify(execFile);
const main = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname;
let dir: string;
const env = () => ({ ...process.env, HERALD_DATA_DIR: dir, HERALD_LOG_LEVEL: "warn", DATABASE_URL: "" });

async function herald(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [main, ...args], { env: env() });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("herald import", () => {
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "herald-import-"));
    file = join(dir, "contacts.csv");
    writeFileSync(
      file,
      [
        "휴대폰,이름,수신동의,메모",
        "010-1111-2222,김민지,동의,a",
        "010-12,Bad,동의,b",
        "010-1111-2222,Dup,동의,c",
        "010-3333-4444,Lee,거부,d",
        "",
      ].join("\n"),
    );
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--dry-run reports every rejected row by line and writes nothing", async () => {
    const result = await herald("import", "contacts", file, "--dry-run", "--default-country", "KR");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("mapping: 휴대폰 → phone, 이름 → name, 수신동의 → consent, 메모 → (left out)");
    expect(result.stderr).toMatch(/line 3: \[휴대폰\] phone: invalid_for_country/);
    expect(result.stderr).toContain("line 4: [휴대폰] duplicate in the file: +821011112222 is also on line 2");
    expect(JSON.parse(result.stdout)).toMatchObject({ rowsRead: 4, imported: 2, rejected: 2, written: false });
  }, 30_000);

  it("--atomic writes nothing when a row is rejected; without it the valid rows are written", async () => {
    const atomic = await herald("import", "contacts", file, "--atomic", "--default-country", "KR");
    expect(atomic.stderr).toContain("--atomic: 2 rows were rejected, so nothing was written");
    expect(JSON.parse(atomic.stdout)).toMatchObject({ written: false });
    const plain = await herald("import", "contacts", file, "--default-country", "KR", "--map", "메모=");
    expect(JSON.parse(plain.stdout)).toMatchObject({ created: 2, written: true });
  }, 60_000);

  it("refuses a mapping to an unknown field with a usage-free error", async () => {
    const result = await herald("import", "contacts", file, "--map", "메모=attributes.memo");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown target "attributes.memo" (define the attribute first)');
  }, 30_000);
});
