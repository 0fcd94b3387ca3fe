import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying the signature of an outbound webhook POST. */
export const SIGNATURE_HEADER = "x-herald-signature";

/**
 * `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the subscription's secret, as GitHub and Meta do. The
 * body holds `deliveryId` and `sentAt`, so the signature covers them and a receiver can refuse old or seen POSTs.
 */
export function signWebhookBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** True when `header` is the signature of `body` under `secret` (constant-time compare); what a receiver runs. */
export function verifyWebhookBody(body: string | Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const want = Buffer.from(signWebhookBody(body, secret));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}
