// Turns API errors into sentences for people, in the current language.
import type { TFunction } from "i18next";
import { ApiError } from "../api/client";

/** A translated, human message for any error thrown by the API client (or anything else). */
export function errorMessage(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("errors.internal");
  switch (error.code) {
    case "network":
      return t("errors.network");
    case "unauthorized":
      return t("errors.unauthorized");
    case "forbidden":
      return t("errors.forbidden");
    case "not_found":
      return t("errors.notFound");
    case "conflict":
      return t("errors.conflict", { message: error.message });
    case "payload_too_large":
      return t("errors.payloadTooLarge");
    case "unsupported_media_type":
      return t("errors.unsupportedMediaType");
    case "rate_limited": {
      const seconds = error.retryAfterSeconds;
      return seconds === undefined ? t("errors.rateLimitedLater") : t("errors.rateLimited", { seconds });
    }
    case "validation_failed":
      return t("errors.validation");
    default:
      return t("errors.internal");
  }
}

/**
 * Field errors of a `validation_failed` error, keyed by the field name in `details.issues[].path`, for the given
 * form fields. Issues for other fields are returned under `""`, to be shown above the form.
 */
export function fieldErrors<F extends string>(error: unknown, fields: readonly F[]): Partial<Record<F | "", string>> {
  if (!(error instanceof ApiError) || error.code !== "validation_failed") return {};
  const result: Partial<Record<F | "", string>> = {};
  for (const issue of error.issues) {
    const field = fields.find((name) => name === issue.path || issue.path.startsWith(`${name}.`)) ?? "";
    result[field] = result[field] ? `${result[field]} ${issue.message}` : issue.message;
  }
  return result;
}
