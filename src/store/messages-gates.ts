import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Of these contacts, the ones opted out now (an opt-out after launch must still win, DESIGN §2). */
export async function optedOutContactSeqs(db: Db, seqs: number[]): Promise<Set<number>> {
  if (seqs.length === 0) return new Set();
  const rows = await db
    .selectFrom("contacts")
    .select("seq")
    .where("seq", "in", [...new Set(seqs)])
    .where("consent_state", "=", "opted_out")
    .execute();
  return new Set(rows.map((r) => r.seq));
}

/**
 * The times each contact was sent (or is queued for) a marketing message since `since`, for the
 * frequency cap: rows that are queued, sending, sent, delivered, read or unknown all count.
 */
export async function lastMarketingTimes(db: Db, seqs: number[], since: number): Promise<Map<number, number[]>> {
  if (seqs.length === 0) return new Map();
  const rows = await db
    .selectFrom("messages")
    .select(["contact_seq", "created_at"])
    .where("contact_seq", "in", [...new Set(seqs)])
    .where("category", "=", "marketing")
    .where("status", "in", ["queued", "sending", "sent", "delivered", "read", "unknown"])
    .where("created_at", ">", since)
    .execute();
  const out = new Map<number, number[]>();
  for (const r of rows) {
    if (r.contact_seq === null) continue;
    const list = out.get(r.contact_seq) ?? [];
    list.push(r.created_at);
    out.set(r.contact_seq, list);
  }
  return out;
}

/**
 * Unique recipients a sender reached with business-initiated messages (templates outside a
 * customer-service window) since `since`: what counts against the messaging tier (§5).
 */
export async function uniqueBusinessInitiatedRecipients(db: Db, senderId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom("messages")
    .select((eb) => eb.fn.count<number>("to_phone").distinct().as("n"))
    .where("sender_id", "=", senderId)
    .where((eb) =>
      eb.or([
        eb("origin", "in", ["campaign", "test"]),
        // A single API message counts when it is a template (free text goes only inside a window).
        eb.and([eb("origin", "=", "api"), eb("category", "<>", "service")]),
      ]),
    )
    .where("status", "in", ["queued", "sending", "sent", "delivered", "read", "unknown"])
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When each contact read our messages since `since` (for the best-local-hour schedule). */
export async function readTimes(db: Db, seqs: number[], since: number): Promise<Map<number, number[]>> {
  if (seqs.length === 0) return new Map();
  const rows = await db
    .selectFrom("messages")
    .select(["contact_seq", "read_at"])
    .where("contact_seq", "in", [...new Set(seqs)])
    .where("read_at", ">", since)
    .execute();
  const out = new Map<number, number[]>();
  for (const r of rows) {
    if (r.contact_seq === null || r.read_at === null) continue;
    const list = out.get(r.contact_seq) ?? [];
    list.push(r.read_at);
    out.set(r.contact_seq, list);
  }
  return out;
}
