// Set-based generation of a campaign history for `npm run bench -- reports`: C campaigns of M/C messages each
// (statuses, reads, replies, failures and their timestamps in the shares of a real audience) and the link codes of
// 30 % of them (clicks on 15 %), all in SQL: one INSERT … SELECT per chunk over a sequence table, no row passes
// through JavaScript. The tables' secondary indexes are dropped first and rebuilt at the end (a sorted build beats
// 10,000,000 random index inserts; the final schema is the migrated one), and ids are fixed-width and ascending so
// primary keys grow at their right edge. Foreign-key checks are off during the load (the generated keys are known
// to exist): SQLite `foreign_keys = OFF`, PostgreSQL `session_replication_role = replica` on the pinned connection.
import { readFileSync } from "node:fs";
import { type Kysely, sql } from "kysely";
import { SecretBox } from "../src/secret-box.js";
import type { Database } from "../src/store/schema.js";
import { createSender } from "../src/store/senders.js";
import { insertTemplate } from "../src/store/templates.js";

const DAY = 86_400_000;
/** Rows per INSERT … SELECT (one transaction each). */
const CHUNK = 500_000;
/** Ids: 'm' + (BASE + k·10⁷ + i): the same width for every campaign k < 1,000 and index i < 10⁷, so they sort by (k, i). */
const ID_BASE = 1_000_000_000_000;

export interface GenerateOptions {
  dialect: "sqlite" | "postgres";
  contacts: number;
  messages: number;
  campaigns: number;
  now: number;
  segmentIds: string[];
  /** Keep the secondary indexes during the load instead of rebuilding them at the end (to compare). */
  keepIndexes?: boolean;
  /** Progress lines (stderr). */
  progress?: (line: string) => void;
}

export interface GenerateResult {
  messages: number;
  linkCodes: number;
  /** Wall time of the whole generation (inserts + index rebuild + statistics). */
  seconds: number;
  /** Wall time of the inserts only, and of the index rebuild. */
  insertSeconds: number;
  indexSeconds: number;
  /** CPU time of the process doing the work (this process on SQLite, the PostgreSQL backend on PostgreSQL). */
  cpuSeconds: number | null;
  /** CPU time of the inserts and of the index rebuild. */
  insertCpuSeconds: number | null;
  indexCpuSeconds: number | null;
}

