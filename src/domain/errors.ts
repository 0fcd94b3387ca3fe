/**
 * The closed set of error codes the core may throw. The API maps each code to one HTTP status
 * (src/api/errors.ts); the CLI prints the message. Adding a code forces the map to handle it.
 */
export type ErrorCode =
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  /** Well-formed, but a rule forbids it now (e.g. free text outside the 24-hour window); `details.reason` says which. */
  | "unprocessable"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "internal";

/** One failing field: a dotted path into the input and the reason it was rejected. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A typed error from the core; `details` is safe to show to the caller (never internals or secrets). */
export class HeraldError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "HeraldError";
    this.code = code;
    this.details = details ?? null;
  }
}

/** True when `err` is a HeraldError with the given code. */
export function isHeraldError(err: unknown, code?: ErrorCode): err is HeraldError {
  return err instanceof HeraldError && (code === undefined || err.code === code);
}
