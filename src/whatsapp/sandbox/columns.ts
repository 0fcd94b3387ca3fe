// Helpers for the sandbox's struct-of-arrays state (messages.ts, audience.ts): growable typed-array columns and
// small interning tables that turn the few distinct objects or strings a column refers to into numbers.

/** A typed array the sandbox keeps a column in. */
export type Column = Int32Array | Uint32Array | Float64Array | Uint8Array | Uint16Array;

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

  /** The value's number, assigned on first sight. */
  id(value: T): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.#ids.set(value, id);
    }
    return id;
  }

  get(id: number): T {
    return this.values[id] as T;
  }
}
