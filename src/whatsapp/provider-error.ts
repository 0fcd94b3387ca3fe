import { describeError, type ErrorAction } from "./errors.js";

/** Where an error was found: Meta answered with it, the network failed, or our own checks refused to send. */
export type ErrorOrigin = "meta" | "network" | "timeout" | "local";

/** The fields of a ProviderError; everything but `code` and `message` is optional when building one. */
export interface ProviderErrorInit {
  code: number;
  message: string;
  origin?: ErrorOrigin;
  subcode?: number;
  fbtraceId?: string;
  httpStatus?: number;
  /** Meta's `error_data.details` (a string, or whatever Meta sent for template-management errors). */
  details?: unknown;
  type?: string;
  /** `is_transient` when Graph sends it: it overrides the table's verdict toward retrying. */
  isTransient?: boolean;
}

/**
 * A failed provider call: Meta's error fields plus a verdict from the error table in errors.ts, so callers
 * switch on `action` instead of on codes. Network failures and timeouts use code 0 with origin set, and are
 * retryable (the request may or may not have reached Meta; the dispatcher's lease makes that safe).
 */
export class ProviderError extends Error {
  readonly code: number;
  readonly subcode: number | undefined;
  readonly fbtraceId: string | undefined;
  readonly httpStatus: number;
  readonly details: unknown;
  readonly type: string | undefined;
  readonly origin: ErrorOrigin;
  readonly retryable: boolean;
  readonly action: ErrorAction;
  /** Meta's meaning of the code, for people. */
  readonly meaning: string;
  readonly retryAfterMs: number | undefined;

  constructor(init: ProviderErrorInit) {
    super(init.message);
    this.name = "ProviderError";
    this.code = init.code;
    this.subcode = init.subcode;
    this.fbtraceId = init.fbtraceId;
    this.httpStatus = init.httpStatus ?? 0;
    this.details = init.details ?? null;
    this.type = init.type;
    this.origin = init.origin ?? "meta";
    if (this.origin === "network" || this.origin === "timeout") {
      this.retryable = true;
      this.action = "retry";
      this.meaning =
        this.origin === "timeout" ? "The provider did not answer in time." : "The provider could not be reached.";
      this.retryAfterMs = 1_000;
    } else {
      const info = describeError(init.code, this.httpStatus);
      this.retryable = info.retryable || init.isTransient === true;
      this.action = info.retryable || init.isTransient !== true ? info.action : "retry";
      this.meaning = info.meaning;
      this.retryAfterMs = info.retryAfterMs;
    }
  }
}

/** True when `err` is a ProviderError (optionally with one of the given codes). */
export function isProviderError(err: unknown, ...codes: number[]): err is ProviderError {
  return err instanceof ProviderError && (codes.length === 0 || codes.includes(err.code));
}
