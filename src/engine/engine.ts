import type { Logger } from "../logger.js";
import type { SecretBox } from "../secret-box.js";
import type { Store } from "../store/db.js";
import { AnalyticsRefresher } from "./analytics-refresh.js";
import { type Applier, startApplier } from "./applier.js";
import { createAutomation } from "./automation/index.js";
import { type Dispatcher, startDispatcher } from "./dispatcher.js";
import { createEventHandlers } from "./handlers/index.js";
import { MetricsRefresher } from "./metrics-refresh.js";
import { type Notifier, startNotifier } from "./notifier.js";
import type { ProviderRegistry } from "./providers.js";
import { type Scheduler, startScheduler } from "./scheduler.js";
import { startTemplateSync } from "./template-sync.js";

/** What the API may poke: the loops look on their own too; a poke only makes them look now. */
export interface EngineHandle {
  wakeApplier(): void;
  wakeDispatcher(): void;
  /** Runs the scheduler's chores now and waits for launches it started. */
  tickScheduler(): Promise<void>;
  /** Makes the outbound webhook notifier look for events now (optional: API tests run without loops). */
  wakeNotifier?(): void;
}

export interface RunningEngine extends EngineHandle {
  applier: Applier;
  dispatcher: Dispatcher;
  scheduler: Scheduler;
  notifier: Notifier;
  /** Stops the loops in an order that loses nothing: intake first is the caller's job; then the applier, sends, chores. */
  stop(): Promise<void>;
}

/** Starts every long-running loop of one Herald process (DESIGN §1 engine/). */
export function startEngine(deps: {
  store: Store;
  box: SecretBox;
  providers: ProviderRegistry;
  logger: Logger;
  now: () => number;
  /** Also run the scheduled metrics and analytics refreshes (the engine thread; elsewhere the API runs them). */
  refreshes?: boolean;
}): RunningEngine {
  const dispatcher = startDispatcher(deps);
  const automation = createAutomation({ store: deps.store, dispatcher, logger: deps.logger });
  const applier = startApplier({
    store: deps.store,
    handlers: createEventHandlers(),
    logger: deps.logger,
    now: deps.now,
    scope: () => automation.scope(),
  });
  const scheduler = startScheduler({
    store: deps.store,
    logger: deps.logger,
    now: deps.now,
    onQueued: () => dispatcher.wake(),
  });
  const templateSync = startTemplateSync({
    store: deps.store,
    box: deps.box,
    providers: deps.providers,
    logger: deps.logger,
  });
  const notifier = startNotifier({ store: deps.store, box: deps.box, logger: deps.logger, now: deps.now });
  const refreshers = deps.refreshes
    ? [
        new MetricsRefresher(deps.store, deps.now, deps.logger),
        new AnalyticsRefresher(deps.store, deps.now, deps.logger),
      ]
    : [];
  for (const refresher of refreshers) refresher.start();
  return {
    applier,
    dispatcher,
    scheduler,
    notifier,
    wakeNotifier: () => notifier.wake(),
    wakeApplier: () => applier.wake(),
    wakeDispatcher: () => dispatcher.wake(),
    tickScheduler: () => scheduler.tick(),
    async stop() {
      for (const refresher of refreshers) await refresher.stop();
      await scheduler.stop();
      await dispatcher.stop();
      await templateSync.stop();
      await applier.stop();
      await notifier.stop();
    },
  };
}