/** Replaces the campaigns, messages and link codes with a generated history. Needs messages/campaigns ≤ contacts. */
export async function generateMessages(db: Kysely<Database>, o: GenerateOptions): Promise<GenerateResult> {
  const per = Math.floor(o.messages / o.campaigns);
  if (per > o.contacts) throw new Error(`--messages / --campaigns (${per}) must not exceed --contacts (${o.contacts})`);
  const pg = o.dialect === "postgres";
  const started = performance.now();
  return db.connection().execute(async (conn) => {
    const backendPid = pg
      ? Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn)).rows[0]?.pid)
      : null;
    const cpu0 = cpuSeconds(backendPid);
    if (pg) {
      await sql`set session_replication_role = replica`.execute(conn);
      await sql`set synchronous_commit = off`.execute(conn);
      await sql`set maintenance_work_mem = '1GB'`.execute(conn);
      await sql`set max_parallel_maintenance_workers = 0`.execute(conn);
      await sql`truncate link_clicks, link_codes, order_attributions, campaign_rollups, messages, campaigns cascade`.execute(
        conn,
      );
      await sql`update analytics_state set orders_watermark = 0`.execute(conn);
    } else {
      await sql`pragma foreign_keys = OFF`.execute(conn);
      await sql`pragma synchronous = OFF`.execute(conn);
      await sql`pragma cache_size = -1048576`.execute(conn);
      await sql`pragma temp_store = MEMORY`.execute(conn);
      // CREATE INDEX may sort with a helper thread.
      await sql`pragma threads = 2`.execute(conn);
      for (const table of [
        "link_clicks",
        "link_codes",
        "order_attributions",
        "campaign_rollups",
        "messages",
        "campaigns",
      ] as const) {
        await conn.deleteFrom(table).execute();
      }
      await sql`update analytics_state set orders_watermark = 0`.execute(conn);
    }
    const { senderId, templateId } = await senderAndTemplate(conn, o.now);
    for (const id of o.segmentIds) {
      await conn
        .insertInto("segments")
        .values({
          id,
          name: id,
          description: "",
          rules: "{}",
          exclude_inactive: 0,
          exclude_opted_out: 0,
          created_at: o.now,
          updated_at: o.now,
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
    }
    // The sequence 0 … min(per, CHUNK) − 1, once.
    const seqSize = Math.min(per, CHUNK);
    if (pg) {
      await sql`create temporary table if not exists bench_seq (i bigint primary key)`.execute(conn);
      await sql`truncate bench_seq`.execute(conn);
      await sql`insert into bench_seq select g from generate_series(0, ${sql.lit(seqSize - 1)}::bigint) g`.execute(
        conn,
      );
    } else {
      await sql`create temp table if not exists bench_seq (i integer primary key)`.execute(conn);
      await sql`delete from bench_seq`.execute(conn);
      await sql`insert into bench_seq with recursive n(i) as (select 0 union all select i + 1 from n where i < ${sql.lit(seqSize - 1)}) select i from n`.execute(
        conn,
      );
    }
    const dropped = o.keepIndexes
      ? []
      : [...(await dropIndexes(conn, "messages", pg)), ...(await dropIndexes(conn, "link_codes", pg))];
    const insertStarted = performance.now();
    const cpuInsert0 = cpuSeconds(backendPid);

    let done = 0;
    let links = 0;
    for (let k = 0; k < o.campaigns; k++) {
      const id = `bench-c${String(k).padStart(4, "0")}`;
      const launched = o.now - 180 * DAY + Math.floor((k * 178 * DAY) / o.campaigns);
      await conn
        .insertInto("campaigns")
        .values({
          id,
          name: `Campaign ${k}`,
          status: "completed",
          sender_id: senderId,
          template_id: templateId,
          segment_id: o.segmentIds[k % o.segmentIds.length] ?? null,
          variables: "{}",
          schedule_kind: "now",
          scheduled_at: null,
          category: "MARKETING",
          audience: null,
          estimate: JSON.stringify({ totalMicroUsd: per * 60_400 }),
          created_by: null,
          created_at: launched,
          updated_at: launched,
          launched_at: launched,
          completed_at: launched + DAY,
          cancelled_at: null,
          last_error: null,
        })
        .execute();
      // h: a per-(campaign, recipient) hash in 0…999 that picks the recipient's fate.
      const h = sql`((s.i * 2654435761 + ${sql.lit(k * 40_503)}) % 1000)`;
      const sent = sql`(${sql.lit(launched)} + (s.i % 7200) * 1000)`;
      const readAt = sql`(${sent} + ((${h} * 7919) % 86400) * 1000)`;
      // Campaign k's audience: the contacts after seq k·104,729 (wrapping), in seq order, so the join reads contacts
      // sequentially instead of at random (the generated habits are spread over seqs at random already).
      const seq = sql`((s.i + ${sql.lit((k * 104_729) % o.contacts)}) % ${sql.lit(o.contacts)}) + 1`;
      const num = sql`(${sql.lit(ID_BASE + k * 10_000_000)} + s.i)`;
      for (let from = 0; from < per; from += CHUNK) {
        const to = Math.min(per, from + CHUNK);
        const rows = sql`(select i from bench_seq where i < ${sql.lit(to - from)}) q`;
        const s = sql`(select q.i + ${sql.lit(from)} as i from ${rows}) s`;
        const inserted =
          await sql`insert into messages (id, campaign_id, contact_seq, sender_id, to_phone, origin, category,
            payload, status, skip_reason, due_at, attempts, provider_message_id, error_code, created_at, sent_at,
            delivered_at, read_at, failed_at, pricing_category, billable, replied_at)
          select 'm' || ${num}, ${id}, c.seq, ${senderId}, substr(c.phone, 2), 'campaign', 'marketing', '{}',
            case when ${h} < 30 then 'skipped' when ${h} < 50 then 'failed' when ${h} < 100 then 'sent'
                 when ${h} < 400 then 'delivered' else 'read' end,
            case when ${h} < 30 then 'frequency_cap' end,
            ${sql.lit(launched)}, 1,
            case when ${h} >= 40 then 'w' || ${num} end,
            case when ${h} >= 30 and ${h} < 50 then (case when ${h} < 40 then 131050 else 131026 end) end,
            ${sql.lit(launched)},
            case when ${h} >= 40 then ${sent} end,
            case when ${h} >= 100 then ${sent} + 3000 end,
            case when ${h} >= 400 then ${readAt} end,
            case when ${h} >= 30 and ${h} < 50 then ${sent} + 60000 end,
            'marketing', 1,
            case when ${h} >= 880 then ${readAt} + 600000 end
          from ${s} join contacts c on c.seq = ${seq}
          order by s.i`.execute(conn);
        const codes = await sql`insert into link_codes (code, message_id, campaign_id, contact_seq, url, created_at,
            first_click_at, clicks)
          select 'c' || ${num}, 'm' || ${num}, ${id}, ${seq}, 'https://shop.example/sale', ${sql.lit(launched)},
            case when ${h} >= 850 then ${readAt} + 60000 end, case when ${h} >= 850 then 1 else 0 end
          from ${s} where ${h} >= 700
          order by s.i`.execute(conn);
        done += Number(inserted.numAffectedRows ?? 0);
        links += Number(codes.numAffectedRows ?? 0);
      }
      const rate = done / ((performance.now() - started) / 1000);
      o.progress?.(`generating messages: ${done.toLocaleString("en")} (${Math.round(rate).toLocaleString("en")}/s)`);
    }
    const insertSeconds = (performance.now() - insertStarted) / 1000;
    const cpuIndex0 = cpuSeconds(backendPid);
    const indexStarted = performance.now();
    for (const ddl of dropped) await sql.raw(ddl).execute(conn);
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    const cpuIndex1 = cpuSeconds(backendPid);
    o.progress?.(`indexes rebuilt (${dropped.length}) in ${indexSeconds.toFixed(1)} s`);
    if (pg) {
      await sql`set session_replication_role = origin`.execute(conn);
      await sql`drop table bench_seq`.execute(conn);
      await sql`analyze campaigns, messages, link_codes`.execute(conn);
    } else {
      await sql`drop table bench_seq`.execute(conn);
      // Back to the store's settings (openStore), so the reports run as in production.
      await sql`pragma foreign_keys = ON`.execute(conn);
      await sql`pragma synchronous = NORMAL`.execute(conn);
      await sql`pragma cache_size = -2000`.execute(conn);
      await sql`pragma temp_store = DEFAULT`.execute(conn);
      await sql`pragma threads = 0`.execute(conn);
      // Statistics from a sample of each index (the planner needs shapes, not exact counts).
      await sql`pragma analysis_limit = 2000`.execute(conn);
      await sql`analyze`.execute(conn);
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(conn);
    }
    const cpu1 = cpuSeconds(backendPid);
    return {
      messages: done,
      linkCodes: links,
      seconds: (performance.now() - started) / 1000,
      insertSeconds,
      indexSeconds,
      cpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
      insertCpuSeconds: cpuInsert0 === null || cpuIndex0 === null ? null : cpuIndex0 - cpuInsert0,
      indexCpuSeconds: cpuIndex0 === null || cpuIndex1 === null ? null : cpuIndex1 - cpuIndex0,
    };
  });
}

