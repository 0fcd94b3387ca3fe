import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openStore, type Store } from "../../src/store/db.js";
import { migrateToLatest } from "../../src/store/migrate.js";

/**
 * The databases store tests run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
 * (test/global-setup.ts prints one line when it is not). Each store gets a fresh database:
 * a temp dir for SQLite, a fresh schema for PostgreSQL, dropped on close.
 */
export interface TestDialect {
  name: "sqlite" | "postgres";
  /** A new, migrated, empty store. */
  open(): Promise<Store>;
}

const pgUrl = process.env.TEST_DATABASE_URL;
let schemaCounter = 0;

export const sqlite: TestDialect = {
  name: "sqlite",
  async open() {
    const dir = mkdtempSync(join(tmpdir(), "herald-test-"));
    const store = await openStore({ databaseUrl: null, dataDir: dir });
    await migrateToLatest(store);
    const close = store.close;
    return {
      ...store,
      close: async () => {
        await close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgres: TestDialect = {
  name: "postgres",
  async open() {
    if (!pgUrl) throw new Error("TEST_DATABASE_URL is not set");
    schemaCounter += 1;
    const schema = `t_${process.pid}_${Date.now().toString(36)}_${schemaCounter}`;
    const store = await openStore({ databaseUrl: pgUrl, dataDir: tmpdir(), pgSchema: schema, poolSize: 4 });
    await migrateToLatest(store);
    const close = store.close;
    return {
      ...store,
      close: async () => {
        await close();
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  },
};

/** The dialects available in this run. */
export const DIALECTS: TestDialect[] = pgUrl ? [sqlite, postgres] : [sqlite];
