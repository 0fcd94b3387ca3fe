import { randomBytes } from "node:crypto";

let lastMs = 0;
let seq = 0;

// Random bits come from a pool refilled 4 KiB at a time: one randomBytes() call per id cost more than the rest of
// the id (measured 6.0 → ~1 µs per id; a 1,000,000-recipient launch makes a million of them).
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;
const bytes = Buffer.alloc(16);

function random(count: number): number {
  if (offset + count > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const at = offset;
  offset += count;
  return at;
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by creation time.
 * Within one millisecond a 12-bit counter in `rand_a` keeps ids from one process strictly increasing; when it
 * runs out, or the clock steps back, the id borrows the next millisecond rather than break the order.
 */
export function newId(now: number = Date.now()): string {
  if (now <= lastMs) {
    // The same millisecond (or a clock that stepped back): count on; past 4,095 borrow the next millisecond.
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
  } else {
    lastMs = now;
    const at = random(2);
    seq = (((pool[at] ?? 0) << 8) | (pool[at + 1] ?? 0)) & 0x7ff;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (seq >> 8);
  bytes[7] = seq & 0xff;
  const at = random(8);
  pool.copy(bytes, 8, at, at + 8);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
