import type { FieldIssue } from "../errors.js";

/** The longest endpoint URL a subscription may hold. */
export const MAX_WEBHOOK_URL_LENGTH = 2_000;

/**
 * Problems with a subscription's endpoint URL, empty when it is acceptable: an absolute `http:` or `https:` URL
 * with a host, without credentials (they would be stored in clear and logged by proxies; the signature is the
 * authentication) and without a fragment (never sent). Plain `http:` is allowed because Herald is self-hosted and
 * a CRM on the same network is common; the payload is still signed.
 */
export function webhookUrlIssues(value: string, path = "url"): FieldIssue[] {
  if (value.length > MAX_WEBHOOK_URL_LENGTH) return [{ path, message: `longer than ${MAX_WEBHOOK_URL_LENGTH}` }];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ path, message: "not an absolute URL" }];
  }
  const issues: FieldIssue[] = [];
  if (url.protocol !== "http:" && url.protocol !== "https:") issues.push({ path, message: "must be http or https" });
  if (url.hostname === "") issues.push({ path, message: "has no host" });
  if (url.username !== "" || url.password !== "")
    issues.push({ path, message: "must not contain a user name or password" });
  if (url.hash !== "") issues.push({ path, message: "must not contain a #fragment" });
  return issues;
}
