/**
 * Customer value: the monthly lifetime-value review, engaged-versus-rest comparison and first-order cohorts.
 * Formulas (docs/analytics.md): a month is a UTC calendar month "YYYY-MM"; LTV at the end of a month = revenue
 * from every paid base-currency order up to then ÷ customers with a first order up to then.
 */

/** "2026-11" for an instant. */
export function monthOf(at: number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The start of the UTC month `months` after the month of `at` (negative: before). */
export function monthStart(at: number, months = 0): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

/** Whole months from month a to month b ("2026-01" → "2026-03" is 2). */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split("-").map(Number);
  const [yb, mb] = b.split("-").map(Number);
  return ((yb ?? 0) - (ya ?? 0)) * 12 + ((mb ?? 0) - (ma ?? 0));
}

export interface MonthRow {
  month: string;
  revenue: number;
  orders: number;
  buyers: number;
  newCustomers: number;
}

export interface LtvRow extends MonthRow {
  /** Customers with a first order up to the end of the month. */
  customers: number;
  /** Cumulative revenue up to the end of the month ÷ customers (minor units, rounded). */
  ltv: number | null;
  /** revenue ÷ orders in the month. */
  averageOrder: number | null;
}

/** The LTV review from per-month figures and what came before the first month shown. */
export function ltvReview(rows: readonly MonthRow[], before: { revenue: number; customers: number }): LtvRow[] {
  let revenue = before.revenue;
  let customers = before.customers;
  return rows.map((r) => {
    revenue += r.revenue;
    customers += r.newCustomers;
    return {
      ...r,
      customers,
      ltv: customers === 0 ? null : Math.round(revenue / customers),
      averageOrder: r.orders === 0 ? null : Math.round(r.revenue / r.orders),
    };
  });
}

export interface CohortRow {
  /** First-order month. */
  cohort: string;
  size: number;
  /** active[k] = customers of the cohort with an order k months after their first month (active[0] = size). */
  active: number[];
  /** active[k] ÷ size. */
  retention: number[];
}

/** Cohort rows from (cohort, offset) → buyers counts. */
export function cohorts(sizes: ReadonlyMap<string, number>, active: ReadonlyMap<string, number[]>): CohortRow[] {
  return [...sizes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cohort, size]) => {
      const counts = active.get(cohort) ?? [];
      return { cohort, size, active: counts, retention: counts.map((n) => (size === 0 ? 0 : n / size)) };
    });
}

export interface GroupValue {
  customers: number;
  buyers: number;
  /** Buyers with 2 or more orders ÷ buyers. */
  repurchaseRate: number | null;
  /** Spend in the last 365 days ÷ buyers (minor units, rounded). */
  yearlySpend: number | null;
}

/** A group's value figures from its counts. */
export function groupValue(customers: number, buyers: number, repeatBuyers: number, spent365: number): GroupValue {
  return {
    customers,
    buyers,
    repurchaseRate: buyers === 0 ? null : repeatBuyers / buyers,
    yearlySpend: buyers === 0 ? null : Math.round(spent365 / buyers),
  };
}
