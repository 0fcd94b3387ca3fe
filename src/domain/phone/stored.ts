/**
 * Reading a phone number Herald stored itself. Every writer of `contacts.phone` (contact create/update, CSV import,
 * an inbound message's sender) stores only what {@link normalizePhone} accepted, so a stored number needs no second
 * parse: re-parsing cost a 1,000,000-recipient launch ~9 µs per contact. What is left to check is the shape (a
 * row written around Herald, e.g. by hand in SQL) and the country, which only the send-time zone needs and which
 * the calling code gives at once for all but the dozen codes several countries share.
 */
import { type CountryCode, getCountries, getCountryCallingCode } from "libphonenumber-js/max";
import { normalizePhone } from "./normalize.js";

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** Calling code → the countries that use it (libphonenumber-js's metadata). */
const COUNTRIES_BY_CODE = new Map<string, CountryCode[]>();
for (const country of getCountries()) {
  const code = getCountryCallingCode(country);
  COUNTRIES_BY_CODE.set(code, [...(COUNTRIES_BY_CODE.get(code) ?? []), country]);
}

/** The calling code at the start of E.164 `digits` (calling codes are prefix-free), or null. */
function callingCodeOf(digits: string): string | null {
  for (let length = 1; length <= 3; length++) {
    const code = digits.slice(0, length);
    if (COUNTRIES_BY_CODE.has(code)) return code;
  }
  return null;
}

/**
 * A stored number as WhatsApp's `wa_id` digits, or null when it is not an E.164 number of a country's calling code
 * (a non-geographic +800 number, a malformed row): such a recipient is skipped as `invalid_number`.
 */
export function storedPhoneDigits(phone: string): string | null {
  if (!E164.test(phone)) return null;
  const digits = phone.slice(1);
  return callingCodeOf(digits) === null ? null : digits;
}

/** The country of a stored (valid) number: from its calling code when only one country has it, else parsed. */
export function storedPhoneCountry(phone: string): CountryCode | null {
  const code = callingCodeOf(phone.slice(1));
  const countries = code === null ? undefined : COUNTRIES_BY_CODE.get(code);
  if (countries?.length === 1) return countries[0] ?? null;
  const parsed = normalizePhone(phone);
  return parsed.ok ? parsed.country : null;
}
