/**
 * Validation of order input (API bodies, bulk items, CSV rows after mapping). Pure: returns every problem with its
 * path. The contact is named by id or by phone (normalised here); amounts are integer minor units.
 */
import type { FieldIssue } from "../domain/errors.js";
import type { OrderStatus } from "../domain/metrics/orders.js";
import { normalizePhone } from "../domain/phone/normalize.js";
import type { Validated } from "./contacts-input.js";

export interface OrderInput {
  externalId: string;
  contactId?: string | undefined;
  phone?: string | undefined;
  defaultCountry?: string | undefined;
  amount: number;
  currency: string;
  placedAt: number;
  status: OrderStatus;
  items?: unknown[] | null | undefined;
  source?: string | null | undefined;
}

/** A validated order: `contact` says how to find its contact. */
export interface ValidOrder {
  externalId: string;
  contact: { id: string } | { phone: string; phoneCountry: string };
  amount: number;
  currency: string;
  placedAt: number;
  status: OrderStatus;
  items: string | null;
  source: string | null;
}

export const ORDER_STATUSES: readonly OrderStatus[] = ["paid", "refunded", "cancelled"];
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));
/** Items are stored for display; 64 KB of JSON is far above any real cart and bounds one row. */
const MAX_ITEMS_BYTES = 64 * 1024;
const MAX_ITEMS = 200;
/** Orders stamped before 2000 or more than a day ahead are typos or unit mistakes (seconds sent as ms). */
const EARLIEST = Date.UTC(2000, 0, 1);
const AHEAD_MS = 86_400_000;

/** True for an ISO 4217 code the runtime knows (KRW, USD, …). */
export function isCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

/** Checks an order; `prefix` is prepended to issue paths ("orders[3]"). */
export function validateOrderInput(input: OrderInput, now: number, prefix = ""): Validated<ValidOrder> {
  const issues: FieldIssue[] = [];
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const externalId = input.externalId.trim();
  if (externalId === "" || externalId.length > 200)
    issues.push({ path: at("externalId"), message: "must be 1–200 characters" });

  let contact: ValidOrder["contact"] = { id: "" };
  const hasId = input.contactId !== undefined && input.contactId !== "";
  const hasPhone = input.phone !== undefined && input.phone !== "";
  if (hasId === hasPhone) {
    issues.push({ path: at(hasId ? "phone" : "contactId"), message: "give exactly one of contactId or phone" });
  } else if (hasId) {
    contact = { id: input.contactId ?? "" };
  } else {
    const phone = normalizePhone(input.phone ?? "", input.defaultCountry);
    if (phone.ok) contact = { phone: phone.e164, phoneCountry: phone.country };
    else issues.push({ path: at("phone"), message: `${phone.reason}: ${phone.message}` });
  }
  if (!Number.isSafeInteger(input.amount) || input.amount < 0)
    issues.push({
      path: at("amount"),
      message: "must be a whole number of minor units ≥ 0 (₩15,000 is 15000; $12.34 is 1234)",
    });
  const currency = input.currency.trim().toUpperCase();
  if (!isCurrency(currency))
    issues.push({ path: at("currency"), message: `"${input.currency}" is not an ISO 4217 currency code` });
  if (!Number.isSafeInteger(input.placedAt) || input.placedAt < EARLIEST || input.placedAt > now + AHEAD_MS)
    issues.push({ path: at("placedAt"), message: "must be epoch milliseconds between 2000-01-01 and tomorrow" });
  if (!ORDER_STATUSES.includes(input.status))
    issues.push({ path: at("status"), message: `must be one of ${ORDER_STATUSES.join(", ")}` });

  let items: string | null = null;
  if (input.items !== undefined && input.items !== null) {
    items = JSON.stringify(input.items);
    if (!Array.isArray(input.items) || input.items.length > MAX_ITEMS || Buffer.byteLength(items) > MAX_ITEMS_BYTES)
      issues.push({ path: at("items"), message: `must be a JSON array of at most ${MAX_ITEMS} entries and 64 KB` });
  }
  const source = input.source?.trim() || null;
  if (source !== null && source.length > 100)
    issues.push({ path: at("source"), message: "must be at most 100 characters" });

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      externalId,
      contact,
      amount: input.amount,
      currency,
      placedAt: input.placedAt,
      status: input.status,
      items,
      source,
    },
  };
}
