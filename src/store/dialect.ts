/**
 * The one place that knows which database Herald talks to. Everything dialect-specific is a
 * capability here; store modules ask for the capability, never for the dialect name.
 */
export type DialectName = "sqlite" | "postgres";

export interface DialectAdapter {
  readonly name: DialectName;
  /** `FOR UPDATE SKIP LOCKED` exists (PostgreSQL); SQLite serialises writers instead. */
  readonly supportsSkipLocked: boolean;
  /** `RETURNING` on INSERT/UPDATE/DELETE (both: SQLite ≥ 3.35). */
  readonly supportsReturning: boolean;
  /** Largest number of bound parameters in one statement. */
  readonly maxParameters: number;
}

export const sqliteAdapter: DialectAdapter = {
  name: "sqlite",
  supportsSkipLocked: false,
  supportsReturning: true,
  // SQLITE_MAX_VARIABLE_NUMBER is 32766 since 3.32.
  maxParameters: 32_766,
};

export const postgresAdapter: DialectAdapter = {
  name: "postgres",
  supportsSkipLocked: true,
  supportsReturning: true,
  // The wire protocol counts parameters in an Int16.
  maxParameters: 65_535,
};

/** True when `err` is a unique-constraint violation, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  // better-sqlite3: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; pg: SQLSTATE 23505.
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
