/**
 * The scheduler: the time-driven chores of the campaign engine, once a second.
 *
 * - `sending` messages whose lease expired (their dispatcher died mid-call) → `unknown`, never resent
 *   on their own (store/messages.ts expireSendingLeases; DESIGN invariant 1).
 * - `scheduled` campaigns whose time has come → `launching`, and `launching` campaigns (new, or
 *   left behind by a crash) → the launcher, which resumes after the last contact written.
 * - `running` campaigns with nothing queued or sending → `completed`.
 * - expired dashboard sessions are deleted (once a minute).
 * Input tables: campaigns, messages. Output: the same. Crash: every chore is a guarded UPDATE or a
 * resumable launch, so running it again does each thing once.
 * Several processes: only the holder of the `scheduler` lease (engine/lease.ts) runs the chores, so
 * two workers never launch the same campaign at once (their frequency-cap and audience counts would
 * see each other's half-written pages). Another process takes over within SCHEDULER_LEASE_MS of the
 * holder's death (at once when it died on the same machine).
 */
import type { Logger } from "../logger.js";
import { completeFinishedCampaigns, transitionCampaign } from "../store/campaigns.js";
import type { Store } from "../store/db.js";
import { releaseLeases } from "../store/leases.js";
import { expireSendingLeases } from "../store/messages.js";
import { purgeExpiredSessions } from "../store/sessions.js";
import { launchCampaign } from "./launcher.js";
import { holdLease, processOwner } from "./lease.js";

/** How long the scheduler lease lasts after each chore round (renewed every second). */
export const SCHEDULER_LEASE_MS = 10_000;

export interface SchedulerOptions {
  store: Store;
  logger: Logger;
  now: () => number;
  /** Called when new messages were queued (the dispatcher should look now). */
  onQueued: () => void;
  everyMs?: number;
}

export interface Scheduler {
  /** Runs the chores now (tests; the API after a launch). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the scheduler loop. */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const { store, logger, now } = options;
  const launching = new Map<string, Promise<void>>();
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let lastPurge = 0;
  const owner = processOwner("scheduler");

  async function chores(): Promise<void> {
    if (stopped) return;
    const lease = await holdLease(store, { resource: "scheduler", owner, leaseMs: SCHEDULER_LEASE_MS }, now());
    if (!lease) return;
    if (now() - lastPurge >= 60_000) {
      lastPurge = now();
      await purgeExpiredSessions(store.db, now());
    }
    const expired = await expireSendingLeases(store.db, now());
    if (expired > 0) logger.warn({ expired }, "messages left sending by a dead dispatcher are now unknown");
    const due = await store.db
      .selectFrom("campaigns")
      .select("id")
      .where("status", "=", "scheduled")
      .where("scheduled_at", "<=", now())
      .execute();
    for (const { id } of due) await transitionCampaign(store.db, id, "launching", now()).catch(() => undefined);
    const toLaunch = await store.db.selectFrom("campaigns").select("id").where("status", "=", "launching").execute();
    for (const { id } of toLaunch) {
      if (launching.has(id) || stopped) continue;
      const run = launchCampaign(id, { store, now })
        .then((c) => {
          logger.info({ campaignId: id, audience: c.audience }, "campaign launched");
          options.onQueued();
        })
        .catch((err: unknown) => logger.error({ err, campaignId: id }, "campaign launch failed; will retry"))
        .finally(() => launching.delete(id));
      launching.set(id, run);
    }
    for (const id of await completeFinishedCampaigns(store.db, now()))
      logger.info({ campaignId: id }, "campaign completed");
  }

  const tick = () => {
    running = running.then(chores).catch((err: unknown) => logger.error({ err }, "scheduler chores failed"));
    return running;
  };
  const timer = setInterval(() => void tick(), options.everyMs ?? 1_000);
  timer.unref();

  return {
    async tick() {
      await tick();
      await Promise.all(launching.values());
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all(launching.values());
      await releaseLeases(store.db, owner, now()).catch(() => undefined);
    },
  };
}
