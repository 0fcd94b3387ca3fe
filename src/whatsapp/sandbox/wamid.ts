// Message ids in Meta's shape: "wamid." + base64 of a small protobuf-like frame holding the user's number and
// a sequence number. Rebuilt from (number, sequence) whenever needed instead of stored: a 60-character string
// per message kept for hours was the largest part of a message's memory. Encoded in JS: Buffer.from + base64
// cost 0.54 µs per id, this 0.30 µs (and no call into C++, which costs more when caches are cold).

const B64 = Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", (c) => c.charCodeAt(0));
const HEX_UPPER = Array.from("0123456789ABCDEF", (c) => c.charCodeAt(0));
const OUTBOUND = [0x15, 0x02, 0x00, 0x11, 0x18, 0x12];
const INBOUND = [0x15, 0x02, 0x00, 0x12, 0x18, 0x14, 0x49]; // …, "I"
const WAMID = Array.from("wamid.", (c) => c.charCodeAt(0));

const frame = new Uint8Array(64);

/** Writes the frame of a wamid into `out`; returns its length. `waId`: digits' value or ASCII text. */
export function wamidFrame(out: Uint8Array, waId: number | string, inbound: boolean, seq: number): number {
  let n = 0;
  out[n++] = 0x1c;
  out[n++] = 0x18;
  out[n++] = 0x0c;
  if (typeof waId === "number") n = decimalInto(out, n, waId);
  else for (let i = 0; i < waId.length; i++) out[n++] = waId.charCodeAt(i);
  for (const b of inbound ? INBOUND : OUTBOUND) out[n++] = b;
  let length = 1;
  for (let x = seq; x >= 16; x = Math.floor(x / 16)) length++;
  for (let k = length - 1, x = seq; k >= 0; k--) {
    out[n + k] = HEX_UPPER[x % 16] as number;
    x = Math.floor(x / 16);
  }
  return n + length;
}

/** Writes "wamid." and the base64 (with "=" padding) of frame bytes [0, n) at `at`; returns the end. */
export function wamidInto(bytes: Uint8Array, n: number, out: Uint8Array | number[], at: number): number {
  for (const c of WAMID) out[at++] = c;
  for (let k = 0; k < n; k += 3) {
    const b0 = bytes[k] as number;
    const b1 = k + 1 < n ? (bytes[k + 1] as number) : 0;
    const b2 = k + 2 < n ? (bytes[k + 2] as number) : 0;
    out[at++] = B64[b0 >> 2] as number;
    out[at++] = B64[((b0 & 3) << 4) | (b1 >> 4)] as number;
    out[at++] = k + 1 < n ? (B64[((b1 & 15) << 2) | (b2 >> 6)] as number) : 0x3d; // "="
    out[at++] = k + 2 < n ? (B64[b2 & 63] as number) : 0x3d;
  }
  return at;
}

function wamid(waId: string, inbound: boolean, seq: number): string {
  // Non-ASCII numbers (only through the control API) are framed as UTF-8, as Buffer.from would.
  if (!isAscii(waId)) {
    const tail = inbound ? "\x15\x02\x00\x12\x18\x14I" : "\x15\x02\x00\x11\x18\x12";
    return `wamid.${Buffer.from(`\x1c\x18\x0c${waId}${tail}${seq.toString(16).toUpperCase()}`).toString("base64")}`;
  }
  const n = wamidFrame(frame, waId, inbound, seq);
  const codes = new Array<number>(WAMID.length + 4 * Math.ceil(n / 3));
  wamidInto(frame, n, codes, 0);
  return String.fromCharCode.apply(null, codes);
}

/** The wamid of a message the business sent to `waId`. */
export function outboundWamid(waId: string, seq: number): string {
  return wamid(waId, false, seq);
}

/** The wamid of a message the user `from` sent to the business. */
export function inboundWamid(from: string, seq: number): string {
  return wamid(from, true, seq);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function decimalInto(out: Uint8Array, at: number, n: number): number {
  let length = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) length++;
  for (let k = length - 1; k >= 0; k--) {
    out[at + k] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + length;
}
