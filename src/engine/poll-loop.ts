import type { Logger } from "../logger.js";

/** A worker loop that claims work in batches, polls when idle and can be woken, drained and stopped. */
export interface PollLoop {
  /** Look for work now. */
  wake(): void;
  /** Resolves when a claim that started after this call found nothing (tests, shutdown). */
  drain(): Promise<void>;
  /** Stops after the batch in flight. */
  stop(): Promise<void>;
}

/**
 * Runs `runOnce` (which returns how many items it claimed) again at once while it finds work, else after `pollMs`
 * or a wake. `runOnce` gets `stopped()` to cut long work short. A failing batch is logged and the loop goes on.
 * drain() waits for an empty claim that *started after* it was called (a poll already in flight may have looked
 * before the caller's last change): `cycle` numbers the claims.
 */
export function startPollLoop(options: {
  name: string;
  logger: Logger;
  pollMs: number;
  runOnce: (stopped: () => boolean) => Promise<number>;
}): PollLoop {
  const { logger, pollMs, runOnce } = options;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let cycle = 0;
  let idleWaiters: { after: number; resolve: () => void }[] = [];
  const isStopped = () => stopped;

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      const thisCycle = ++cycle;
      try {
        claimed = await runOnce(isStopped);
      } catch (err) {
        logger.error({ err }, `${options.name} batch failed`);
      }
      if (claimed > 0) continue;
      for (const w of idleWaiters) if (w.after < thisCycle) w.resolve();
      idleWaiters = idleWaiters.filter((w) => w.after >= thisCycle);
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
    for (const w of idleWaiters) w.resolve();
  })();

  return {
    wake: () => wakeUp?.(),
    drain: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        idleWaiters.push({ after: cycle, resolve });
        wakeUp?.();
      }),
    stop: async () => {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
