/**
 * The webhook applier: webhook_events (pending) → Herald's state.
 *
 * Input: rows of `webhook_events` with status `pending` and `next_attempt_at <= now`, claimed in
 * batches under a lease. Each row is one verified POST; its body is parsed into typed events
 * (src/whatsapp/webhook) and each event goes to the handler for its kind.
 * Output: whatever the handlers write (sender quality and tier, template statuses, message
 * statuses, inbound messages…), and the row marked `applied` with the count of events by kind and
 * of events no handler took (those stay readable in the stored body and in the API).
 * Failure: one transaction per batch; if it fails, each row is retried alone so one poison POST
 * cannot hold the others back; a failing row is retried with backoff and parked after MAX_ATTEMPTS
 * with its error (visible, retryable from the API).
 * Crash: a claimed row's lease expires after LEASE_MS and the row is claimed again. Handlers are
 * idempotent (statuses only move forward, upserts are keyed), so applying a POST twice, or
 * Meta's duplicate deliveries, change nothing twice.
 */
import { hostname } from "node:os";
import type { Transaction } from "kysely";
import type { Logger } from "../logger.js";
import type { Store } from "../store/db.js";
import type { Database } from "../store/schema.js";
import {
  type AppliedOutcome,
  claimWebhookEvents,
  markWebhookEventFailed,
  markWebhookEventsApplied,
  type WebhookEventRow,
} from "../store/webhook-events.js";
import { parseWebhook, type WebhookEvent, type WebhookEventKind } from "../whatsapp/webhook/index.js";
import type { AutomationInbound } from "./automation/inbound.js";
import { retryDelayMs } from "./retry.js";
import { Waker } from "./waker.js";

/** Applies one event inside the batch's transaction. */
export type EventHandler<K extends WebhookEventKind> = (
  trx: Transaction<Database>,
  event: Extract<WebhookEvent, { kind: K }>,
  now: number,
  scope?: BatchScope,
) => Promise<void>;

/**
 * Services one transaction's handlers may call, made fresh for each transaction by ApplierOptions.scope:
 * `inbound` runs the auto-replies of newly stored inbound messages (at most one per contact, in arrival order) in
 * the same transaction (engine/automation),
 * `committed` runs after the transaction commits (never after a rollback), e.g. to send the replies it wrote.
 */
export interface BatchScope {
  inbound?: (trx: Transaction<Database>, messages: readonly AutomationInbound[], now: number) => Promise<void>;
  committed?: () => void;
}

/**
 * Applies every event of one kind from a whole batch at once, inside the batch's transaction, after the
 * per-event handlers: status webhooks arrive by the thousand, and one statement per batch instead of three
 * per status is what lets the applier keep up with 10,000 statuses per second (bench/webhooks.ts).
 */
export interface BatchEventHandler<K extends WebhookEventKind> {
  batch: (
    trx: Transaction<Database>,
    events: Extract<WebhookEvent, { kind: K }>[],
    now: number,
    scope?: BatchScope,
  ) => Promise<void>;
}

/**
 * A handler for every kind (one event at a time, or a whole batch), or null where Herald does not act
 * on that kind yet: such events are counted as unhandled on their row, never dropped. Adding a kind to
 * the parser will not compile until it is listed here.
 */
export type EventHandlers = { [K in WebhookEventKind]: EventHandler<K> | BatchEventHandler<K> | null };

export const LEASE_MS = 30_000;
export const MAX_ATTEMPTS = 8;
const BATCH_TARGET_MS = 20;
const BACKOFF = { baseMs: 1_000, maxMs: 5 * 60_000 };

export interface ApplierOptions {
  store: Store;
  handlers: EventHandlers;
  logger: Logger;
  now: () => number;
  /** Most rows claimed per batch (a row holds up to 1,000 updates); fewer while batches run long (see below). */
  batchSize?: number;
  /** How often to look for work when not woken. */
  pollMs?: number;
  /** Makes the BatchScope of each transaction (auto-replies); none in tests of the applier alone. */
  scope?: () => BatchScope;
}

export interface Applier {
  /** Look for work now (the intake calls it after storing a POST). */
  wake(): void;
  /** Applies everything due now and resolves when nothing is left (tests, shutdown). */
  drain(): Promise<void>;
  /** Stops the loop after the batch in flight. */
  stop(): Promise<void>;
}

/** Parses a stored body into events (throws when the body is not JSON, which the intake already rules out). */
function eventsOf(row: WebhookEventRow): WebhookEvent[] {
  return parseWebhook(JSON.parse(row.body) as unknown);
}

/** A claimed row with its body parsed (before the transaction: parsing is CPU the lock need not wait for). */
interface Parsed {
  row: WebhookEventRow;
  events: WebhookEvent[];
}

/**
 * Applies rows in one transaction: per-event handlers in arrival order, then each batch handler once, in the
 * order of `handlers`.
 */
async function applyRows(
  trx: Transaction<Database>,
  handlers: EventHandlers,
  rows: Parsed[],
  now: number,
  scope?: BatchScope,
): Promise<AppliedOutcome[]> {
  const batches = new Map<WebhookEventKind, WebhookEvent[]>();
  const outcomes: AppliedOutcome[] = [];
  for (const { row, events } of rows) {
    const kinds: Record<string, number> = {};
    const unhandled: Record<string, number> = {};
    for (const event of events) {
      kinds[event.kind] = (kinds[event.kind] ?? 0) + 1;
      const handler = handlers[event.kind];
      if (handler === null) {
        unhandled[event.kind] = (unhandled[event.kind] ?? 0) + 1;
      } else if (typeof handler === "function") {
        await (handler as EventHandler<typeof event.kind>)(trx, event as never, now, scope);
      } else {
        let list = batches.get(event.kind);
        if (!list) {
          list = [];
          batches.set(event.kind, list);
        }
        list.push(event);
      }
    }
    outcomes.push({ id: row.id, kinds, unhandled });
  }
  // In the order the kinds are listed in `handlers` (inbound messages before statuses), not by first arrival.
  for (const kind of Object.keys(handlers) as WebhookEventKind[]) {
    const events = batches.get(kind);
    if (events) await (handlers[kind] as BatchEventHandler<typeof kind>).batch(trx, events as never, now, scope);
  }
  return outcomes;
}

