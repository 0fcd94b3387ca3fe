/**
 * The metrics refresh loop: recomputes every contact's time-dependent metrics (order windows, frequency, heat),
 * the RFM quintiles across the base and the tag rules, on a schedule inside `herald start` and on demand
 * (`herald metrics refresh`, POST /api/v1/metrics/refresh).
 *
 * Input tables:  orders, contacts, contact_metrics (last inbound / read times), tag_rules, metrics_state.
 * Output tables: contact_metrics, contact_tags (rule tags), tag_rules (counts, thresholds), metrics_state.
 * Schedule: every 15 minutes (windows and heat move by the day; 1,000,000 contacts take well under a minute), and
 *           once shortly after start.
 * Concurrency: a lease in metrics_state.refresh_started_at lets one refresh run at a time across processes.
 * Crash: the work is split into ranges of contacts, each its own transaction; a crash leaves some ranges fresher
 *        than others and the lease expires after 30 minutes. Everything written is derived, so the next run
 *        recomputes it all: nothing to repair.
 */
import type { Logger } from "../logger.js";
import { claimRefresh, releaseRefresh } from "../store/contact-metrics.js";
import { type RefreshReport, refreshAllMetrics } from "../store/contact-metrics-refresh.js";
import type { Store } from "../store/db.js";

export const REFRESH_EVERY_MS = 15 * 60_000;
const FIRST_RUN_AFTER_MS = 30_000;
const LEASE_MS = 30 * 60_000;

/** Runs one full refresh if no other process holds the lease; null when another refresh is running. */
export async function refreshOnce(store: Store, now: () => number): Promise<RefreshReport | null> {
  if (!(await claimRefresh(store.db, now(), LEASE_MS))) return null;
  try {
    return await refreshAllMetrics(store.db, now());
  } finally {
    await releaseRefresh(store.db);
  }
}

/** The scheduled loop: a timer, one refresh at a time in this process, stopped by `stop()`. */
export class MetricsRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RefreshReport | null> | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly logger: Logger,
    readonly everyMs = REFRESH_EVERY_MS,
  ) {}

  /** True while a refresh started by this process runs. */
  get refreshing(): boolean {
    return this.running !== null;
  }

  /** Starts the schedule (first run shortly after start, so startup stays fast). */
  start(): void {
    if (this.timer) return;
    const tick = (delay: number) => {
      this.timer = setTimeout(() => {
        void this.runNow().finally(() => {
          if (this.timer) tick(this.everyMs);
        });
      }, delay);
      this.timer.unref();
    };
    tick(FIRST_RUN_AFTER_MS);
  }

  /** Stops the schedule and waits for a running refresh to finish its current work. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => null);
  }

  /** Starts a refresh now unless one runs; resolves with its report (null if skipped). Errors are logged. */
  runNow(): Promise<RefreshReport | null> {
    if (this.running) return Promise.resolve(null);
    const run = refreshOnce(this.store, this.now)
      .then((report) => {
        if (report) this.logger.info({ ...report }, "metrics refreshed");
        return report;
      })
      .catch((err: unknown) => {
        this.logger.error({ err }, "metrics refresh failed; the next run recomputes everything");
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    this.running = run;
    return run;
  }
}
