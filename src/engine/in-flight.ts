/**
 * Requests in flight, with a cap: the dispatcher's sends of one number.
 *
 * Waiting for a free slot is O(1). `await Promise.race(set)` once per send, the obvious way, attaches a reaction to
 * every member on each call, and the reactions stay until their promise settles: with 250 sends in flight that was
 * 250 reactions per send, and the microtask queue and the garbage collector took over a quarter of the CPU of a
 * campaign run (bench campaign --part throughput, profile). One loop waits on an instance at a time.
 */
export class InFlight {
  readonly #set = new Set<Promise<void>>();
  #waiter: (() => void) | null = null;

  get size(): number {
    return this.#set.size;
  }

  /** Tracks `work` until it settles (a rejection is the caller's to handle; here it only frees the slot). */
  add(work: Promise<void>): void {
    const done = () => {
      this.#set.delete(tracked);
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter?.();
    };
    const tracked = work.then(done, done);
    this.#set.add(tracked);
  }

  /** Resolves once fewer than `max` are in flight. */
  async below(max: number): Promise<void> {
    while (this.#set.size >= max) {
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
  }

  /** Resolves when everything added so far has settled. */
  async settled(): Promise<void> {
    while (this.#set.size > 0) await Promise.all(this.#set);
  }
}