/**
 * The next claim's size. On SQLite the batch's transaction holds the only connection, so the intake's INSERT (and
 * the 200 Meta waits for) queues behind it: a batch should take about BATCH_TARGET_MS. Inbound messages are applied
 * set-based (one statement per step for the whole batch), so a row costs far less in a big batch than in a small
 * one: the size follows the measured time per row towards the target (at most doubling at a time), growing
 * whenever a full batch finished under the target. The earlier rule (halve above 2× the target, double only below
 * half of it) could settle on a size whose batches took 10–40 ms each but applied fewer rows per second than
 * arrived: a freshly started process, whose code runs unoptimised, then fell behind for seconds (bench autoreply,
 * the per-second line).
 */
export function nextLimit(limit: number, claimed: number, elapsedMs: number, max: number): number {
  if (elapsedMs > 2 * BATCH_TARGET_MS) {
    return Math.max(1, Math.min(limit - 1, Math.floor((claimed * BATCH_TARGET_MS) / elapsedMs)));
  }
  if (claimed === limit && elapsedMs < BATCH_TARGET_MS) {
    const factor = Math.min(2, BATCH_TARGET_MS / Math.max(elapsedMs, 0.1));
    return Math.min(max, Math.max(limit + 1, Math.floor(limit * factor)));
  }
  return limit;
}

/** Starts the applier loop. */
export function startApplier(options: ApplierOptions): Applier {
  const { store, handlers, logger } = options;
  const owner = `${hostname()}:${process.pid}:applier:${Math.random().toString(36).slice(2, 8)}`;
  const batchSize = options.batchSize ?? 200;
  // On SQLite the batch's transaction holds the only connection, so the intake's INSERT (and the 200 Meta waits
  // for) queues behind it: claim fewer rows while a batch takes longer than BATCH_TARGET_MS, more when it is quick.
  // Status POSTs of 100–1,000 updates make 200 rows a multi-second transaction; the limit settles near 20–40 ms.
  let limit = batchSize;
  const pollMs = options.pollMs ?? 500;
  let stopped = false;
  const waker = new Waker();
  // drain() waits for an empty claim that *started after* it was called (a poll already in flight
  // may have looked before the caller's last change): `cycle` numbers the claims.
  let cycle = 0;
  let idleWaiters: { after: number; resolve: () => void }[] = [];

  /** Applies one batch; returns how many rows it claimed. */
  async function runOnce(): Promise<number> {
    const now = options.now();
    const started = performance.now();
    const rows = await claimWebhookEvents(store.db, store.dialect, { owner, limit, leaseUntil: now + LEASE_MS }, now);
    if (rows.length === 0) return 0;
    // RETURNING does not keep the subquery's order on PostgreSQL: apply in arrival order.
    rows.sort((a, b) => a.received_at - b.received_at || (a.id < b.id ? -1 : 1));
    const fail = async (row: WebhookEventRow, err: unknown) => {
      const attempts = row.attempts + 1;
      const park = attempts >= MAX_ATTEMPTS;
      const error = err instanceof Error ? err.message : String(err);
      logger.warn({ webhookEventId: row.id, attempts, park, err: error }, "webhook event failed to apply");
      await markWebhookEventFailed(store.db, owner, {
        id: row.id,
        error,
        retryAt: now + retryDelayMs(attempts, BACKOFF),
        park,
      });
    };
    const parsed: Parsed[] = [];
    for (const row of rows) {
      try {
        parsed.push({ row, events: eventsOf(row) });
      } catch (err) {
        await fail(row, err);
      }
    }
    if (parsed.length === 0) return rows.length;
    try {
      const scope = options.scope?.();
      await store.db.transaction().execute(async (trx) => {
        await markWebhookEventsApplied(trx, owner, await applyRows(trx, handlers, parsed, now, scope), now);
      });
      scope?.committed?.();
    } catch {
      // Something in the batch failed: apply row by row so only the poison row waits.
      for (const item of parsed) {
        try {
          const scope = options.scope?.();
          await store.db.transaction().execute(async (trx) => {
            await markWebhookEventsApplied(trx, owner, await applyRows(trx, handlers, [item], now, scope), now);
          });
          scope?.committed?.();
        } catch (err) {
          await fail(item.row, err);
        }
      }
    }
    limit = nextLimit(limit, rows.length, performance.now() - started, batchSize);
    return rows.length;
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      const thisCycle = ++cycle;
      waker.claiming();
      try {
        claimed = await runOnce();
      } catch (err) {
        logger.error({ err }, "applier batch failed");
      }
      if (claimed > 0) continue;
      for (const w of idleWaiters) if (w.after < thisCycle) w.resolve();
      idleWaiters = idleWaiters.filter((w) => w.after >= thisCycle);
      if (stopped) break;
      await waker.sleep(pollMs);
    }
    for (const w of idleWaiters) w.resolve();
  })();

  return {
    wake: () => waker.wake(),
    drain: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        idleWaiters.push({ after: cycle, resolve });
        waker.interrupt();
      }),
    stop: async () => {
      stopped = true;
      waker.interrupt();
      await loop;
    },
  };
}
