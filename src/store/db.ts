import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect, type SqliteStatement, sql } from "kysely";
import pg from "pg";
import { type DialectAdapter, postgresAdapter, sqliteAdapter } from "./dialect.js";
import type { Database } from "./schema.js";

/** An open database: the Kysely handle, its dialect capabilities, and how to close it. */
export interface Store {
  db: Kysely<Database>;
  dialect: DialectAdapter;
  /** A description safe to print: the SQLite path or the PostgreSQL host/database (no password). */
  location: string;
  /**
   * SQLite with a write gate, HTTP side: waits without blocking the event loop until the engine thread is between
   * write transactions and keeps it from starting the next one until the returned `release` is called. Absent
   * otherwise (nothing to wait for: PostgreSQL locks rows, a lone SQLite connection queues in Kysely).
   */
  writeTurn?: () => Promise<() => void>;
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
  /** SQLite only: take turns at writing with the process's other connection (engine thread). */
  sqliteGate?: SqliteWriteGate;
  /** SQLite only: how long a write waits for another connection's lock before SQLITE_BUSY (default 5 s). */
  busyTimeoutMs?: number;
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
  return openSqlite(options.dataDir, options);
}

function openSqlite(dataDir: string, options: OpenOptions): Store {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "herald.db");
  const database = new SQLite(path);
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  database.pragma("synchronous = NORMAL");
  database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
  const cached = withStatementCache(database, options.sqliteGate ? { gate: options.sqliteGate } : {});
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  return {
    db,
    dialect: sqliteAdapter,
    location: path,
    ...(options.sqliteGate?.side === "http" ? { writeTurn: writeTurn(options.sqliteGate) } : {}),
    close: () => db.destroy(),
  };
}

/**
 * Two SQLite connections of one process take turns at writing (`herald start` with the engine in its own thread,
 * engine/engine-thread.ts). SQLite's own busy handler is not fair: a waiting writer sleeps 1, 2, 5, 10… ms and
 * retries, so an engine that runs write transactions back to back can starve the HTTP side's insert for seconds
 * (measured: webhook acknowledgements at 9 s while the applier ran). Over shared memory the HTTP side says "I want
 * to write" (`wanted`) and the engine says "I am in a write transaction" (`busy`): the HTTP side waits for `busy` to
 * clear instead of sleeping in SQLite's handler, and the engine does not start its next transaction while the HTTP
 * side wants to write (for at most ENGINE_YIELD_MS, so a long HTTP-side transaction cannot stop the engine).
 * SQLite's locking stays the guarantee; this only decides who goes first.
 */
export interface SqliteWriteGate {
  /**
   * Int32 slots (newWriteGateBuffer): [0] = HTTP-side writers waiting or writing, [1] = 1 while the engine is in a
   * write transaction, [2] and [3] = how many wait for [1] and for [0] to change (so a change wakes only if needed).
   */
  buffer: SharedArrayBuffer;
  side: "http" | "engine";
}

/** A new gate's shared memory, to pass to both sides. */
export function newWriteGateBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(16);
}

const WANTED = 0;
const BUSY = 1;
// How many wait on each flag: the side that changes a flag wakes the other only when someone waits (a futex wake
// per statement cost the engine thread ~5% of its time in the auto-reply bench).
const WAITING_FOR_BUSY = 2;
const WAITING_FOR_WANTED = 3;
const WAITERS: Record<number, number> = { [WANTED]: WAITING_FOR_WANTED, [BUSY]: WAITING_FOR_BUSY };

/** Wakes the waiters of `slot` (after the caller changed it), if there are any. */
function wake(flags: Int32Array, slot: number): void {
  if (Atomics.load(flags, WAITERS[slot] as number) > 0) Atomics.notify(flags, slot);
}
const ENGINE_YIELD_MS = 50;
const HTTP_WAIT_MS = 5_000;

function waitWhile(flags: Int32Array, slot: number, busy: (v: number) => boolean, ms: number): void {
  if (!busy(Atomics.load(flags, slot))) return;
  const waiters = WAITERS[slot] as number;
  Atomics.add(flags, waiters, 1);
  try {
    const deadline = performance.now() + ms;
    for (let v = Atomics.load(flags, slot); busy(v); v = Atomics.load(flags, slot)) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      Atomics.wait(flags, slot, v, left);
    }
  } finally {
    Atomics.sub(flags, waiters, 1);
  }
}

// Node has had Atomics.waitAsync since 16; TypeScript's lib lists it from es2024 on.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** The HTTP side's turn at writing, awaited (see Store.writeTurn). */
function writeTurn(gate: SqliteWriteGate): () => Promise<() => void> {
  const flags = new Int32Array(gate.buffer);
  return async () => {
    Atomics.add(flags, WANTED, 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      Atomics.sub(flags, WANTED, 1);
      wake(flags, WANTED);
    };
    if (Atomics.load(flags, BUSY) === 0) return release;
    Atomics.add(flags, WAITING_FOR_BUSY, 1);
    try {
      const deadline = performance.now() + HTTP_WAIT_MS;
      for (let v = Atomics.load(flags, BUSY); v !== 0; v = Atomics.load(flags, BUSY)) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        const waited = waitAsync(flags, BUSY, v, left);
        if (waited.async) await waited.value;
      }
    } catch (err) {
      release();
      throw err;
    } finally {
      Atomics.sub(flags, WAITING_FOR_BUSY, 1);
    }
    return release;
  };
}

