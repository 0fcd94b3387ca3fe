/** The attribution rule and the cost exchange rate (analytics_state row 1), read and changed through the API. */
import type { Kysely, Transaction } from "kysely";
import { type AttributionRule, type AttributionTouches, DEFAULT_RULE } from "../domain/analytics/attribution.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface AnalyticsSettings extends AttributionRule {
  /** Units of the base currency per US dollar; null: costs stay in USD and ROI is not computed (unless the base is USD). */
  usdRate: number | null;
  baseCurrency: string;
  updatedAt: number;
}

/** The current settings (the migration creates the row; a missing row reads as the defaults). */
export async function getAnalyticsSettings(db: Db): Promise<AnalyticsSettings> {
  const [row, metrics] = await Promise.all([
    db.selectFrom("analytics_state").selectAll().where("id", "=", 1).executeTakeFirst(),
    db.selectFrom("metrics_state").select("base_currency").where("id", "=", 1).executeTakeFirst(),
  ]);
  return {
    windowDays: row?.window_days ?? DEFAULT_RULE.windowDays,
    touches: (row?.touches as AttributionTouches | undefined) ?? DEFAULT_RULE.touches,
    usdRate: row?.usd_rate ?? null,
    baseCurrency: metrics?.base_currency ?? "USD",
    updatedAt: Number(row?.updated_at ?? 0),
  };
}

/**
 * Changes the settings. A new attribution rule clears every attribution and rewinds the order watermark, so the
 * analytics loop re-attributes all orders under the new rule (and refreshes every campaign's rollup after).
 */
export async function updateAnalyticsSettings(
  db: Kysely<Database>,
  patch: Partial<AttributionRule> & { usdRate?: number | null },
  now: number,
): Promise<AnalyticsSettings> {
  await db.transaction().execute(async (trx) => {
    const current = await getAnalyticsSettings(trx);
    const windowDays = patch.windowDays ?? current.windowDays;
    const touches = patch.touches ?? current.touches;
    const ruleChanged = windowDays !== current.windowDays || touches !== current.touches;
    if (ruleChanged) await trx.deleteFrom("order_attributions").execute();
    await trx
      .updateTable("analytics_state")
      .set({
        window_days: windowDays,
        touches,
        usd_rate: patch.usdRate === undefined ? current.usdRate : patch.usdRate,
        updated_at: now,
        ...(ruleChanged ? { orders_watermark: 0 } : {}),
      })
      .where("id", "=", 1)
      .execute();
  });
  return getAnalyticsSettings(db);
}
