/**
 * Process identity and leases for the engine's loops (DESIGN §5): which process sends for a number,
 * which one runs the scheduler's chores. The rows live in `engine_leases` (store/leases.ts); this
 * file adds what only a running process knows: its own name, whether another holder on this machine
 * is dead, and until when (by its own clock) it may use what it holds.
 */
import { hostname } from "node:os";
import type { Store } from "../store/db.js";
import { acquireLease, readLeases } from "../store/leases.js";

/**
 * A holder stops using a resource this long before its lease ends in the database: room for clock
 * differences between machines and for the renewal's own round trip.
 */
export const LEASE_SAFETY_MS = 1_000;

/**
 * A new holder of a rate-limited resource (a sender number's messages per second) waits until this long after the
 * previous holder's lease ended before using it, so the two holders' uses never share a one-second window.
 */
export const TAKEOVER_SILENCE_MS = 1_000;

/** A name for one loop of this process: `host:pid:role:random` (the random part tells restarts apart). */
export function processOwner(role: string): string {
  return `${hostname()}:${process.pid}:${role}:${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * True when `owner` names a process on this machine that no longer exists (it crashed or was
 * killed): its resources can be taken at once instead of after the lease runs out. A process on
 * another machine, or one whose liveness cannot be told, counts as alive.
 */
export function isOwnerDead(owner: string): boolean {
  const parts = owner.split(":");
  if (parts.length < 4) return false;
  const pid = Number(parts[parts.length - 3]);
  const host = parts.slice(0, -3).join(":");
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  // Our own pid: an earlier loop of this process, or a restarted container reusing the pid. Alive, to be safe.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // ESRCH: no such process. EPERM: it exists under another user.
    return (err as { code?: string }).code === "ESRCH";
  }
}

/** A lease this process holds now. */
export interface HeldLease {
  resource: string;
  /** True when this process did not hold the resource just before (new, taken over, or re-taken). */
  fresh: boolean;
  /** By this process's clock: stop using the resource at this time unless the lease is renewed. */
  deadline: number;
  /**
   * When `fresh`: the earliest time to start using it. TAKEOVER_SILENCE_MS after the previous holder's lease ended
   * (released, expired, or now for a holder found dead); now when no other process held it.
   */
  quietUntil: number;
}

/**
 * Takes or renews a lease. A holder on this machine whose process is gone is replaced at once; any
 * other holder keeps the resource until its lease ends. Returns null when another process holds it.
 */
export async function holdLease(
  store: Store,
  input: { resource: string; owner: string; leaseMs: number },
  now: number,
): Promise<HeldLease | null> {
  const current = (await readLeases(store.db, [input.resource])).get(input.resource);
  const deadOwner =
    current && current.owner !== input.owner && current.leaseUntil >= now && isOwnerDead(current.owner)
      ? current.owner
      : null;
  const held = await acquireLease(store.db, { ...input, deadOwner }, now);
  if (!held) return null;
  const previousEnd = current && current.owner !== input.owner ? Math.min(now, current.leaseUntil) : null;
  return {
    resource: input.resource,
    fresh: current?.owner !== input.owner,
    deadline: now + input.leaseMs - LEASE_SAFETY_MS,
    quietUntil: previousEnd === null ? now : Math.max(now, previousEnd + TAKEOVER_SILENCE_MS),
  };
}
