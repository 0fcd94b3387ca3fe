// Meta serialises the webhook JSON it signs with every non-ASCII character escaped as \uXXXX in lowercase hex
// (surrogate pairs for characters outside the BMP, e.g. emoji): "äöå" → "\u00e4\u00f6\u00e5". Meta's note is
// quoted in whatsapp-api-js issue #290 and the Graph webhooks guide ("validate payloads").
// Whether "/" is escaped as "\/" is not documented (reference §10); we leave it as "/" by default.

const NON_ASCII = /[\u0080-\uffff]/g;
const HAS_NON_ASCII = /[\u0080-\uffff]/;

function escapeChar(c: string): string {
  const hex = c.charCodeAt(0).toString(16);
  return `\\u${"0000".slice(hex.length)}${hex}`;
}

/** Escapes every non-ASCII UTF-16 code unit of a JSON text as lowercase `\uXXXX` (so emoji become surrogate pairs). */
export function escapeNonAscii(json: string): string {
  return HAS_NON_ASCII.test(json) ? json.replace(NON_ASCII, escapeChar) : json;
}

/** JSON.stringify, then Meta's ASCII-only escaping: the exact bytes the sandbox signs and sends. */
export function serializeLikeMeta(value: unknown, options: { escapeSlash?: boolean } = {}): string {
  // The regex works on UTF-16 code units, so an emoji (two code units) becomes its two surrogate escapes.
  // JSON.stringify already escapes lone surrogates (well-formed JSON.stringify, ES2019) in lowercase.
  const json = escapeNonAscii(JSON.stringify(value));
  return options.escapeSlash ? json.replaceAll("/", "\\/") : json;
}
