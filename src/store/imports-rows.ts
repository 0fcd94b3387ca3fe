/**
 * CSV columns → import targets: the targets of each kind, the suggested mapping from header names (English and
 * Korean spellings), the checks on a mapping, and the conversion of one row's text into a contact or order input.
 */
import type { ConsentSource } from "../domain/consent/state.js";
import type { FieldIssue } from "../domain/errors.js";
import type { OrderStatus } from "../domain/metrics/orders.js";
import type { AttributeType } from "../domain/segment/fields.js";
import { type ConsentInput, type ContactInput, parseIsoDate, type Validated } from "./contacts-input.js";
import type { OrderInput } from "./orders-input.js";
import type { ImportKind } from "./tables/customers.js";

export type Mapping = Record<string, string | null>;

const CONTACT_TARGETS = ["phone", "name", "language", "country", "time_zone", "consent", "consent_source", "tags"];
const ORDER_TARGETS = [
  "external_id",
  "phone",
  "contact_id",
  "amount",
  "currency",
  "placed_at",
  "status",
  "items",
  "source",
];

/** Header spellings (lower-cased, without spaces, _ or -) that suggest each target. */
const ALIASES: Record<string, string[]> = {
  phone: [
    "phone",
    "phonenumber",
    "mobile",
    "mobilephone",
    "tel",
    "telephone",
    "cell",
    "msisdn",
    "waid",
    "whatsapp",
    "전화",
    "전화번호",
    "휴대폰",
    "휴대전화",
    "핸드폰",
    "연락처",
  ],
  name: ["name", "fullname", "customername", "이름", "성명", "고객명"],
  language: ["language", "lang", "locale", "언어"],
  country: ["country", "countrycode", "국가"],
  time_zone: ["timezone", "tz", "시간대"],
  consent: ["consent", "optin", "marketingconsent", "subscribed", "수신동의", "마케팅동의", "마케팅수신동의"],
  consent_source: ["consentsource", "optinsource", "동의경로"],
  tags: ["tags", "tag", "labels", "태그"],
  external_id: ["externalid", "orderid", "ordernumber", "orderno", "id", "주문번호", "주문id"],
  contact_id: ["contactid"],
  amount: ["amount", "total", "ordertotal", "price", "금액", "결제금액", "주문금액"],
  currency: ["currency", "통화"],
  placed_at: ["placedat", "date", "orderdate", "ordertime", "createdat", "주문일", "주문일시", "주문시간"],
  status: ["status", "orderstatus", "상태", "주문상태"],
  items: ["items", "lineitems", "상품"],
  source: ["source", "channel", "출처", "채널"],
};

/** Every target a column of this kind of import may map to. */
export function importTargets(kind: ImportKind, attributes: Readonly<Record<string, AttributeType>>): string[] {
  if (kind === "orders") return [...ORDER_TARGETS];
  return [
    ...CONTACT_TARGETS,
    ...Object.keys(attributes)
      .sort()
      .map((name) => `attributes.${name}`),
  ];
}

const squash = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]/g, "");

/** The likely target of each header column (null: leave it out); each target is suggested at most once. */
export function suggestMapping(
  kind: ImportKind,
  header: readonly string[],
  attributes: Readonly<Record<string, AttributeType>>,
): Mapping {
  const targets = importTargets(kind, attributes);
  const taken = new Set<string>();
  const mapping: Mapping = {};
  for (const column of header) {
    const key = squash(column);
    const found = targets.find((target) => {
      if (taken.has(target)) return false;
      if (target.startsWith("attributes."))
        return squash(target.slice("attributes.".length)) === key || squash(target) === key;
      return target === key || (ALIASES[target] ?? []).includes(key);
    });
    mapping[column] = found ?? null;
    if (found) taken.add(found);
  }
  return mapping;
}

/** Problems with a mapping against the header (unknown columns or targets, a target twice, a required one missing). */
export function checkMapping(
  kind: ImportKind,
  header: readonly string[],
  mapping: Mapping,
  attributes: Readonly<Record<string, AttributeType>>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const targets = new Set(importTargets(kind, attributes));
  const used = new Map<string, string>();
  for (const [column, target] of Object.entries(mapping)) {
    if (!header.includes(column))
      issues.push({ path: `mapping.${column}`, message: `the file has no column "${column}"` });
    if (target === null) continue;
    if (!targets.has(target)) {
      const hint = target.startsWith("attributes.") ? " (define the attribute first)" : "";
      issues.push({ path: `mapping.${column}`, message: `unknown target "${target}"${hint}` });
    }
    const other = used.get(target);
    if (other !== undefined)
      issues.push({ path: `mapping.${column}`, message: `"${target}" is already mapped from "${other}"` });
    used.set(target, column);
  }
  const required = kind === "contacts" ? ["phone"] : ["external_id", "amount", "currency", "placed_at", "status"];
  for (const target of required)
    if (!used.has(target)) issues.push({ path: "mapping", message: `no column is mapped to "${target}"` });
  if (kind === "orders" && !used.has("phone") && !used.has("contact_id"))
    issues.push({ path: "mapping", message: 'map a column to "phone" or "contact_id"' });
  return issues;
}

