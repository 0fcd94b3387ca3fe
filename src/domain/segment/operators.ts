/**
 * Which operators each field type allows, and what value each operator takes. The store's SQL compiler and the
 * pure evaluator (evaluate.ts) both follow these semantics; a conformance test keeps them in step.
 *
 * Unset fields (SQL NULL): only `neq` and `not_in` match a contact whose field is unset ("country is not KR"
 * includes contacts of unknown country, as a marketer expects: SQL's IS DISTINCT FROM); every other operator is
 * false on an unset field, and `is_set` / `is_not_set` test for it explicitly. Dates compare in epoch ms;
 * `within_last_days N` is `now − N days ≤ value ≤ now`, `older_than_days N` is `value < now − N days`.
 * `contains` and `starts_with` ignore case (SQLite LIKE, PostgreSQL ILIKE); `eq` on text is exact.
 */
import type { Operator } from "./tree.js";

export type FieldType = "text" | "number" | "boolean" | "date" | "enum" | "country" | "tag" | "campaign";

/** The shape of value an operator takes. */
export type OperandShape =
  | "none" // is_set, is_not_set
  | "scalar" // eq, neq, gt…, contains, before, after, has
  | "list" // in, not_in, has_any, has_all
  | "range" // between: [low, high]
  | "days"; // within_last_days, older_than_days: a whole number of days

export const OPERAND_SHAPES: Readonly<Record<Operator, OperandShape>> = {
  eq: "scalar",
  neq: "scalar",
  in: "list",
  not_in: "list",
  gt: "scalar",
  gte: "scalar",
  lt: "scalar",
  lte: "scalar",
  between: "range",
  contains: "scalar",
  starts_with: "scalar",
  is_set: "none",
  is_not_set: "none",
  before: "scalar",
  after: "scalar",
  within_last_days: "days",
  older_than_days: "days",
  has: "scalar",
  has_not: "scalar",
  has_any: "list",
  has_all: "list",
};

/** Operators allowed per field type. */
export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
  text: ["eq", "neq", "in", "not_in", "contains", "starts_with", "is_set", "is_not_set"],
  number: ["eq", "neq", "in", "not_in", "gt", "gte", "lt", "lte", "between", "is_set", "is_not_set"],
  boolean: ["eq", "neq", "is_set", "is_not_set"],
  date: ["before", "after", "between", "within_last_days", "older_than_days", "is_set", "is_not_set"],
  enum: ["eq", "neq", "in", "not_in", "is_set", "is_not_set"],
  country: ["eq", "neq", "in", "not_in", "is_set", "is_not_set"],
  tag: ["has", "has_not", "has_any", "has_all"],
  // "eq X" = the contact did it for campaign X; "neq X" = did not; "in"/"not_in" for any of several campaigns.
  campaign: ["eq", "neq", "in", "not_in"],
};

/** True when a contact whose field is unset matches the operator (see the header comment). */
export function matchesUnset(op: Operator): boolean {
  return op === "neq" || op === "not_in" || op === "is_not_set";
}
