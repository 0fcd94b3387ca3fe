/**
 * What resuming a paused campaign with quiet hours reads and writes: its queued recipients whose due time has
 * passed (with the contact's time zone, to find their local clock), and their new due times.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface OverdueRecipient {
  id: string;
  contactSeq: number;
  toPhone: string;
  dueAt: number;
  timeZone: string | null;
}

/** Queued rows of `campaignId` due at or before `now`, after contact `afterSeq`, in contact order (keyset pages). */
export async function overdueQueuedRecipients(
  db: Db,
  campaignId: string,
  now: number,
  afterSeq: number,
  limit: number,
): Promise<OverdueRecipient[]> {
  const rows = await db
    .selectFrom("messages")
    .leftJoin("contacts", "contacts.seq", "messages.contact_seq")
    .select([
      "messages.id",
      "messages.contact_seq",
      "messages.to_phone",
      "messages.due_at",
      "contacts.time_zone as time_zone",
    ])
    .where("messages.campaign_id", "=", campaignId)
    .where("messages.status", "=", "queued")
    .where("messages.due_at", "<=", now)
    .where("messages.contact_seq", ">", afterSeq)
    .orderBy("messages.contact_seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    contactSeq: r.contact_seq ?? 0,
    toPhone: r.to_phone,
    dueAt: r.due_at,
    timeZone: r.time_zone ?? null,
  }));
}

/** Sets the due time of still-queued rows (one statement per distinct time). */
export async function setQueuedDueAt(db: Db, byDueAt: ReadonlyMap<number, readonly string[]>): Promise<void> {
  for (const [dueAt, ids] of byDueAt) {
    if (ids.length === 0) continue;
    await db
      .updateTable("messages")
      .set({ due_at: dueAt })
      .where("id", "in", ids)
      .where("status", "=", "queued")
      .execute();
  }
}
