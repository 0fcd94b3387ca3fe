/**
 * Status webhooks applied in bulk (DESIGN invariant 3): a campaign's statuses arrive by the thousand per second
 * (issue 6 asks for 10,000/s on SQLite), so a batch of them costs a fixed handful of statements instead of three per
 * status: one lookup by provider id (and one by our id for those not found), then per "round" one pricing UPDATE
 * and one UPDATE … FROM per target status, each guarded like the single-status path (messages.ts MOVES_FROM).
 * A round holds each message at most once, and a message's statuses go to rounds in arrival order, so the result is
 * the same as applying them one by one: forward only, first times kept, `failed` terminal.
 */
import { type Kysely, type SqlBool, sql, type Transaction } from "kysely";
import { dialectOf, type JsonColumn } from "./dialect.js";
import { MOVES_FROM, type StatusChange } from "./messages.js";
import type { Database } from "./schema.js";
import type { MessageStatus } from "./tables/campaigns.js";

type Db = Kysely<Database> | Transaction<Database>;

/** A message a status moved forward, as it is after the change (for outbound webhooks). */
export interface AppliedStatus {
  id: string;
  campaignId: string | null;
  toPhone: string;
  providerMessageId: string | null;
  status: MessageStatus;
  /** The status's own time (the provider's timestamp). */
  at: number;
  errorCode: number | null;
  errorMessage: string | null;
  pricingCategory: string | null;
  billable: number | null;
}

// Lookups and updates per statement: the JSON parameter of 5,000 ids is ~200 KB.
const CHUNK = 5_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Row ids of messages by provider id, then by our id (callback data) for statuses that overtook the send result. */
async function resolveRows(db: Db, changes: readonly StatusChange[]): Promise<(string | undefined)[]> {
  const dialect = dialectOf(db);
  const byProviderId = new Map<string, string>();
  for (const part of chunks([...new Set(changes.map((c) => c.providerMessageId))], CHUNK)) {
    const ids = dialect.jsonValues(JSON.stringify(part), "text");
    const rows = await db
      .selectFrom("messages")
      .select(["id", "provider_message_id"])
      .where(sql<SqlBool>`provider_message_id in ${ids}`)
      .execute();
    for (const r of rows) if (r.provider_message_id !== null) byProviderId.set(r.provider_message_id, r.id);
  }
  const wanted = [
    ...new Set(
      changes
        .filter((c) => !byProviderId.has(c.providerMessageId) && c.messageId !== undefined)
        .map((c) => c.messageId as string),
    ),
  ];
  const known = new Set<string>();
  for (const part of chunks(wanted, CHUNK)) {
    const ids = dialect.jsonValues(JSON.stringify(part), "text");
    const rows = await db.selectFrom("messages").select("id").where(sql<SqlBool>`id in ${ids}`).execute();
    for (const r of rows) known.add(r.id);
  }
  return changes.map(
    (c) => byProviderId.get(c.providerMessageId) ?? (c.messageId && known.has(c.messageId) ? c.messageId : undefined),
  );
}

const STATUS_COLUMNS: readonly JsonColumn[] = [
  { name: "id", type: "text" },
  { name: "pid", type: "text" },
  { name: "at", type: "bigint" },
  { name: "code", type: "bigint" },
  { name: "msg", type: "text" },
  { name: "category", type: "text" },
  { name: "billable", type: "bigint" },
];

const PRICING_COLUMNS: readonly JsonColumn[] = [
  { name: "id", type: "text" },
  { name: "category", type: "text" },
  { name: "billable", type: "bigint" },
];

// What each target status sets, besides status, provider id and the lease (first times are kept: coalesce).
const TIMES: Record<StatusChange["status"], readonly string[]> = {
  sent: ["sent_at"],
  delivered: ["sent_at", "delivered_at"],
  read: ["sent_at", "delivered_at", "read_at"],
  failed: ["failed_at"],
};

interface Item {
  id: string;
  change: StatusChange;
}

