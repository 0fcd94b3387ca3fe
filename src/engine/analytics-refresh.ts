/**
 * The analytics loop: keeps the reports' rollups current without any per-event work on the status path.
 *
 * Input tables:  orders (changed since a watermark), messages, link_codes, contacts, senders, analytics_state.
 * Output tables: order_attributions, campaign_rollups, analytics_snapshots, sender_quality_history.
 * Each tick: (1) record a sender's quality rating / tier when it changed; (2) attribute orders changed since the
 * watermark (batches of 2,000, a time budget); (3) recompute the rollup of each campaign that is running, finished
 * in the last ACTIVE_DAYS, never rolled up, or whose attributions changed — at most once per ROLLUP_EVERY_MS;
 * (4) recompute the customer-value snapshot once per VALUE_EVERY_MS.
 * Crash: everything written is derived and replaced whole (a rollup row, a batch of attributions with the
 * watermark in one transaction), so the next tick simply continues. Several processes may run it: the work is
 * idempotent, at worst done twice.
 */
import { newId } from "../ids.js";
import type { Logger } from "../logger.js";
import { attributeOrders } from "../store/analytics-attribution.js";
import { snapshotSenderQuality } from "../store/analytics-reports.js";
import { campaignsDueForRollup, refreshCampaignRollup, yieldToEventLoop } from "../store/analytics-rollup.js";
import { getAnalyticsSettings } from "../store/analytics-settings.js";
import { customerValueSnapshot, refreshCustomerValue } from "../store/analytics-value.js";
import type { Store } from "../store/db.js";

export const TICK_MS = 15_000;
export const ROLLUP_EVERY_MS = 60_000;
export const VALUE_EVERY_MS = 60 * 60_000;
/** Reads, replies and orders keep arriving after a campaign ends: its rollup is refreshed this long after. */
export const ACTIVE_DAYS = 14;

export interface AnalyticsTick {
  /** Orders attributed by this tick's attribution passes. */
  attributedOrders: number;
  campaigns: number;
  customerValue: boolean;
}

/** One pass of the loop; `force` refreshes every launched campaign's rollup and the customer value now. */
export async function analyticsTick(
  store: Store,
  now: number,
  options: { force?: boolean } = {},
): Promise<AnalyticsTick> {
  const db = store.db;
  await snapshotSenderQuality(db, now, newId);
  const settings = await getAnalyticsSettings(db);
  const changed = new Set<string>();
  let attributed = 0;
  for (;;) {
    const pass = await attributeOrders(db, now);
    for (const id of pass.campaigns) changed.add(id);
    attributed += pass.attributed;
    if (!pass.more) break;
  }
  const due = await campaignsDueForRollup(db, now, {
    activeDays: ACTIVE_DAYS,
    minAgeMs: options.force ? -1 : ROLLUP_EVERY_MS,
    settingsChangedAt: settings.updatedAt,
    alsoIds: changed,
  });
  for (const id of due) {
    await refreshCampaignRollup(db, id, now);
    await yieldToEventLoop();
  }
  const snapshot = await customerValueSnapshot(db);
  const valueDue = options.force || snapshot === null || snapshot.computedAt < now - VALUE_EVERY_MS;
  if (valueDue) await refreshCustomerValue(db, now);
  return { attributedOrders: attributed, campaigns: due.length, customerValue: valueDue };
}

/** The scheduled loop: one tick at a time, every TICK_MS; `stop()` waits for the running tick. */
export class AnalyticsRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AnalyticsTick | null> | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly logger: Logger,
    readonly everyMs = TICK_MS,
  ) {}

  /** Starts the schedule. */
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
    tick(5_000);
  }

  /** Stops the schedule and waits for a running tick. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => null);
  }

  /** Runs a tick now unless one runs (then waits for it); errors are logged, not thrown. */
  runNow(options: { force?: boolean } = {}): Promise<AnalyticsTick | null> {
    if (this.running) return this.running;
    const run = analyticsTick(this.store, this.now(), options)
      .then((report) => {
        if (report.campaigns > 0 || report.customerValue) this.logger.debug({ ...report }, "analytics refreshed");
        return report;
      })
      .catch((err: unknown) => {
        this.logger.error({ err }, "analytics refresh failed");
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    this.running = run;
    return run;
  }
}