/** Column index of each mapped target, computed once per import. */
export function targetIndexes(header: readonly string[], mapping: Mapping): Map<string, number> {
  const indexes = new Map<string, number>();
  header.forEach((column, index) => {
    const target = mapping[column];
    if (target) indexes.set(target, index);
  });
  return indexes;
}

const YES = new Set(["opted_in", "optedin", "yes", "y", "true", "1", "동의", "예", "o"]);
const NO = new Set(["opted_out", "optedout", "no", "n", "false", "0", "거부", "미동의", "아니오", "x"]);
const SOURCES = new Set(["keyword", "button", "form", "whatsapp", "import", "api", "manual"]);

/** A contact input from a row; consent words in English or Korean; unknown or empty consent changes nothing. */
export function contactFromRow(
  fields: readonly string[],
  at: Map<string, number>,
  now: number,
): Validated<ContactInput> {
  const cell = (target: string) => {
    const index = at.get(target);
    return index === undefined ? undefined : (fields[index] ?? "");
  };
  const input: ContactInput = { phone: cell("phone") ?? "" };
  const name = cell("name");
  if (name !== undefined) input.name = name;
  const language = cell("language");
  if (language !== undefined && language !== "") input.language = language;
  const country = cell("country");
  if (country !== undefined && country !== "") input.country = country;
  const zone = cell("time_zone");
  if (zone !== undefined && zone !== "") input.timeZone = zone;
  const tags = cell("tags");
  if (tags !== undefined && tags.trim() !== "") input.tags = tags.split(/[;|]/);
  for (const [target, index] of at) {
    if (!target.startsWith("attributes.")) continue;
    input.attributes ??= {};
    input.attributes[target.slice("attributes.".length)] = fields[index] ?? "";
  }
  const consent = cell("consent")?.trim().toLowerCase();
  if (consent !== undefined && consent !== "" && consent !== "unknown") {
    const sourceText = cell("consent_source")?.trim().toLowerCase() || "import";
    if (!SOURCES.has(sourceText))
      return {
        ok: false,
        issues: [
          { path: "consent_source", message: `"${sourceText}" is not a consent source (${[...SOURCES].join(", ")})` },
        ],
      };
    let parsed: ConsentInput | null = null;
    // sourceText was checked against SOURCES, the ConsentSource values, just above.
    if (YES.has(consent)) parsed = { state: "opted_in", source: sourceText as ConsentSource, at: now };
    else if (NO.has(consent)) parsed = { state: "opted_out", reason: "import", at: now };
    if (parsed === null)
      return {
        ok: false,
        issues: [
          { path: "consent", message: `"${consent}" is not a consent value (yes/no, opted_in/opted_out, 동의/거부)` },
        ],
      };
    input.consent = parsed;
  }
  return { ok: true, value: input };
}

/** An order input from a row: amount in minor units (digits), placed_at as ISO 8601 or epoch ms, items as JSON. */
export function orderFromRow(fields: readonly string[], at: Map<string, number>): Validated<OrderInput> {
  const cell = (target: string) => {
    const index = at.get(target);
    return index === undefined ? "" : (fields[index] ?? "").trim();
  };
  const issues: FieldIssue[] = [];
  const amountText = cell("amount").replaceAll(",", "");
  if (!/^\d{1,15}$/.test(amountText))
    issues.push({ path: "amount", message: `"${cell("amount")}" is not a whole number of minor units` });
  const placedText = cell("placed_at");
  const placedAt = /^\d{10,15}$/.test(placedText) ? Number(placedText) : parseIsoDate(placedText);
  if (placedAt === null)
    issues.push({ path: "placedAt", message: `"${placedText}" is not a date (ISO 8601) or epoch milliseconds` });
  let items: unknown[] | null = null;
  if (cell("items") !== "") {
    try {
      const parsed: unknown = JSON.parse(cell("items"));
      if (Array.isArray(parsed)) items = parsed;
      else issues.push({ path: "items", message: "must be a JSON array" });
    } catch {
      issues.push({ path: "items", message: "is not valid JSON" });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const input: OrderInput = {
    externalId: cell("external_id"),
    amount: Number(amountText),
    currency: cell("currency"),
    placedAt: placedAt ?? 0,
    status: cell("status").toLowerCase() as OrderStatus,
    items,
    source: cell("source") || null,
  };
  if (at.has("contact_id") && cell("contact_id") !== "") input.contactId = cell("contact_id");
  else input.phone = cell("phone");
  return { ok: true, value: input };
}

/** The CSV column an issue path points at (`attributes.vip_level` → the column mapped to it). */
export function columnOf(path: string, header: readonly string[], at: Map<string, number>): string | null {
  const target =
    path === "timeZone"
      ? "time_zone"
      : path === "externalId"
        ? "external_id"
        : path === "placedAt"
          ? "placed_at"
          : path === "contactId"
            ? "contact_id"
            : path;
  const index = at.get(target);
  return index === undefined ? null : (header[index] ?? null);
}
