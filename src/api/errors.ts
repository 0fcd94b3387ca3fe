import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { type ErrorCode, type FieldIssue, HeraldError } from "../domain/errors.js";

/** The HTTP status for each core error code: the only such map in Herald. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The one error body shape of the API. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown };
}

/** Builds the error body for a HeraldError. */
export function errorBody(err: HeraldError): ErrorBody {
  return { error: { code: err.code, message: err.message, details: err.details } };
}

/** Turns whatever was thrown into a HeraldError that is safe to show (no internals for 5xx). */
export function toHeraldError(err: unknown, request: FastifyRequest): HeraldError {
  if (err instanceof HeraldError) return err;
  const fe = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const where = fe.validationContext ?? "body";
    const issues: FieldIssue[] = fe.validation.map((v) => ({
      path: v.instancePath.replace(/^\//, "").replaceAll("/", ".") || where,
      message: v.message ?? "invalid",
    }));
    return new HeraldError(
      "validation_failed",
      `invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      {
        in: where,
        issues,
      },
    );
  }
  if (isResponseSerializationError(fe)) {
    request.log.error({ err: fe }, "response did not match its schema");
    return new HeraldError("internal", "internal error", { requestId: request.id });
  }
  switch (fe.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new HeraldError("payload_too_large", "request body is larger than the server accepts", {
        limit: request.routeOptions.bodyLimit,
      });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new HeraldError(
        "unsupported_media_type",
        `content type ${request.headers["content-type"] ?? "(none)"} is not accepted; send application/json`,
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new HeraldError("validation_failed", "the body is empty but the content type says JSON", {
        issues: [{ path: "body", message: "empty" }],
      });
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new HeraldError("validation_failed", "the body is not valid JSON", {
        issues: [{ path: "body", message: fe.message }],
      });
  }
  const status = fe.statusCode ?? 500;
  if (status === 404) return new HeraldError("not_found", fe.message);
  if (status === 413) return new HeraldError("payload_too_large", fe.message);
  if (status === 415) return new HeraldError("unsupported_media_type", fe.message);
  if (status === 429) return new HeraldError("rate_limited", fe.message);
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx errors (bad content length, malformed URL…) are client mistakes; their messages are safe.
    return new HeraldError("validation_failed", fe.message, { issues: [] });
  }
  request.log.error({ err }, "unhandled error");
  return new HeraldError("internal", "internal error", { requestId: request.id });
}

/** Fastify error handler: every failure leaves as `{error:{code,message,details}}` with its status. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const herald = toHeraldError(err, request);
  const status = STATUS_BY_CODE[herald.code];
  if (herald.code === "rate_limited") {
    const retry = (herald.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds;
    if (retry !== undefined) reply.header("retry-after", String(retry));
  }
  return reply.status(status).type("application/json").send(errorBody(herald));
}
