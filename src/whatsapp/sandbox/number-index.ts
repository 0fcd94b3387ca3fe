// Recipient numbers → recipient index, as an open-addressing hash table over the digits read as a number.
//
// Why not a Map<string, number>: a campaign reaches a new number with nearly every send, and with 400k
// numbers the Map's lookup (hash the fresh string, walk the bucket chain, compare the strings) was 5% of the
// sandbox's time (bench/_micro.ts profile); here a lookup is one multiply-add per digit and a probe in two
// typed arrays. Anything else (a leading zero, which would collide with the shorter number; more than 15
// digits; not digits: the control API takes any path segment) goes to a Map.
import { NONE } from "./messages.js";
import { mix } from "./random.js";

/** An index of strings, fast for phone numbers (1–15 digits, exact as doubles). */
export class NumberIndex {
  /**
   * Slots of two doubles side by side, the key and value + 1 (0: empty, so a new table needs no fill and its
   * pages stay untouched until used): one cache line per probe instead of one in each of two arrays.
   */
  #slots = new Float64Array(2 << 18);
  #mask = (1 << 18) - 1;
  #size = 0;
  readonly #others = new Map<string, number>();

  /** The value stored for `digits` (whose digitsValue is `key`), or NONE. */
  get(digits: string, key = digitsValue(digits)): number {
    if (key < 0) return this.#others.get(digits) ?? NONE;
    const slots = this.#slots;
    for (let i = hash(key) & this.#mask; ; i = (i + 1) & this.#mask) {
      const v = slots[2 * i + 1] as number;
      if (v === 0) return NONE;
      if (slots[2 * i] === key) return v - 1;
    }
  }

  /** Stores `value` (≥ 0) for `digits` (whose digitsValue is `key`), which must not be present yet. */
  add(digits: string, value: number, key = digitsValue(digits)): void {
    if (key < 0) {
      this.#others.set(digits, value);
      return;
    }
    if (++this.#size * 2 > this.#mask) this.#grow();
    this.#insert(key, value);
  }

  clear(): void {
    this.#slots.fill(0);
    this.#size = 0;
    this.#others.clear();
  }

  #insert(key: number, value: number): void {
    let i = hash(key) & this.#mask;
    while (this.#slots[2 * i + 1] !== 0) i = (i + 1) & this.#mask;
    this.#slots[2 * i] = key;
    this.#slots[2 * i + 1] = value + 1;
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Float64Array(old.length * 2);
    this.#mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] !== 0) this.#insert(old[i] as number, (old[i + 1] as number) - 1);
    }
  }
}

/** The digits as a number, or -1 when the string is not 1–15 digits without a leading zero. */
export function digitsValue(digits: string): number {
  const length = digits.length;
  if (length === 0 || length > 15 || digits.charCodeAt(0) === 48) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function hash(key: number): number {
  return mix(key % 4294967296, Math.floor(key / 4294967296));
}
