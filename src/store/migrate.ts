import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from "kysely";
import type { Store } from "./db.js";
import * as m0001 from "./migrations/0001_init.js";
import * as m0002 from "./migrations/0002_senders.js";
import * as m0003 from "./migrations/0003_customers.js";
import * as m0004 from "./migrations/0004_templates.js";
import * as m0005 from "./migrations/0005_webhooks.js";
import * as m0006 from "./migrations/0006_campaigns.js";
import * as m0007 from "./migrations/0007_inbound.js";
import * as m0012 from "./migrations/0012_analytics.js";

/**
 * The migration history, in order. Listed statically (not read from a folder) so the compiled
 * build and the TypeScript sources run the same list. Never edit a shipped migration: add one.
 */
const MIGRATIONS: Record<string, Migration> = {
  "0001_init": m0001,
  "0002_senders": m0002,
  "0003_customers": m0003,
  "0004_templates": m0004,
  "0005_webhooks": m0005,
  "0006_campaigns": m0006,
  "0007_inbound": m0007,
  "0012_analytics": m0012,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies every pending migration; returns the names applied. Throws with the failing migration's name. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const applied = (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed} failed: ${reason}`);
  }
  return applied;
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
