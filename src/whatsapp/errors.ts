// Meta's Cloud API error codes as data, with what a sender should do about each one. The table mirrors
// whatsapp-platform.md §2 and whatsapp-reference.md §3 (Meta's error-codes page:
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes); analytics shows `meaning`
// as "Meta's meaning", the dispatcher acts on `action`.

/** What the caller should do after an error: the dispatcher and the sender health check switch on it. */
export type ErrorAction =
  /** transient platform trouble: retry the same request with exponential backoff */
  | "retry"
  /** a rate limit on the number or the app: slow down, retry after a backoff */
  | "backoff"
  /** a limit on this one recipient: retry this recipient later, the others go on */
  | "retry_recipient_later"
  /** our request is wrong: fix it, retrying the same bytes cannot succeed */
  | "fix_request"
  /** free-form outside the 24-hour window: send a template instead */
  | "use_template"
  /** the recipient cannot receive messages: mark the number, never retry */
  | "mark_number"
  /** the user stopped marketing messages from this business: record a marketing opt-out */
  | "opt_out"
  /** not delivered now by Meta's choice: count separately, maybe days later */
  | "skip"
  /** the media is wrong or unreachable: fix the media, then retry */
  | "fix_media"
  /** the template or the campaign cannot go on: stop it and alert */
  | "stop_campaign"
  /** the sender number or its credentials are unusable: stop the sender and alert */
  | "stop_sender";

/** One row of Meta's error table. */
export interface ErrorInfo {
  code: number;
  /** Meta's short title, as it appears after `(#code)` in `error.message`. */
  title: string;
  /** Meta's meaning in one or two sentences, for people. */
  meaning: string;
  action: ErrorAction;
  /** true when sending the same request again later can succeed without changing anything */
  retryable: boolean;
  /** the HTTP status Meta answers with when the error comes back on the request (reference §2.6) */
  httpStatus: number;
  /** a suggested first wait before a retry, in milliseconds */
  retryAfterMs?: number;
}

