/**
 * Leases: a resource owned by one process at a time (DESIGN §5). A holder renews its lease well
 * before it ends; another process may take the resource once the lease has ended by its clock (or
 * at once when the caller proved the holder dead). Every write is one conditional statement, so
 * two processes racing for a resource cannot both win.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface LeaseRow {
  resource: string;
  owner: string;
  leaseUntil: number;
  acquiredAt: number;
}

/** Who holds each of these resources now (expired leases included). */
export async function readLeases(db: Db, resources: string[]): Promise<Map<string, LeaseRow>> {
  if (resources.length === 0) return new Map();
  const rows = await db.selectFrom("engine_leases").selectAll().where("resource", "in", resources).execute();
  return new Map(
    rows.map((r) => [
      r.resource,
      { resource: r.resource, owner: r.owner, leaseUntil: r.lease_until, acquiredAt: r.acquired_at },
    ]),
  );
}

/**
 * Takes or renews `resource` for `owner` until `now + leaseMs`, in one statement: it succeeds when
 * the row is new, already ours, expired at `now`, or held by `deadOwner` (a holder the caller proved
 * dead). Returns the lease when held, null when another process holds it.
 */
export async function acquireLease(
  db: Db,
  input: { resource: string; owner: string; leaseMs: number; deadOwner?: string | null },
  now: number,
): Promise<LeaseRow | null> {
  const until = now + input.leaseMs;
  const row = await db
    .insertInto("engine_leases")
    .values({ resource: input.resource, owner: input.owner, lease_until: until, acquired_at: now, renewed_at: now })
    .onConflict((oc) =>
      oc
        .column("resource")
        .doUpdateSet((eb) => ({
          lease_until: until,
          renewed_at: now,
          // A renewal keeps the time the owner first took it; a takeover starts a new tenure.
          acquired_at: eb
            .case()
            .when("engine_leases.owner", "=", input.owner)
            .then(eb.ref("engine_leases.acquired_at"))
            .else(now)
            .end(),
          owner: input.owner,
        }))
        .where((eb) =>
          eb.or([
            eb("engine_leases.owner", "=", input.owner),
            eb("engine_leases.lease_until", "<", now),
            ...(input.deadOwner ? [eb("engine_leases.owner", "=", input.deadOwner)] : []),
          ]),
        ),
    )
    .returningAll()
    .executeTakeFirst();
  if (!row || row.owner !== input.owner) return null;
  return { resource: row.resource, owner: row.owner, leaseUntil: row.lease_until, acquiredAt: row.acquired_at };
}

/**
 * Gives resources up at once (a clean stop), so another process need not wait for the lease to end. The row stays
 * with its lease ended at `now`: the next holder learns when the last one stopped (engine/lease.ts quietUntil).
 */
export async function releaseLeases(db: Db, owner: string, now: number, resources?: string[]): Promise<void> {
  if (resources?.length === 0) return;
  await db
    .updateTable("engine_leases")
    .set({ lease_until: now - 1 })
    .where("owner", "=", owner)
    .$if(resources !== undefined, (q) => q.where("resource", "in", resources as string[]))
    .execute();
}
