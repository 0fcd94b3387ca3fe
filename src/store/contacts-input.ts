/**
 * Validation of contact input from the API, bulk requests and CSV rows: the phone is normalised to E.164 (with the
 * numbering plan's reason when it cannot be), country and time zone are checked (and derived from the phone on
 * create), and custom attributes are checked against their definitions and types. Pure: no database access; the
 * caller passes the attribute definitions. Every problem is returned with its path, none is thrown.
 */

import { isValidTimeZone } from "../domain/consent/local-time.js";
import type { ConsentSource, OptOutReason } from "../domain/consent/state.js";
import type { FieldIssue } from "../domain/errors.js";
import { isCountryCode, normalizePhone } from "../domain/phone/normalize.js";
import type { AttributeType } from "../domain/segment/fields.js";

/** A stored attribute value: text, number, boolean, or a date as epoch ms. */
export type AttributeValue = string | number | boolean;

export type ConsentInput =
  | { state: "opted_in"; source: ConsentSource; at?: number | undefined }
  | { state: "opted_out"; reason: OptOutReason; note?: string | undefined; at?: number | undefined }
  | { state: "unknown" };

/** Contact fields as a caller sends them (API body, CSV row after mapping). `undefined` means "not given". */
export interface ContactInput {
  phone: string;
  defaultCountry?: string | undefined;
  name?: string | undefined;
  language?: string | null | undefined;
  country?: string | null | undefined;
  timeZone?: string | null | undefined;
  /** Values as sent; `null` removes the attribute. CSV values are strings and are read by type (`fromText`). */
  attributes?: Record<string, unknown> | undefined;
  consent?: ConsentInput | undefined;
  /** Manual tags to add (CSV `tags` column). */
  tags?: string[] | undefined;
}

/** A validated contact change, ready for the store. */
export interface ValidContact {
  phone: string;
  /** The country the phone belongs to, used when no country is given on create. */
  phoneCountry: string;
  name?: string;
  language?: string | null;
  country?: string | null;
  timeZone?: string | null;
  attributes?: Record<string, AttributeValue | null>;
  consent?: ConsentInput;
  tags?: string[];
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
/** Tags: letters (any script) and digits first, then also space _ . : - ; up to 50 characters. */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,49}$/u;
export const MAX_TEXT_ATTRIBUTE = 1000;

