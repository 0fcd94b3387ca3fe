// The dashboard's only HTTP client. Every request goes through `request`, which sends the session cookie, adds the
// CSRF token to state-changing requests and turns the server's error body into an `ApiError`.

/** The API's base path. */
export const API = "/api/v1";

/** The error codes the server answers with (`{"error":{"code","message","details"}}`). */
export type ApiErrorCode =
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "internal"
  | "network";

/** One problem with one input field, as listed in `details.issues` of a `validation_failed` error. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** A failed API call: the HTTP status (0 when the server was not reached) and the server's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | (string & {});
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The field issues of a `validation_failed` error (empty for other errors). */
  get issues(): ValidationIssue[] {
    if (!isRecord(this.details) || !Array.isArray(this.details.issues)) return [];
    return this.details.issues.flatMap((issue: unknown) => {
      if (!isRecord(issue) || typeof issue.message !== "string") return [];
      const path = Array.isArray(issue.path) ? issue.path.join(".") : String(issue.path ?? "");
      return [{ path, message: issue.message }];
    });
  }

  /** Seconds until a `rate_limited` request may be retried, when the server said so. */
  get retryAfterSeconds(): number | undefined {
    if (!isRecord(this.details)) return undefined;
    const value = this.details.retryAfterSeconds;
    return typeof value === "number" && Number.isFinite(value) ? Math.ceil(value) : undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

let csrfToken: string | null = null;

/** Remembers the CSRF token from login or `/auth/me`; it is sent on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * A request body: anything else is sent as JSON; a `RawBody` (a file upload) is sent as it is, with its own
 * Content-Type.
 */
export interface RawBody {
  raw: Blob;
  contentType: string;
}

function isRawBody(body: unknown): body is RawBody {
  return isRecord(body) && body.raw instanceof Blob && typeof body.contentType === "string";
}

/** Calls the server and returns the parsed JSON body (undefined for 204), or throws an `ApiError`. */
export async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  try {
    return await send<T>(method, path, body, signal);
  } catch (error) {
    // The session's CSRF token changes when the user signs in again in another tab: fetch the current one and
    // retry once, so the click still works instead of showing a confusing "forbidden".
    if (method === "GET" || !(error instanceof ApiError) || !isCsrfRejection(error)) throw error;
    const session = await send<{ csrfToken?: string }>("GET", `${API}/auth/me`);
    if (!session?.csrfToken || session.csrfToken === csrfToken) throw error;
    csrfToken = session.csrfToken;
    return send<T>(method, path, body, signal);
  }
}

function isCsrfRejection(error: ApiError): boolean {
  return error.status === 403 && /csrf/i.test(error.message);
}

async function send<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const raw = isRawBody(body) ? body : null;
  if (raw) headers["Content-Type"] = raw.contentType;
  else if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(signal ? { signal } : {}),
      body: raw ? raw.raw : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, "network", cause instanceof Error ? cause.message : "network error", undefined);
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as T;
  throw toApiError(response.status, parsed, text);
}

function toApiError(status: number, parsed: unknown, text: string): ApiError {
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
  if (error && typeof error.code === "string") {
    const message = typeof error.message === "string" ? error.message : error.code;
    return new ApiError(status, error.code, message, error.details);
  }
  // A proxy or a crash answered instead of Herald: keep the status, guess the code from it.
  const code =
    status === 401 ? "unauthorized" : status === 403 ? "forbidden" : status === 404 ? "not_found" : "internal";
  return new ApiError(status, code, text.slice(0, 200) || `HTTP ${status}`, undefined);
}
