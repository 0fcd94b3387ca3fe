// Deterministic randomness for the sandbox. Draws are pure functions of (seed, key, counter, slot) rather than
// one shared stream, so a recipient's behaviour does not depend on how requests from other recipients
// interleave: tests are exact even with concurrent sends.

/** A 32-bit FNV-1a hash of a string. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes 32-bit words into one well-spread 32-bit value (a murmur3-style finaliser). */
export function mix(a: number, b: number, c = 0): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) determined by the three words. */
export function uniform(a: number, b: number, c = 0): number {
  return mix(a, b, c) / 4294967296;
}

/** A sequential seeded generator (mulberry32), for places where order is already deterministic. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next uniform number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Turns a seed option (number or string) into a 32-bit seed. */
export function seedOf(seed: number | string): number {
  return typeof seed === "number" ? seed >>> 0 : hashString(seed);
}
