// One keep-alive connection pool to the Graph API origin, and the mapping of its answers to ProviderError.
import { type Dispatcher, type FormData, Pool } from "undici";
import { ProviderError } from "../provider-error.js";

/** Settings of the HTTP layer. */
export interface GraphHttpOptions {
  /** e.g. "https://graph.facebook.com" or the sandbox "http://127.0.0.1:4010" */
  origin: string;
  /** Milliseconds to wait for headers and then for the body before giving up (a timeout ProviderError). */
  timeoutMs: number;
  /** Keep-alive connections to the origin. */
  connections: number;
}

interface GraphErrorBody {
  error?: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    error_data?: { details?: unknown } | string;
    fbtrace_id?: string;
    is_transient?: boolean;
  };
}

/** A thin JSON client over an undici Pool; throws ProviderError for every failure. */
export class GraphHttp {
  readonly #pool: Pool;
  readonly #timeoutMs: number;

  constructor(options: GraphHttpOptions) {
    this.#timeoutMs = options.timeoutMs;
    // Pipelining stays off (1): a slow or failed answer must not hold unrelated sends behind it.
    this.#pool = new Pool(options.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /** Sends one request and returns the parsed JSON of a 2xx answer. */
  async request(
    method: Dispatcher.HttpMethod,
    path: string,
    token: string,
    body?: string | FormData,
    contentType?: string,
  ): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
    if (contentType !== undefined) headers["content-type"] = contentType;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.#pool.request({
        method,
        path,
        headers,
        body: body ?? null,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      throw transportError(err);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw transportError(err);
    }
    let parsed: unknown = null;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return parsed;
    throw errorFromBody(res.statusCode, parsed, text);
  }

  /** Closes the pool's connections. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}

function transportError(err: unknown): ProviderError {
  const code = (err as { code?: string; name?: string }).code ?? "";
  const name = (err as { name?: string }).name ?? "";
  const timeout = code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || name === "TimeoutError";
  return new ProviderError({
    code: 0,
    origin: timeout ? "timeout" : "network",
    message: err instanceof Error ? err.message : String(err),
    details: code || name || null,
  });
}

/** Builds a ProviderError from a non-2xx Graph answer (Meta's `{"error":{…}}`, or anything else a proxy sent). */
export function errorFromBody(status: number, parsed: unknown, text: string): ProviderError {
  const e = (parsed as GraphErrorBody | null)?.error;
  if (!e || typeof e.code !== "number") {
    // No Graph error body (a proxy, a load balancer): classify by status alone, as Meta's code 1/2 would be.
    return new ProviderError({
      code: status >= 500 ? 2 : status === 429 ? 4 : 1,
      httpStatus: status,
      message: `HTTP ${status}: ${text.slice(0, 200)}`,
      details: null,
    });
  }
  // error_data is an object for messaging errors but can be a plain string for template management (reference §2.6).
  const details = typeof e.error_data === "string" ? e.error_data : (e.error_data?.details ?? null);
  return new ProviderError({
    code: e.code,
    httpStatus: status,
    message: e.message ?? `(#${e.code})`,
    subcode: e.error_subcode,
    fbtraceId: e.fbtrace_id,
    type: e.type,
    details,
    isTransient: e.is_transient,
  });
}
