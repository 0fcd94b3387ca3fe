import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Imports point one way (docs/architecture.md): api, cli → engine → whatsapp, store → domain.
// domain imports nothing of ours but domain; store and whatsapp never import api, cli or engine.
const src = resolve(import.meta.dirname, "../src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The top-level folder (layer) of a file under src/, or "root" for src/*.ts. */
function layer(path: string): string {
  const rel = relative(src, path).split("/");
  return rel.length === 1 ? "root" : (rel[0] ?? "root");
}

const FORBIDDEN: Record<string, string[]> = {
  domain: ["root", "store", "whatsapp", "engine", "api", "cli"],
  store: ["whatsapp", "engine", "api", "cli"],
  whatsapp: ["store", "engine", "api", "cli"],
  engine: ["api", "cli"],
};

describe("layering", () => {
  const violations: string[] = [];
  for (const file of files(src)) {
    const from = layer(file);
    const banned = FORBIDDEN[from];
    if (!banned) continue;
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
      const target = resolve(file, "..", match[1] ?? "");
      const to = layer(target);
      // root-level files a lower layer may use: ids, clock and secret-box are dependency-free utilities.
      const allowedRoot = from !== "domain" && /\/src\/(ids|clock|secret-box)\.js$/.test(target);
      if (banned.includes(to) && !allowedRoot) violations.push(`${relative(src, file)} imports ${match[1]}`);
    }
  }

  it("keeps imports pointing down: domain ← store/whatsapp ← engine ← api/cli", () => {
    expect(violations).toEqual([]);
  });
});
