/**
 * The sleep of an engine loop that polls for work and can be woken when work is stored (the applier, the
 * notifier, each sender pump). A `wake()` that comes while the loop is claiming is remembered, and the loop's next
 * `sleep` returns at once: that claim may have looked before the new row was stored, and the work would otherwise
 * wait a whole poll (stop 11: auto-replies waited 250–500 ms this way).
 */
export class Waker {
  #interrupt: (() => void) | null = null;
  #wanted = false;

  /** Call before each claim: wake-ups from here on are remembered. */
  claiming(): void {
    this.#wanted = false;
  }

  /** New work was stored: the loop claims again, now if it sleeps, else right after the claim it is making. */
  wake(): void {
    this.#wanted = true;
    this.#interrupt?.();
  }

  /** Ends the current sleep without asking for a claim (stop, drain, a renewed lease). */
  interrupt(): void {
    this.#interrupt?.();
  }

  /** Waits `ms`, or less if interrupted; not at all when woken since `claiming()`. */
  async sleep(ms: number): Promise<void> {
    if (this.#wanted) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#interrupt = null;
  }
}