/** Drops the table's secondary indexes (not those backing a constraint) and returns the statements that rebuild them. */
async function dropIndexes(db: Kysely<Database>, table: string, pg: boolean): Promise<string[]> {
  const rows = pg
    ? (
        await sql<{ name: string; ddl: string }>`select indexname as name, indexdef as ddl from pg_indexes i
          where tablename = ${table} and schemaname = current_schema()
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db)
      ).rows
    : (
        await sql<{ name: string; ddl: string }>`select name, sql as ddl from sqlite_master
          where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db)
      ).rows;
  for (const r of rows) await sql`drop index ${sql.id(r.name)}`.execute(db);
  return rows.map((r) => r.ddl);
}

/** CPU seconds (user + system) of this process, or of another local process (a PostgreSQL backend) by pid. */
export function cpuSeconds(pid: number | null): number | null {
  if (pid === null) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  try {
    // /proc/PID/stat: fields 14 and 15 are utime and stime in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function senderAndTemplate(db: Kysely<Database>, now: number): Promise<{ senderId: string; templateId: string }> {
  const box = new SecretBox(Buffer.alloc(32, 1));
  const sender =
    (await db.selectFrom("senders").select("id").executeTakeFirst()) ??
    (await createSender(
      db,
      box,
      {
        name: "Bench",
        provider: "sandbox",
        phoneNumberId: "1065",
        wabaId: "1022",
        displayPhoneNumber: "+1 555 000 0000",
        apiVersion: "v23.0",
        accessToken: "t".repeat(10),
        appSecret: "s".repeat(10),
        verifyToken: "v".repeat(10),
        mpsLimit: 80,
        messagingTier: "TIER_100K",
        qualityRating: "GREEN",
      },
      now,
    ));
  const template =
    (await db.selectFrom("templates").select("id").executeTakeFirst()) ??
    (await insertTemplate(
      db,
      {
        template: {
          name: "bench_sale",
          language: "ko",
          category: "MARKETING",
          parameterFormat: "POSITIONAL",
          header: null,
          body: "(광고) 세일",
          examples: {},
          footer: null,
          buttons: [],
        },
        lint: [],
        wabaId: "1022",
        senderId: sender.id,
        status: "APPROVED",
        createdBy: null,
        source: "create",
        event: "created",
      },
      now,
    ));
  return { senderId: sender.id, templateId: template.id };
}
