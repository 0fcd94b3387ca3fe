import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator, sql } from "kysely";
import type { Store } from "./db.js";
import * as m0001 from "./migrations/0001_init.js";
import * as m0002 from "./migrations/0002_senders.js";
import * as m0003 from "./migrations/0003_customers.js";
import * as m0004 from "./migrations/0004_templates.js";
import * as m0005 from "./migrations/0005_webhooks.js";
import * as m0006 from "./migrations/0006_campaigns.js";
import * as m0007 from "./migrations/0007_inbound.js";
import * as m0008 from "./migrations/0008_workers.js";
import * as m0009 from "./migrations/0009_webhook_subscriptions.js";
import * as m0010 from "./migrations/0010_inbox.js";
import * as m0011 from "./migrations/0011_automation.js";
import * as m0012 from "./migrations/0012_analytics.js";
import * as m0015 from "./migrations/0015_campaign_quiet_hours.js";
import * as m0017 from "./migrations/0017_claim_order.js";
import * as m0018 from "./migrations/0018_message_index_diet.js";

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
  "0008_workers": m0008,
  "0009_webhook_subscriptions": m0009,
  "0010_inbox": m0010,
  "0011_automation": m0011,
  "0012_analytics": m0012,
  "0015_campaign_quiet_hours": m0015,
  "0017_claim_order": m0017,
  "0018_message_index_diet": m0018,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * A migrator whose bookkeeping tables live in the connection's own schema. Without naming it, Kysely looks
 * for `kysely_migration` in every schema of the PostgreSQL database, finds another schema's (a test's, or
 * a second installation's), skips creating its own and then fails with "relation kysely_migration_lock
 * does not exist".
 */
async function migrator(store: Store): Promise<Migrator> {
  if (store.dialect.name !== "postgres") return new Migrator({ db: store.db, provider });
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
  const schema = current.rows[0]?.schema;
  return new Migrator({ db: store.db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Applies every pending migration; returns the names applied. Throws with the failing migration's name. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const result: MigrationResultSet = await (await migrator(store)).migrateToLatest();
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
  const all = await (await migrator(store)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