/** The statement with each execution run inside `around` (the write gate, the profiler). */
function runAround(
  statement: Pick<SqliteStatement, "reader" | "all" | "run" | "iterate">,
  around: <T>(run: () => T) => T,
): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => around(() => statement.all(parameters)),
    run: (parameters) => around(() => statement.run(parameters)),
    iterate: (parameters) => around(() => statement.iterate(parameters)),
  };
}

/** Wraps statements so that writes follow the gate (see SqliteWriteGate). */
function gated(gate: SqliteWriteGate): (text: string, statement: SQLite.Statement) => SqliteStatement {
  const flags = new Int32Array(gate.buffer);
  let inTransaction = false;
  const enter = () => {
    if (gate.side === "http") {
      Atomics.add(flags, WANTED, 1);
      waitWhile(flags, BUSY, (v) => v !== 0, HTTP_WAIT_MS);
    } else {
      waitWhile(flags, WANTED, (v) => v > 0, ENGINE_YIELD_MS);
      Atomics.store(flags, BUSY, 1);
    }
  };
  const leave = () => {
    if (gate.side === "http") {
      Atomics.sub(flags, WANTED, 1);
      wake(flags, WANTED);
    } else {
      Atomics.store(flags, BUSY, 0);
      wake(flags, BUSY);
    }
  };
  return (text, statement) => {
    const verb = text.trimStart().slice(0, 8).toLowerCase();
    const begins = verb.startsWith("begin");
    const ends = verb.startsWith("commit") || verb.startsWith("rollback") || verb.startsWith("end");
    const writes = !statement.readonly && !begins && !ends;
    const around = <T>(run: () => T): T => {
      if (begins) {
        enter();
        try {
          const result = run();
          inTransaction = true;
          return result;
        } catch (err) {
          leave();
          throw err;
        }
      }
      if (ends) {
        try {
          return run();
        } finally {
          if (inTransaction) {
            inTransaction = false;
            leave();
          }
        }
      }
      if (!writes || inTransaction) return run();
      enter();
      try {
        return run();
      } finally {
        leave();
      }
    };
    return runAround(statement, around);
  };
}

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles the SQL anew on each prepare(): on the webhook
 * and auto-reply paths (many small statements per event) compiling cost as much as running. Statements are kept by
 * their SQL text (the values are parameters, so the texts repeat), least recently used first out. Sharing one
 * statement is safe: the connection runs one query at a time, and SQLite re-prepares a statement itself when the
 * schema changes under it (migrations). With a write gate, the kept statements are the gated wrappers.
 */
const sqlProfile: Map<string, { calls: number; ns: bigint }> | null = process.env.HERALD_SQL_PROFILE ? new Map() : null;
if (sqlProfile) {
  // A diagnostic for benchmarks (HERALD_SQL_PROFILE=path): time spent in each statement, written at exit.
  process.on("exit", () => {
    const rows = [...sqlProfile].sort((a, b) => Number(b[1].ns - a[1].ns));
    const lines = rows.map(
      ([text, { calls, ns }]) =>
        `${(Number(ns) / 1e6).toFixed(1).padStart(9)} ms ${String(calls).padStart(7)} calls ${(Number(ns) / 1e3 / calls).toFixed(1).padStart(8)} µs  ${text.replace(/\s+/g, " ").slice(0, 400)}`,
    );
    const base = `${process.env.HERALD_SQL_PROFILE}.${process.pid}`;
    try {
      writeFileSync(base, `${lines.join("\n")}\n`);
      writeFileSync(`${base}.long`, longTransactions.join("\n\n"));
    } catch (err) {
      process.stderr.write(`HERALD_SQL_PROFILE: could not write ${base}: ${(err as Error).message}\n`);
    }
  });
}

let openTransaction: { at: number; stack: string } | null = null;
const longTransactions: string[] = [];

function profiled(
  text: string,
  statement: SqliteStatement,
  profile: Map<string, { calls: number; ns: bigint }>,
): SqliteStatement {
  const entry = profile.get(text) ?? { calls: 0, ns: 0n };
  profile.set(text, entry);
  const verb = text.trimStart().slice(0, 6).toLowerCase();
  const time = <T>(run: () => T): T => {
    const start = process.hrtime.bigint();
    if (verb === "begin") openTransaction = { at: performance.now(), stack: new Error().stack ?? "" };
    try {
      return run();
    } finally {
      entry.calls++;
      entry.ns += process.hrtime.bigint() - start;
      if ((verb === "commit" || verb.startsWith("rollba")) && openTransaction) {
        const held = performance.now() - openTransaction.at;
        if (held > 50)
          longTransactions.push(`${held.toFixed(0)} ms held at ${new Date().toISOString()}\n${openTransaction.stack}`);
        openTransaction = null;
      }
    }
  };
  return runAround(statement, time);
}

export function withStatementCache(
  database: SQLite.Database,
  options: { max?: number; gate?: SqliteWriteGate } = {},
): SqliteDatabase {
  const max = options.max ?? 1_000;
  const wrap = options.gate ? gated(options.gate) : null;
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const prepared = database.prepare(text);
      const plain = wrap ? wrap(text, prepared) : prepared;
      const statement = sqlProfile ? profiled(text, plain, sqlProfile) : plain;
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
