export {
  DEFAULT_FREQUENCY_CAP,
  type FrequencyCapPolicy,
  type FrequencyCapVerdict,
  frequencyCapAllows,
} from "./frequency-cap.js";
export {
  type ConsentKeywords,
  DEFAULT_CONSENT_KEYWORDS,
  detectConsentKeyword,
  type KeywordMatch,
} from "./keywords.js";
export {
  epochFromLocal,
  isValidTimeZone,
  type LocalDateTime,
  localDateTime,
  zoneOffsetMs,
} from "./local-time.js";
export {
  DEFAULT_QUIET_HOURS,
  isQuietHour,
  isQuietTime,
  nextAllowedSendTime,
  type QuietHoursPolicy,
} from "./quiet-hours.js";
export {
  consentEventSchema,
  consentPolicySchema,
  consentStateSchema,
  frequencyCapPolicySchema,
  quietHoursPolicySchema,
} from "./schema.js";
export {
  applyConsentEvent,
  type ConsentCategory,
  type ConsentEvent,
  type ConsentIgnoredReason,
  type ConsentPolicy,
  type ConsentSource,
  type ConsentState,
  type ConsentTransition,
  type ConsentVerdict,
  consentAllows,
  DEFAULT_CONSENT_POLICY,
  isContactInitiated,
  type OptOutReason,
  UNKNOWN_CONSENT,
} from "./state.js";
export { foldForKeyword, foldText, keywordKey } from "./text.js";
export {
  CUSTOMER_SERVICE_WINDOW_MS,
  FREE_ENTRY_POINT_REPLY_MS,
  FREE_ENTRY_POINT_WINDOW_MS,
  type FreeEntryPoint,
  freeEntryPointClosesAt,
  isFreeEntryPointOpen,
  isWindowOpen,
  windowClosesAt,
} from "./window.js";
