/**
 * Order upserts with per-item results, and the metrics update that follows them in the same transaction: one
 * contact → the incremental path (domain functions, < 5 ms); many → the set-based refresh of those contacts.
 */
import type { Kysely } from "kysely";
import { recomputeContactMetrics } from "./contact-metrics.js";
import { refreshContacts } from "./contact-metrics-refresh.js";
import { type BulkResult, type ItemResult, summarise } from "./contacts-bulk.js";
import type { Validated } from "./contacts-input.js";
import { upsertOrders } from "./orders.js";
import { type OrderInput, type ValidOrder, validateOrderInput } from "./orders-input.js";
import type { Database } from "./schema.js";

/** Above this many touched contacts, SQL beats per-contact JS (~1 ms each on SQLite). */
const INCREMENTAL_LIMIT = 20;

/** Recomputes the metrics of the contacts an order write touched. */
export async function updateMetricsAfterOrders(
  db: Kysely<Database>,
  touched: readonly number[],
  now: number,
): Promise<void> {
  if (touched.length <= INCREMENTAL_LIMIT) await recomputeContactMetrics(db, touched, now);
  else await refreshContacts(db, touched, now);
}

/** Validates and upserts shape-checked order items; paths are `<prefix>[index].field` (or `field` for one). */
export async function upsertOrderBatch(
  db: Kysely<Database>,
  items: readonly Validated<OrderInput>[],
  now: number,
  prefix = "orders",
): Promise<BulkResult> {
  const results: ItemResult[] = [];
  const valid: { index: number; value: ValidOrder; path: string }[] = [];
  const firstIndex = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const path = prefix === "" ? "" : `${prefix}[${index}]`;
    if (!item.ok) {
      results.push({ index, status: "rejected", issues: item.issues });
      continue;
    }
    const checked = validateOrderInput(item.value, now, path);
    if (!checked.ok) {
      results.push({ index, status: "rejected", issues: checked.issues });
      continue;
    }
    const earlier = firstIndex.get(checked.value.externalId);
    if (earlier !== undefined) {
      const message = `duplicate_in_request: external id ${checked.value.externalId} is also item ${earlier}`;
      results.push({
        index,
        status: "rejected",
        issues: [{ path: path ? `${path}.externalId` : "externalId", message }],
      });
      continue;
    }
    firstIndex.set(checked.value.externalId, index);
    valid.push({ index, value: checked.value, path });
    results.push({ index, status: "created" });
  }
  const byIndex = new Map(results.map((result) => [result.index, result]));
  if (valid.length > 0) {
    await db.transaction().execute(async (trx) => {
      const written = await upsertOrders(
        trx,
        valid.map((item) => item.value),
        now,
        (position) => {
          const path = valid[position]?.path ?? "";
          return path ? `${path}.contactId` : "contactId";
        },
      );
      for (const [position, item] of valid.entries()) {
        const outcome = written.outcomes[position];
        const result = byIndex.get(item.index);
        if (outcome === undefined || result === undefined) continue;
        result.status = outcome.status;
        if (outcome.status === "rejected") result.issues = outcome.issues;
        else result.id = outcome.id;
      }
      await updateMetricsAfterOrders(trx, written.touched, now);
    });
  }
  results.sort((a, b) => a.index - b.index);
  return summarise(results);
}
