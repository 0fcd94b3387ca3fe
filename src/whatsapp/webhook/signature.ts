// X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body, keyed with the app secret
// (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
import { createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = "sha256=";

/** Computes the `X-Hub-Signature-256` header value Meta would send for these exact bytes. */
export function signBody(rawBody: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac("sha256", appSecret).update(rawBody).digest("hex");
}

/**
 * True when `header` is the HMAC-SHA256 of the exact raw bytes under `appSecret`. Compared in constant time;
 * never re-serialise the parsed JSON before checking: Meta signs its own ASCII-escaped bytes.
 */
export function verifySignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (header === undefined || appSecret.length === 0) return false;
  const value = header.trim();
  if (value.length !== PREFIX.length + 64 || value.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return false;
  const hex = value.slice(PREFIX.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, "hex"));
}
