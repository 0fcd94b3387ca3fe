// Message ids in Meta's shape: "wamid." + base64 of a small protobuf-like frame holding the user's number and
// a sequence number. Rebuilt from (number, sequence) whenever needed instead of stored: a 60-character string
// per message kept for hours was the largest part of a message's memory.
import { hexUpper } from "./hex.js";

/** The wamid of a message the business sent to `waId`. */
export function outboundWamid(waId: string, seq: number): string {
  return `wamid.${Buffer.from(`\x1c\x18\x0c${waId}\x15\x02\x00\x11\x18\x12${hexUpper(seq)}`).toString("base64")}`;
}

/** The wamid of a message the user `from` sent to the business. */
export function inboundWamid(from: string, seq: number): string {
  return `wamid.${Buffer.from(`\x1c\x18\x0c${from}\x15\x02\x00\x12\x18\x14I${hexUpper(seq)}`).toString("base64")}`;
}
