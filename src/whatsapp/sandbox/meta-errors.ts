// Meta's error body: {"error":{"message":"(#code) title","type":"OAuthException","code",…,"fbtrace_id"}}
// (whatsapp-platform.md §1, reference §2.6). The sandbox throws SandboxFailure anywhere in a handler; the app's
// error handler writes it, so bad input always gets Meta's body and never crashes the server.
import { META_ERRORS } from "../errors.js";

/** An error the sandbox answers with, in Meta's shape. */
export class SandboxFailure extends Error {
  readonly code: number;
  readonly httpStatus: number;
  readonly subcode: number | undefined;
  readonly details: string | undefined;
  readonly title: string;

  constructor(
    code: number,
    details?: string,
    options: { subcode?: number; httpStatus?: number; message?: string } = {},
  ) {
    const info = META_ERRORS.get(code);
    const title = info?.title ?? "Invalid request";
    super(options.message ?? `(#${code}) ${title}`);
    this.code = code;
    this.title = title;
    this.details = details;
    this.subcode = options.subcode;
    this.httpStatus = options.httpStatus ?? info?.httpStatus ?? 400;
  }
}

/** A 100 "Invalid parameter" naming the field, as Graph does for bad or missing parameters. */
export function badParam(field: string, problem: string): SandboxFailure {
  return new SandboxFailure(100, `Param ${field} ${problem}`, { message: "(#100) Invalid parameter" });
}

/** The 190 answer to a missing, unknown or expired access token. */
export function invalidToken(): SandboxFailure {
  return new SandboxFailure(190, undefined, {
    message: "Invalid OAuth access token - Cannot parse access token",
    httpStatus: 401,
  });
}

/** Graph's answer for an id that does not exist or that the token may not use (code 100, subcode 33). */
export function unknownObject(id: string, verb: "get" | "post" | "delete"): SandboxFailure {
  const what =
    verb === "get"
      ? "Unsupported get request."
      : verb === "post"
        ? "Unsupported post request."
        : "Unsupported delete request.";
  return new SandboxFailure(100, undefined, {
    subcode: 33,
    message: `${what} Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  });
}

let traceSeq = 0;
const TRACE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** A Graph-looking `fbtrace_id` (deterministic per process: a counter, not randomness). */
export function nextTraceId(): string {
  let n = ++traceSeq * 2654435761;
  let out = "A";
  for (let i = 0; i < 16; i++) {
    out += TRACE_CHARS[n % 64];
    n = Math.floor(n / 64) + i * 7919;
  }
  return out;
}

/** Serialises a failure as Meta's JSON error body. */
export function failureBody(f: SandboxFailure): string {
  const error: Record<string, unknown> = { message: f.message, type: "OAuthException", code: f.code };
  if (f.subcode !== undefined) error.error_subcode = f.subcode;
  if (f.details !== undefined) error.error_data = { messaging_product: "whatsapp", details: f.details };
  error.fbtrace_id = nextTraceId();
  return JSON.stringify({ error });
}
