import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { type DialectAdapter, postgresAdapter, sqliteAdapter } from "./dialect.js";
import type { Database } from "./schema.js";

/** An open database: the Kysely handle, its dialect capabilities, and how to close it. */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectAdapter;
  /** A description safe to print: the SQLite path or the PostgreSQL host/database (no password). */
  location: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…`; when null, SQLite at `<dataDir>/herald.db`. */
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL only: use this schema (created when missing); tests isolate themselves with it. */
  pgSchema?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

// int8 (count(*), sums, bigint epoch ms) comes back from pg as a string by default. Every int8
// Herald stores is an epoch-ms time or a count far below 2^53, so parse it as a number.
const PG_INT8 = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === PG_INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Opens SQLite (WAL, foreign keys on) or PostgreSQL, as the configuration says. */
export async function openStore(options: OpenOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openSqlite(options.dataDir);
}

function openSqlite(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "herald.db");
  const database = new SQLite(path);
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    db,
    dialect: sqliteAdapter,
    location: path,
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles the SQL anew on each prepare(): on the webhook
 * and auto-reply paths (many small statements per event) compiling cost as much as running. Statements are kept by
 * their SQL text (the values are parameters, so the texts repeat), least recently used first out. Sharing one
 * statement is safe: the connection runs one query at a time, and SQLite re-prepares a statement itself when the
 * schema changes under it (migrations).
 */
export function withStatementCache(
  database: SQLite.Database,
  max = 1_000,
): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string): SQLite.Statement {
      const hit = cache.get(text);
      if (hit) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const statement = database.prepare(text);
      if (cache.size >= max) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(text, statement);
      return statement;
    },
    close(): void {
      cache.clear();
      database.close();
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Store> {
  const schema = options.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const parsed = new URL(url);
  return {
    db,
    dialect: postgresAdapter,
    location: `postgres://${parsed.host}${parsed.pathname}${schema ? ` (schema ${schema})` : ""}`,
    close: () => db.destroy(),
  };
}

/** True when the database answers a trivial query. */
export async function ping(store: Store): Promise<boolean> {
  try {
    await sql`select 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}
