// The sandbox's clock and its one timer. Every delayed thing (a status, a reply, a webhook batch, a retry, a
// template review) is a Task in time slots of `tickMs`; real mode drives them from ONE setInterval, virtual
// mode only when a test calls advance()/flush(). A setTimeout per message would cost far more at 30k sends/s.

/** Something to run at a time. */
export interface Task {
  at: number;
  run(): void;
}

/** The sandbox's notion of now, in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** A clock that only moves when told to (tests). */
export class VirtualClock implements Clock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  /** Current virtual time. */
  now(): number {
    return this.#now;
  }

  /** Moves time forward (never back). */
  set(t: number): void {
    if (t > this.#now) this.#now = t;
  }
}

/** The wall clock. */
export const realClock: Clock = { now: () => Date.now() };

/** A min-heap of slot numbers with a FIFO of tasks per slot. */
export class Scheduler {
  readonly #tickMs: number;
  readonly #slots = new Map<number, Task[]>();
  readonly #heap: number[] = [];
  #size = 0;

  constructor(tickMs: number) {
    this.#tickMs = tickMs;
  }

  /** Number of tasks waiting. */
  get size(): number {
    return this.#size;
  }

  /** Queues a task for its `at` time. */
  add(task: Task): void {
    const slot = Math.floor(task.at / this.#tickMs);
    const list = this.#slots.get(slot);
    if (list) list.push(task);
    else {
      this.#slots.set(slot, [task]);
      this.#push(slot);
    }
    this.#size++;
  }

  /** The earliest time any task may be due, or undefined when empty. */
  nextAt(): number | undefined {
    const slot = this.#heap[0];
    if (slot === undefined) return undefined;
    const list = this.#slots.get(slot) as Task[];
    let min = Number.POSITIVE_INFINITY;
    for (const t of list) if (t.at < min) min = t.at;
    return min;
  }

  /**
   * Runs every task due at or before `now`, in time order (tasks of one slot are sorted by time, ties keep
   * insertion order), including tasks that running ones add for times already due. `beforeRun` lets a
   * virtual clock step to each task's time. Returns how many ran.
   */
  runDue(now: number, beforeRun?: (at: number) => void): number {
    let ran = 0;
    const nowSlot = Math.floor(now / this.#tickMs);
    while (this.#heap.length > 0) {
      const slot = this.#heap[0] as number;
      if (slot > nowSlot) break;
      const list = this.#slots.get(slot) as Task[];
      if (slot === nowSlot) {
        // The current slot may hold tasks later than now: run only the due ones.
        const due = list.filter((t) => t.at <= now);
        if (due.length === 0) break;
        const rest = list.filter((t) => t.at > now);
        if (rest.length === 0) {
          this.#slots.delete(slot);
          this.#pop();
        } else this.#slots.set(slot, rest);
        ran += this.#runList(due, beforeRun);
        if (rest.length > 0) break;
        continue;
      }
      this.#slots.delete(slot);
      this.#pop();
      ran += this.#runList(list, beforeRun);
    }
    return ran;
  }

  /** Drops every task. */
  clear(): void {
    this.#slots.clear();
    this.#heap.length = 0;
    this.#size = 0;
  }

  #runList(list: Task[], beforeRun?: (at: number) => void): number {
    if (beforeRun) list.sort((a, b) => a.at - b.at);
    this.#size -= list.length;
    for (const task of list) {
      beforeRun?.(task.at);
      task.run();
    }
    return list.length;
  }

  #push(slot: number): void {
    const h = this.#heap;
    h.push(slot);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((h[parent] as number) <= slot) break;
      h[i] = h[parent] as number;
      i = parent;
    }
    h[i] = slot;
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop() as number;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && (h[r] as number) < (h[l] as number) ? r : l;
      if ((h[c] as number) >= last) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = last;
  }
}
