import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purchaseFrequency } from "../../src/domain/metrics/frequency.js";
import { heatLevel } from "../../src/domain/metrics/heat.js";
import { DAY_MS, type OrderRecord, type OrderStatus, orderMetrics } from "../../src/domain/metrics/orders.js";
import { quintileBreakpoints, rfmScores } from "../../src/domain/metrics/rfm.js";
import { evaluateHighFrequency, topShareThreshold } from "../../src/domain/metrics/tag-rules.js";
import { recomputeContactMetrics, recordInbound } from "../../src/store/contact-metrics.js";
import { refreshAllMetrics } from "../../src/store/contact-metrics-refresh.js";
import { upsertContacts } from "../../src/store/contacts-upsert.js";
import type { Store } from "../../src/store/db.js";
import { upsertOrders } from "../../src/store/orders.js";
import { createTagRule } from "../../src/store/tags-rules.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect), the set-based SQL refresh, the incremental path. The domain functions are
// the specification: every SQL-computed column must equal what they compute for the same orders.

const NOW = Date.UTC(2026, 10, 26, 9);
const HOUR = 3_600_000;

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Sample {
  phone: string;
  createdAt: number;
  inboundAt: number | null;
  orders: (OrderRecord & { externalId: string })[];
}

/** Buyers of every habit, including the edge cases of the definitions. */
function samples(count: number): Sample[] {
  const random = rng(11);
  const out: Sample[] = [];
  for (let index = 0; index < count; index++) {
    const habit = index % 9;
    const orders: Sample["orders"] = [];
    const add = (placedAt: number, status: OrderStatus = "paid", currency = "KRW") =>
      orders.push({
        externalId: `o-${index}-${orders.length}`,
        amount: 1000 * (1 + Math.floor(random() * 50)),
        currency,
        placedAt: Math.round(placedAt),
        status,
      });
    const gapDays = [7, 30, 90, 200, 3, 14, 60, 1, 45][habit] ?? 30;
    const stoppedDaysAgo = habit === 3 ? 150 : habit === 6 ? 40 : Math.floor(random() * 10);
    if (habit !== 8 || random() < 0.5) {
      for (
        let at = NOW - stoppedDaysAgo * DAY_MS;
        at > NOW - 500 * DAY_MS;
        at -= gapDays * DAY_MS * (0.7 + random() * 0.6)
      ) {
        add(at);
        if (random() < 0.15) add(at + random() * 5 * HOUR); // a split cart: one occasion
        if (random() < 0.1) add(at - HOUR, random() < 0.5 ? "refunded" : "cancelled");
        if (random() < 0.05) add(at - 2 * HOUR, "paid", "USD");
      }
    }
    if (random() < 0.05) add(NOW + 3 * HOUR); // a CRM clock ahead of ours: ignored until its time
    const createdAt = NOW - Math.floor(random() * 200) * DAY_MS;
    const inboundAt = random() < 0.4 ? NOW - Math.floor(random() * 120) * DAY_MS : null;
    out.push({ phone: `+8210${String(30_000_000 + index * 13).padStart(8, "0")}`, createdAt, inboundAt, orders });
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`metrics: SQL refresh and incremental path equal the domain functions (${dialect.name})`, () => {
    let store: Store;
    const base = samples(180);
    const seqByPhone = new Map<string, number>();

    beforeAll(async () => {
      store = await dialect.open();
      const db = store.db;
      const outcomes = await upsertContacts(
        db,
        base.map((s) => ({ phone: s.phone, phoneCountry: "KR" })),
        NOW,
      );
      for (const [index, sample] of base.entries()) {
        const seq = outcomes[index]?.seq ?? 0;
        seqByPhone.set(sample.phone, seq);
        await db.updateTable("contacts").set({ created_at: sample.createdAt }).where("seq", "=", seq).execute();
        if (sample.inboundAt !== null) await recordInbound(db, outcomes[index]?.id ?? "", sample.inboundAt, NOW);
      }
      const orders = base.flatMap((sample) =>
        sample.orders.map((order) => ({
          externalId: order.externalId,
          contact: { phone: sample.phone, phoneCountry: "KR" },
          amount: order.amount,
          currency: order.currency,
          placedAt: order.placedAt,
          status: order.status,
          items: null,
          source: null,
        })),
      );
      await upsertOrders(db, orders, NOW);
      await createTagRule(
        db,
        { tag: "high-frequency", rule: { kind: "high_frequency", periods: 3, periodDays: 30 } },
        NOW,
      );
      await createTagRule(db, { tag: "vip", rule: { kind: "top_spenders", share: 0.1 } }, NOW);
      await refreshAllMetrics(db, NOW);
    });
    afterAll(async () => store.close());

    function expectedFor(sample: Sample) {
      const counts = orderMetrics(sample.orders, NOW, "KRW");
      const frequency = purchaseFrequency(sample.orders, NOW);
      return { counts, frequency, heat: heatLevel(sample.inboundAt, sample.createdAt, NOW) };
    }

    async function rows() {
      const all = await store.db.selectFrom("contact_metrics").selectAll().execute();
      return new Map(all.map((row) => [row.contact_seq, row]));
    }

    it("computes counts, spend, first/last order, frequency class and heat like the domain", async () => {
      const byseq = await rows();
      const classes = new Set<string>();
      for (const sample of base) {
        const row = byseq.get(seqByPhone.get(sample.phone) ?? -1);
        const { counts, frequency, heat } = expectedFor(sample);
        classes.add(frequency.frequencyClass);
        expect(row, sample.phone).toMatchObject({
          orders_30d: counts.orders30d,
          orders_90d: counts.orders90d,
          orders_365d: counts.orders365d,
          orders_total: counts.ordersTotal,
          total_spent: counts.totalSpent,
          spent_365d: counts.spent365d,
          avg_order_value: counts.avgOrderValue,
          foreign_currency_orders: counts.foreignCurrencyOrders,
          first_order_at: counts.firstOrderAt,
          last_order_at: counts.lastOrderAt,
          frequency_class: frequency.frequencyClass,
          heat,
        });
        if (frequency.medianGapDays === null) expect(row?.median_gap_days).toBeNull();
        else expect(row?.median_gap_days).toBeCloseTo(frequency.medianGapDays, 6);
      }
      expect([...classes].sort()).toEqual(["monthly", "none", "occasional", "quarterly", "weekly"]);
    });

    it("scores RFM quintiles over buyers like the domain", async () => {
      const byseq = await rows();
      const buyers = base
        .map(expectedFor)
        .filter((e) => e.counts.lastOrderAt !== null)
        .map((e) => e.counts);
      const sorted = (pick: (c: (typeof buyers)[number]) => number) => buyers.map(pick).sort((a, b) => a - b);
      const breakpoints = {
        recency: quintileBreakpoints(sorted((c) => c.lastOrderAt ?? 0)),
        frequency: quintileBreakpoints(sorted((c) => c.orders365d)),
        monetary: quintileBreakpoints(sorted((c) => c.spent365d)),
      };
      if (!breakpoints.recency || !breakpoints.frequency || !breakpoints.monetary) throw new Error("no buyers");
      const points = { recency: breakpoints.recency, frequency: breakpoints.frequency, monetary: breakpoints.monetary };
      for (const sample of base) {
        const row = byseq.get(seqByPhone.get(sample.phone) ?? -1);
        const scores = rfmScores(expectedFor(sample).counts, points);
        expect([row?.rfm_recency, row?.rfm_frequency, row?.rfm_monetary], sample.phone).toEqual(
          scores === null ? [null, null, null] : [scores.recency, scores.frequency, scores.monetary],
        );
      }
    });

    it("applies the high-frequency and VIP tag rules like the domain", async () => {
      const tags = await store.db.selectFrom("contact_tags").select(["contact_seq", "tag"]).execute();
      const has = (seq: number, tag: string) => tags.some((t) => t.contact_seq === seq && t.tag === tag);
      const spends = base
        .map((s) => expectedFor(s).counts.spent365d)
        .filter((v) => v > 0)
        .sort((a, b) => a - b);
      const threshold = topShareThreshold(spends, 0.1);
      let vips = 0;
      for (const sample of base) {
        const seq = seqByPhone.get(sample.phone) ?? -1;
        const spent = expectedFor(sample).counts.spent365d;
        const vip = threshold !== null && spent > 0 && spent >= threshold;
        if (vip) vips++;
        expect(has(seq, "vip"), sample.phone).toBe(vip);
        expect(has(seq, "high-frequency"), sample.phone).toBe(evaluateHighFrequency(sample.orders, NOW).applies);
      }
      expect(vips).toBeGreaterThan(0);
    });

    it("the incremental path (domain functions in JS) leaves every row as the refresh computed it", async () => {
      const before = await rows();
      await recomputeContactMetrics(store.db, [...seqByPhone.values()], NOW);
      const after = await rows();
      for (const [seq, row] of before) {
        const { computed_at: _a, median_gap_days: gapBefore, effective_gap_days: effBefore, ...rest } = row;
        const {
          computed_at: _b,
          median_gap_days: gapAfter,
          effective_gap_days: effAfter,
          ...restAfter
        } = after.get(seq) ?? row;
        expect(restAfter).toEqual(rest);
        expect(gapAfter ?? 0).toBeCloseTo(gapBefore ?? 0, 6);
        expect(effAfter ?? 0).toBeCloseTo(effBefore ?? 0, 6);
      }
    });
  });
}
