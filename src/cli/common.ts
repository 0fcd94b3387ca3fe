import { InvalidArgumentError } from "commander";
import { type Config, loadConfig } from "../config.js";
import { isRole, type Role } from "../domain/auth/roles.js";
import { openStore, type Store } from "../store/db.js";
import { migrateToLatest } from "../store/migrate.js";

/** Loads the configuration, creating the data dir (and secret key) on first use. */
export function cliConfig(): Config {
  return loadConfig({ createDataDir: true });
}

/** Opens the configured database and brings its schema up to date, for one-shot commands. */
export async function withStore<T>(fn: (store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(store);
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

/** Commander parser for `--role`. */
export function parseRole(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`--role must be admin, marketer or agent (got "${value}")`);
  return value;
}

/** Commander parser for a TCP port. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError(`must be a port number 0–65535 (got "${value}")`);
  return n;
}

/** Reads all of standard input as text (for --password-stdin). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}
