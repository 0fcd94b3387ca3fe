export { marketForPhone, type PhoneMarket } from "./market.js";
export {
  type CountryCode,
  isCountryCode,
  type NormalizedPhone,
  type NormalizePhoneOptions,
  normalizePhone,
  type PhoneLineType,
  type PhoneRejectReason,
  type PhoneResult,
  type RejectedPhone,
} from "./normalize.js";
export { COUNTRY_TIME_ZONES, timeZoneForCountry, timeZoneForPhone } from "./time-zones.js";
