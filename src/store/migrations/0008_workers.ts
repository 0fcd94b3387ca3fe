import { type Kysely, sql } from "kysely";
import { dialectOf } from "../dialect.js";

const ORIGINS_BEFORE = ["campaign", "test", "auto_reply", "agent"];
const ORIGINS_AFTER = [...ORIGINS_BEFORE, "api"];

/**
 * Several processes on one database (DESIGN §5), and single messages from the API:
 * - `engine_leases`: one row per resource a single process must own at a time (`sender:<id>`: the
 *   number's send rate; `scheduler`: the time-driven chores), with its owner and when the lease ends.
 * - `message_requests`: the client's idempotency key of `POST /api/v1/messages` → the message it made.
 * - `messages.origin` also accepts `api`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await widenOrigin(db);
  await db.schema
    .createTable("engine_leases")
    .addColumn("resource", "text", (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("lease_until", "bigint", (c) => c.notNull())
    .addColumn("acquired_at", "bigint", (c) => c.notNull())
    .addColumn("renewed_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("message_requests")
    .addColumn("idempotency_key", "text", (c) => c.primaryKey())
    .addColumn("message_id", "text", (c) => c.notNull().references("messages.id").onDelete("cascade"))
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("message_requests_message_idx").on("message_requests").column("message_id").execute();
}

/** Drops the tables (the widened origin check stays: narrowing it could fail on existing `api` rows). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("message_requests").execute();
  await db.schema.dropTable("engine_leases").execute();
}

/**
 * Lets `messages.origin` be `api`. PostgreSQL replaces the check constraint. SQLite cannot alter a
 * check, so the table is rebuilt the way SQLite documents (https://sqlite.org/lang_altertable.html §7):
 * the new table is made from the stored definition (so columns and checks that later migrations added
 * are kept), rows are copied, the old table dropped, the new one renamed, and every index and trigger
 * recreated from its stored SQL — with foreign keys off during the swap and checked before commit.
 */
async function widenOrigin(db: Kysely<unknown>): Promise<void> {
  const list = (values: string[]) => values.map((v) => `'${v}'`).join(", ");
  if (dialectOf(db).name === "postgres") {
    const checks = await sql<{ conname: string }>`
      select conname from pg_constraint
      where conrelid = 'messages'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%origin%'`.execute(
      db,
    );
    for (const { conname } of checks.rows)
      await sql`alter table messages drop constraint ${sql.id(conname)}`.execute(db);
    await sql`alter table messages add constraint messages_origin_check check (origin in (${sql.raw(list(ORIGINS_AFTER))}))`.execute(
      db,
    );
    return;
  }
  const table = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = 'messages'`.execute(db);
  const definition = table.rows[0]?.sql;
  if (!definition) throw new Error("table messages not found");
  const pattern = /origin\s+in\s*\(([^)]*)\)/i;
  if (!pattern.test(definition)) throw new Error("the origin check of messages was not found");
  const widened = definition
    .replace(pattern, `origin in (${list(ORIGINS_AFTER)})`)
    .replace(/^create table\s+("messages"|messages)/i, 'create table "messages_rebuilt"');
  const dependents = await sql<{ sql: string }>`
    select sql from sqlite_master
    where tbl_name = 'messages' and type in ('index', 'trigger') and sql is not null`.execute(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await sql.raw(widened).execute(db);
      await sql`insert into messages_rebuilt select * from messages`.execute(db);
      await sql`drop table messages`.execute(db);
      await sql`alter table messages_rebuilt rename to messages`.execute(db);
      for (const d of dependents.rows) await sql.raw(d.sql).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`foreign key check failed after rebuilding messages`);
      await sql`commit`.execute(db);
    } catch (err) {
      await sql`rollback`.execute(db);
      throw err;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