async function applyRound(db: Db, round: readonly Item[]): Promise<AppliedStatus[]> {
  const dialect = dialectOf(db);
  const applied: AppliedStatus[] = [];
  // Pricing rides along with the status move (one row write, not two); statuses that move nothing (a late
  // `delivered` after `read`) still record their pricing, in one more statement below.
  for (const status of ["sent", "delivered", "read", "failed"] as const) {
    const items = round.filter((i) => i.change.status === status);
    for (const part of chunks(items, CHUNK)) {
      const atById = new Map(part.map((i) => [i.id, i.change.at]));
      const json = JSON.stringify(
        part.map((i) => [
          i.id,
          i.change.providerMessageId,
          i.change.at,
          i.change.error?.code ?? 0,
          i.change.error?.message.slice(0, 500) ?? "failed",
          i.change.pricingCategory ?? null,
          i.change.billable === undefined ? null : i.change.billable ? 1 : 0,
        ]),
      );
      const times = TIMES[status].map((c) => sql`${sql.ref(c)} = coalesce(messages.${sql.ref(c)}, x.at)`);
      const failure = status === "failed" ? [sql`error_code = x.code`, sql`error_message = x.msg`] : [];
      const result = await sql<{
        id: string;
        campaign_id: string | null;
        to_phone: string;
        provider_message_id: string | null;
        status: MessageStatus;
        error_code: number | null;
        error_message: string | null;
        pricing_category: string | null;
        billable: number | null;
      }>`update messages set
          status = ${status},
          provider_message_id = coalesce(messages.provider_message_id, x.pid),
          lease_owner = null,
          lease_until = null,
          pricing_category = coalesce(x.category, messages.pricing_category),
          billable = coalesce(x.billable, messages.billable),
          ${sql.join([...times, ...failure])}
        from ${dialect.jsonRows(json, STATUS_COLUMNS)} as x
        where messages.id = x.id and messages.status in (${sql.join(MOVES_FROM[status].map((s) => sql.lit(s)))})
        returning messages.id, messages.campaign_id, messages.to_phone, messages.provider_message_id, messages.status,
          messages.error_code, messages.error_message, messages.pricing_category, messages.billable`.execute(db);
      for (const r of result.rows) {
        applied.push({
          id: r.id,
          campaignId: r.campaign_id,
          toPhone: r.to_phone,
          providerMessageId: r.provider_message_id,
          status: r.status,
          at: atById.get(r.id) ?? 0,
          errorCode: r.error_code === null ? null : Number(r.error_code),
          errorMessage: r.error_message,
          pricingCategory: r.pricing_category,
          billable: r.billable === null ? null : Number(r.billable),
        });
      }
    }
  }
  const moved = new Set(applied.map((a) => a.id));
  const priced = round.filter(
    (i) => !moved.has(i.id) && (i.change.pricingCategory !== undefined || i.change.billable !== undefined),
  );
  for (const part of chunks(priced, CHUNK)) {
    const json = JSON.stringify(
      part.map((i) => [
        i.id,
        i.change.pricingCategory ?? null,
        i.change.billable === undefined ? null : i.change.billable ? 1 : 0,
      ]),
    );
    await sql`update messages set
        pricing_category = coalesce(x.category, messages.pricing_category),
        billable = coalesce(x.billable, messages.billable)
      from ${dialect.jsonRows(json, PRICING_COLUMNS)} as x where messages.id = x.id`.execute(db);
  }
  return applied;
}

/**
 * Applies status webhooks in bulk, in the caller's transaction, with the same outcome as applying them one by one
 * in order (applyMessageStatus). Returns the messages whose status moved; statuses of unknown messages are ignored.
 */
export async function applyMessageStatuses(db: Db, changes: readonly StatusChange[]): Promise<AppliedStatus[]> {
  if (changes.length === 0) return [];
  const rowIds = await resolveRows(db, changes);
  const rounds: Item[][] = [];
  const seen = new Map<string, number>();
  changes.forEach((change, index) => {
    const id = rowIds[index];
    if (id === undefined) return;
    const round = seen.get(id) ?? 0;
    seen.set(id, round + 1);
    let items = rounds[round];
    if (!items) {
      items = [];
      rounds[round] = items;
    }
    items.push({ id, change });
  });
  const applied: AppliedStatus[] = [];
  for (const round of rounds) applied.push(...(await applyRound(db, round)));
  return applied;
}
