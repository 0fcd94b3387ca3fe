// Hexadecimal digits by table: Number.prototype.toString(16) and padStart cost ~0.4 µs per id, and a message
// needs 3–4 ids (wamid, conversation id) over its life (bench/_micro.ts profile: 2.3% for conversation ids).

const LOWER = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const UPPER = LOWER.map((s) => s.toUpperCase());

function hexOf(n: number, table: string[]): string {
  let out = "";
  while (n >= 256) {
    out = (table[n % 256] as string) + out;
    n = Math.floor(n / 256);
  }
  const top = table[n] as string;
  return (n < 16 ? (top[1] as string) : top) + out;
}

/** `n.toString(16)` for a non-negative integer. */
export function hexLower(n: number): string {
  return hexOf(n, LOWER);
}

/** `n.toString(16).toUpperCase()` for a non-negative integer. */
export function hexUpper(n: number): string {
  return hexOf(n, UPPER);
}

/** `x.toString(16).padStart(8, "0")` for an unsigned 32-bit integer. */
export function hex8(x: number): string {
  return (
    (LOWER[x >>> 24] as string) +
    (LOWER[(x >>> 16) & 255] as string) +
    (LOWER[(x >>> 8) & 255] as string) +
    (LOWER[x & 255] as string)
  );
}
