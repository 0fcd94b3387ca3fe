import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { SecretBox } from "../src/secret-box.js";

const tmp = () => mkdtempSync(join(tmpdir(), "herald-config-"));

describe("configuration", () => {
  it("uses SQLite under ./data and port 3000 by default", () => {
    const dir = tmp();
    const config = loadConfig({ env: { HERALD_DATA_DIR: dir }, envFileDir: null });
    expect(config).toMatchObject({ port: 3000, host: "127.0.0.1", databaseUrl: null, dataDir: dir, logLevel: "info" });
    expect(config.publicUrl).toBe("http://127.0.0.1:3000");
  });

  it("stops with a message naming every bad variable and the value it got", () => {
    const run = () =>
      loadConfig({
        env: { PORT: "eighty", HERALD_LOG_LEVEL: "loud", DATABASE_URL: "mysql://x", HERALD_DATA_DIR: tmp() },
        envFileDir: null,
      });
    expect(run).toThrow(ConfigError);
    const message = (() => {
      try {
        run();
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toContain('PORT: must be a whole number (got "eighty")');
    expect(message).toContain("HERALD_LOG_LEVEL");
    expect(message).toContain("DATABASE_URL: must be a postgres:// URL");
  });

  it("never echoes a secret's value in a configuration error", () => {
    expect(() =>
      loadConfig({ env: { HERALD_SECRET_KEY: "hunter2hunter2", HERALD_DATA_DIR: tmp() }, envFileDir: null }),
    ).toThrow(/HERALD_SECRET_KEY: must be 32 bytes[^"]*$/);
  });

  it("reads .env, with the environment taking precedence", () => {
    const dir = tmp();
    writeFileSync(join(dir, ".env"), "PORT=4100\nHERALD_LOG_LEVEL=debug\n");
    const config = loadConfig({ env: { PORT: "4200", HERALD_DATA_DIR: dir }, envFileDir: dir });
    expect(config.port).toBe(4200);
    expect(config.logLevel).toBe("debug");
  });

  it("generates the secret key into the data dir on first run with mode 0600, and reuses it", () => {
    const dir = tmp();
    const first = loadConfig({ env: { HERALD_DATA_DIR: dir }, envFileDir: null, createDataDir: true });
    expect(first.secretKeySource).toBe("generated");
    const path = join(dir, "secret.key");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8").trim()).toBe(first.secretKey.toString("hex"));
    const second = loadConfig({ env: { HERALD_DATA_DIR: dir }, envFileDir: null, createDataDir: true });
    expect(second.secretKeySource).toBe("file");
    expect(second.secretKey.equals(first.secretKey)).toBe(true);
  });

  it("takes HERALD_SECRET_KEY as hex or base64", () => {
    const hex = "11".repeat(32);
    expect(
      loadConfig({ env: { HERALD_SECRET_KEY: hex, HERALD_DATA_DIR: tmp() }, envFileDir: null }).secretKey.toString(
        "hex",
      ),
    ).toBe(hex);
    const b64 = Buffer.alloc(32, 7).toString("base64");
    expect(loadConfig({ env: { HERALD_SECRET_KEY: b64, HERALD_DATA_DIR: tmp() }, envFileDir: null }).secretKey).toEqual(
      Buffer.alloc(32, 7),
    );
  });
});

describe("secret box (AES-256-GCM for provider credentials)", () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it("round-trips a value and never stores it in clear", () => {
    const sealed = box.seal("EAAG-access-token-123", "sender:1:accessToken");
    expect(sealed).not.toContain("EAAG");
    expect(box.open(sealed, "sender:1:accessToken")).toBe("EAAG-access-token-123");
  });

  it("uses a fresh IV each time", () => {
    expect(box.seal("same")).not.toBe(box.seal("same"));
  });

  it("refuses a value moved to another context, tampered with, or opened with another key", () => {
    const sealed = box.seal("secret", "sender:1:appSecret");
    expect(() => box.open(sealed, "sender:2:appSecret")).toThrow();
    const parts = sealed.split(":");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() =>
      box.open([parts[0], parts[1], parts[2], flipped.toString("base64url")].join(":"), "sender:1:appSecret"),
    ).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed, "sender:1:appSecret")).toThrow();
  });
});