/** Checks a contact input against the attribute definitions; `prefix` is prepended to issue paths ("contacts[3]"). */
export function validateContactInput(
  input: ContactInput,
  attributes: Readonly<Record<string, AttributeType>>,
  options: { prefix?: string; fromText?: boolean; ruleTags?: ReadonlySet<string>; skipPhone?: boolean } = {},
): Validated<ValidContact> {
  const issues: FieldIssue[] = [];
  const at = (field: string) => (options.prefix ? `${options.prefix}.${field}` : field);
  const value: ValidContact = { phone: "", phoneCountry: "" };
  if (options.skipPhone !== true) {
    const phone = normalizePhone(input.phone, input.defaultCountry);
    if (phone.ok) Object.assign(value, { phone: phone.e164, phoneCountry: phone.country });
    else issues.push({ path: at("phone"), message: `${phone.reason}: ${phone.message}` });
  }

  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name.length > 200) issues.push({ path: at("name"), message: "must be at most 200 characters" });
    value.name = name;
  }
  if (input.language !== undefined) {
    const language = input.language?.trim() || null;
    if (language !== null && !LANGUAGE.test(language))
      issues.push({ path: at("language"), message: `"${language}" is not a language tag like "ko" or "en-US"` });
    value.language = language;
  }
  if (input.country !== undefined) {
    const country = input.country?.trim().toUpperCase() || null;
    if (country !== null && !isCountryCode(country))
      issues.push({ path: at("country"), message: `"${country}" is not an ISO 3166 country code like "KR"` });
    value.country = country;
  }
  if (input.timeZone !== undefined) {
    const zone = input.timeZone?.trim() || null;
    if (zone !== null && !isValidTimeZone(zone))
      issues.push({ path: at("timeZone"), message: `"${zone}" is not an IANA time zone like "Asia/Seoul"` });
    value.timeZone = zone;
  }
  if (input.attributes !== undefined) {
    value.attributes = {};
    for (const [name, raw] of Object.entries(input.attributes)) {
      const path = at(`attributes.${name}`);
      const type = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
      if (type === undefined) {
        issues.push({ path, message: `no attribute "${name}" is defined (create it first under Attributes)` });
        continue;
      }
      const read = readAttribute(raw, type, options.fromText === true);
      if (read.ok) value.attributes[name] = read.value;
      else issues.push({ path, message: read.message });
    }
  }
  if (input.consent !== undefined) value.consent = input.consent;
  if (input.tags !== undefined) {
    const tags = [...new Set(input.tags.map((tag) => tag.trim()).filter((tag) => tag !== ""))];
    for (const tag of tags) {
      if (!TAG_PATTERN.test(tag)) issues.push({ path: at("tags"), message: badTag(tag) });
      else if (options.ruleTags?.has(tag)) issues.push({ path: at("tags"), message: ruleOwned(tag) });
    }
    value.tags = tags;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

/** The message for a manual change to a tag a tag rule owns. */
export function ruleOwned(tag: string): string {
  return `"${tag}" is applied by a tag rule while its condition holds; it cannot be added or removed by hand`;
}

/** The message for a tag that does not match TAG_PATTERN. */
export function badTag(tag: string): string {
  return `"${tag}" is not a valid tag: 1–50 letters, digits, spaces or _ . : - (starting with a letter or digit)`;
}

type Read = { ok: true; value: AttributeValue | null } | { ok: false; message: string };
const fail = (message: string): Read => ({ ok: false, message });
const good = (value: AttributeValue | null): Read => ({ ok: true, value });

/** Reads one attribute value by its type; null removes it. CSV text is read by type when `fromText`. */
export function readAttribute(raw: unknown, type: AttributeType, fromText: boolean): Read {
  if (raw === null || (fromText && raw === "")) return good(null);
  switch (type) {
    case "text":
      if (typeof raw !== "string") return fail("must be text");
      return raw.length > MAX_TEXT_ATTRIBUTE ? fail(`must be at most ${MAX_TEXT_ATTRIBUTE} characters`) : good(raw);
    case "number": {
      const n = fromText && typeof raw === "string" && raw.trim() !== "" ? Number(raw.trim()) : raw;
      return typeof n === "number" && Number.isFinite(n)
        ? good(n)
        : fail(`must be a number (got ${JSON.stringify(raw)})`);
    }
    case "boolean": {
      if (typeof raw === "boolean") return good(raw);
      const text = fromText && typeof raw === "string" ? raw.trim().toLowerCase() : null;
      if (text !== null && TRUE_WORDS.has(text)) return good(true);
      if (text !== null && FALSE_WORDS.has(text)) return good(false);
      return fail(`must be true or false (got ${JSON.stringify(raw)})`);
    }
    case "date":
      return readDate(raw, fromText);
    default: {
      const unexpected: never = type;
      return fail(`unknown attribute type ${String(unexpected)}`);
    }
  }
}

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "t"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "f"]);

/** A date as epoch ms: a number, a digit string (CSV), or an ISO 8601 date or date-time (UTC unless it says). */
function readDate(raw: unknown, fromText: boolean): Read {
  if (typeof raw === "number") return Number.isInteger(raw) ? good(raw) : fail("must be whole epoch milliseconds");
  if (typeof raw !== "string") return fail("must be a date (ISO 8601) or epoch milliseconds");
  const text = raw.trim();
  if (fromText && /^\d{1,15}$/.test(text)) return good(Number(text));
  const ms = parseIsoDate(text);
  return ms === null
    ? fail(`"${raw}" is not a date: use ISO 8601 like 2025-03-01 or 2025-03-01T09:00:00+09:00`)
    : good(ms);
}

/** Epoch ms of an ISO 8601 date (`2025-03-01`, read as UTC midnight) or date-time; null when not ISO 8601. */
export function parseIsoDate(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const normalised = text.length === 10 ? `${text}T00:00:00Z` : /Z|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(normalised.replace(" ", "T"));
  return Number.isFinite(ms) ? ms : null;
}