const rows: ErrorInfo[] = [
  {
    code: 0,
    title: "AuthException",
    meaning: "We were unable to authenticate the app user.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 401,
  },
  {
    code: 1,
    title: "API Unknown",
    meaning: "Invalid request or possible server error.",
    action: "retry",
    retryable: true,
    httpStatus: 500,
    retryAfterMs: 1_000,
  },
  {
    code: 2,
    title: "API Service",
    meaning: "Temporary due to downtime or due to being overloaded.",
    action: "retry",
    retryable: true,
    httpStatus: 503,
    retryAfterMs: 1_000,
  },
  {
    code: 3,
    title: "API Method",
    meaning: "Capability or permissions issue.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 500,
  },
  {
    code: 4,
    title: "API Too Many Calls",
    meaning: "The app has reached its API call rate limit.",
    action: "backoff",
    retryable: true,
    httpStatus: 429,
    retryAfterMs: 60_000,
  },
  {
    code: 10,
    title: "Permission Denied",
    meaning: "Permission is either not granted or has been removed.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 403,
  },
  {
    code: 100,
    title: "Invalid parameter",
    meaning: "The request included one or more unsupported or misspelled parameters; the details name which.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 190,
    title: "Access token has expired",
    meaning: "The access token has expired or is invalid.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 401,
  },
  {
    code: 200,
    title: "API Permission",
    meaning: "Permission is either not granted or has been removed.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 403,
  },
  {
    code: 368,
    title: "Temporarily blocked for policies violations",
    meaning:
      "The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 403,
  },
  {
    code: 80007,
    title: "Rate limit issues",
    meaning: "The WhatsApp Business Account has reached its rate limit.",
    action: "backoff",
    retryable: true,
    httpStatus: 400,
    retryAfterMs: 60_000,
  },
  {
    code: 130429,
    title: "Rate limit hit",
    meaning: "Cloud API message throughput has been reached for this phone number.",
    action: "backoff",
    retryable: true,
    httpStatus: 400,
    retryAfterMs: 1_000,
  },
  {
    code: 130472,
    title: "User's number is part of an experiment",
    meaning: "The message was not sent as part of a Meta marketing experiment.",
    action: "skip",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 130497,
    title: "Business account is restricted from messaging users in this country",
    meaning: "The WhatsApp Business Account is restricted from messaging users in this country.",
    action: "stop_campaign",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131000,
    title: "Something went wrong",
    meaning: "The message failed to send due to an unknown error.",
    action: "retry",
    retryable: true,
    httpStatus: 500,
    retryAfterMs: 1_000,
  },
  {
    code: 131005,
    title: "Access denied",
    meaning: "Permission is either not granted or has been removed.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 403,
  },
  {
    code: 131008,
    title: "Required parameter is missing",
    meaning: "The request is missing a required parameter.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131009,
    title: "Parameter value is not valid",
    meaning: "One or more parameter values are invalid.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131016,
    title: "Service unavailable",
    meaning: "A service is temporarily unavailable.",
    action: "retry",
    retryable: true,
    httpStatus: 503,
    retryAfterMs: 1_000,
  },
  {
    code: 131021,
    title: "Recipient cannot be sender",
    meaning: "The sender and the recipient phone numbers are the same.",
    action: "mark_number",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131026,
    title: "Message undeliverable",
    meaning:
      "Unable to deliver the message: the recipient is not a WhatsApp user, has not accepted the terms, uses an old app, or blocked the business.",
    action: "mark_number",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131030,
    title: "Recipient phone number not in allowed list",
    meaning: "The recipient is not in the test number's allowed list.",
    action: "mark_number",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131031,
    title: "Account has been locked",
    meaning:
      "The business account was restricted or disabled for a policy violation, or its two-step PIN could not be verified.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131037,
    title: "WhatsApp provided number needs display name approval",
    meaning: "The 555 number needs an approved display name before it can send.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131042,
    title: "Business eligibility payment issue",
    meaning: "There was an error related to the payment method of the account.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131045,
    title: "Incorrect certificate",
    meaning: "The message failed to send due to a phone number registration error.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131047,
    title: "Re-engagement message",
    meaning: "More than 24 hours have passed since the recipient last replied to the sender number.",
    action: "use_template",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131048,
    title: "Spam rate limit hit",
    meaning:
      "The message failed to send because there are restrictions on how many messages can be sent from this phone number; earlier messages may have been blocked or flagged as spam.",
    action: "stop_campaign",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131049,
    title: "This message was not delivered to maintain healthy ecosystem engagement.",
    meaning:
      "Meta chose not to deliver this marketing message (per-user marketing limit; all marketing to US numbers).",
    action: "skip",
    retryable: false,
    httpStatus: 400,
    retryAfterMs: 86_400_000,
  },
  {
    code: 131050,
    title:
      "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
    meaning: "The user stopped marketing messages from this business.",
    action: "opt_out",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131051,
    title: "Unsupported message type",
    meaning: "The message type is not supported.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131052,
    title: "Media download error",
    meaning: "Unable to download the media sent by the user.",
    action: "fix_media",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131053,
    title: "Media upload error",
    meaning: "Unable to upload the media used in the message, or to fetch it from the link.",
    action: "fix_media",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131056,
    title: "(Business Account, Consumer Account) pair rate limit hit",
    meaning: "Too many messages were sent from this phone number to the same recipient in a short period of time.",
    action: "retry_recipient_later",
    retryable: true,
    httpStatus: 400,
    retryAfterMs: 6_000,
  },
  {
    code: 131057,
    title: "Account in maintenance mode",
    meaning: "The business account is in maintenance mode, for example during a throughput upgrade.",
    action: "retry",
    retryable: true,
    httpStatus: 400,
    retryAfterMs: 60_000,
  },
  {
    code: 131062,
    title: "Business-scoped user id recipients are not supported",
    meaning: "This message cannot be sent to a business-scoped user id.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131063,
    title: "Marketing messages are disabled on Cloud API",
    meaning: "The account sends marketing templates only through the Marketing Messages API.",
    action: "stop_campaign",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 131064,
    title: "Messaging limit reached",
    meaning: "The messaging limit was reduced because of template-classification violations.",
    action: "stop_campaign",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132000,
    title: "Number of parameters does not match the expected number of params",
    meaning: "The number of variable parameter values does not match the number of variables in the template.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132001,
    title: "Template name does not exist in the translation",
    meaning: "The template does not exist in the specified language, or it has not been approved.",
    action: "stop_campaign",
    retryable: false,
    httpStatus: 404,
  },
  {
    code: 132005,
    title: "Translated text too long",
    meaning: "The filled-in template text is too long.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132007,
    title: "Template format character policy violated",
    meaning: "The template content violates a WhatsApp policy.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132008,
    title: "Template parameter value is invalid",
    meaning: "A template parameter value is invalid.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132012,
    title: "Template parameter format mismatch",
    meaning: "The variable parameter values are formatted incorrectly for the template.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132015,
    title: "Template is paused",
    meaning: "The template is paused because of low quality, or its held messages were dropped by pacing.",
    action: "stop_campaign",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132016,
    title: "Template is disabled",
    meaning: "The template has been paused too many times due to low quality and is now permanently disabled.",
    action: "stop_campaign",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132018,
    title: "Template parameter contains invalid characters",
    meaning: "A parameter contains a newline, a tab or more than four consecutive spaces.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132068,
    title: "Flow is in blocked state",
    meaning: "The flow used by the message is blocked.",
    action: "stop_campaign",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 132069,
    title: "Flow is in throttled state",
    meaning: "Ten messages using this flow were already sent in the last hour.",
    action: "backoff",
    retryable: true,
    httpStatus: 400,
    retryAfterMs: 3_600_000,
  },
  {
    code: 133010,
    title: "Phone number not registered",
    meaning: "The phone number is not registered on the WhatsApp Business Platform.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 133016,
    title: "Account registration or deregistration rate limit exceeded",
    meaning: "Too many registration or deregistration attempts for this number.",
    action: "stop_sender",
    retryable: false,
    httpStatus: 400,
  },
  {
    code: 137000,
    title: "Identity key hash mismatch",
    meaning: "The recipient's identity key hash does not match.",
    action: "fix_request",
    retryable: false,
    httpStatus: 400,
  },
];

/** Meta's error table keyed by code. */
export const META_ERRORS: ReadonlyMap<number, ErrorInfo> = new Map(rows.map((r) => [r.code, r]));

/** Describes any code: a table row, or a classification by range when Meta added a code we do not know yet. */
export function describeError(code: number, httpStatus = 0): ErrorInfo {
  const known = META_ERRORS.get(code);
  if (known) return known;
  // Graph API: codes 200–299 are permission errors (same handling as 200).
  if (code >= 200 && code <= 299) return { ...(META_ERRORS.get(200) as ErrorInfo), code };
  // An unknown code on a 5xx answer is platform trouble; anything else we cannot fix by retrying blindly.
  const transient = httpStatus >= 500 || httpStatus === 429;
  return {
    code,
    title: "Unknown error",
    meaning: "An error code not in Herald's table; see Meta's error-codes page.",
    action: transient ? "retry" : "fix_request",
    retryable: transient,
    httpStatus: httpStatus || 400,
  };
}
