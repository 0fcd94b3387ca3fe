// The webhook side of the WhatsApp integration: signature, Meta-style serialisation and typed parsing.
export type * from "./events.js";
export { inboundText } from "./inbound-text.js";
export { parseWebhook } from "./parse.js";
export { escapeNonAscii, serializeLikeMeta } from "./serialize.js";
export { signBody, verifySignature } from "./signature.js";
