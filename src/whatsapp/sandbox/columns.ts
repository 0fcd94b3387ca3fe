// Helpers for the sandbox's struct-of-arrays state (messages.ts, audience.ts): growable typed-array columns and
// small interning tables that turn the few distinct objects or strings a column refers to into numbers.

/** A typed array the sandbox keeps a column in. */
export type Column = Int32Array | Uint32Array | Float64Array | Uint8Array | Uint16Array | Int16Array;

/** A copy of `column` with room for `size` entries (the new tail is zero). */
export function grown<C extends Column>(column: C, size: number): C {
  const next = new (column.constructor as new (size: number) => C)(size);
  next.set(column);
  return next;
}

/** Numbers for a few distinct values (phone numbers, templates, failure reasons, type names). */
export class Interner<T> {
  readonly values: T[] = [];
  readonly #ids = new Map<T, number>();
  /** The last value asked for: sends mostly repeat it (one template, one type). */
  #last: T | undefined = undefined;
  #lastId = -1;

  /** The value's number, assigned on first sight. */
  id(value: T): number {
    if (this.#lastId >= 0 && value === this.#last) return this.#lastId;
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.#ids.set(value, id);
    }
    this.#last = value;
    this.#lastId = id;
    return id;
  }

  get(id: number): T {
    return this.values[id] as T;
  }
}

const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;

/**
 * A column of JS values (strings) in chunks of 16k: growing never copies, and an idle sandbox holds one chunk.
 * (A JS array grows by 1.5× copies into fresh memory, and every fresh 4 KB page costs a page fault here.)
 */
export class ChunkedColumn<T> {
  readonly #chunks: (T | undefined)[][] = [];

  get(i: number): T | undefined {
    return this.#chunks[i >>> CHUNK_BITS]?.[i & (CHUNK - 1)];
  }

  set(i: number, value: T | undefined): void {
    const c = i >>> CHUNK_BITS;
    while (this.#chunks.length <= c) this.#chunks.push(new Array<T | undefined>(CHUNK).fill(undefined));
    (this.#chunks[c] as (T | undefined)[])[i & (CHUNK - 1)] = value;
  }
}
