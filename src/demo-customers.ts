/**
 * Demo customers for the first `herald start`: 200 Korean and English contacts with consent, a year of orders in
 * realistic habits (weekly and monthly regulars, quarterly buyers, lapsed customers, one-off buyers, browsers),
 * attribute definitions, the "high-frequency" and "VIP" tag rules and three saved segments. Deterministic (seeded),
 * written in a few batched statements (~100 ms).
 */
import { DAY_MS } from "./domain/metrics/orders.js";
import { recordInbound } from "./store/contact-metrics.js";
import { refreshAllMetrics } from "./store/contact-metrics-refresh.js";
import { createAttribute } from "./store/contacts-attributes.js";
import { type ValidContact, validateContactInput } from "./store/contacts-input.js";
import { upsertContacts } from "./store/contacts-upsert.js";
import type { Store } from "./store/db.js";
import { upsertOrders } from "./store/orders.js";
import type { ValidOrder } from "./store/orders-input.js";
import { createSegment } from "./store/segments.js";
import { createTagRule } from "./store/tags-rules.js";

const FAMILY = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
const GIVEN = ["민준", "서연", "도윤", "하은", "시우", "지유", "주원", "서아", "하준", "지아", "예준", "수아"];
const ENGLISH = [
  "Alice Kim",
  "Ben Park",
  "Chloe Lee",
  "Daniel Choi",
  "Emma Jung",
  "Finn Kang",
  "Grace Yoon",
  "Henry Lim",
];
const CITIES = ["서울", "부산", "인천", "대구", "대전", "광주"];

/** A seeded PRNG (mulberry32), so every first start creates the same demo. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Habit per contact: gap between orders in days (0 = never buys) and how long ago they stopped.
const HABITS = [
  { count: 12, gap: 7, stopped: 0 },
  { count: 40, gap: 30, stopped: 0 },
  { count: 38, gap: 90, stopped: 0 },
  { count: 30, gap: 35, stopped: 150 },
  { count: 40, gap: 400, stopped: 0 },
  { count: 40, gap: 0, stopped: 0 },
] as const;

/** Creates the demo customer base; returns a line for the start banner. */
export async function seedCustomerDemo(store: Store, now: number): Promise<string> {
  const db = store.db;
  const random = prng(20_261_126);
  await createAttribute(db, { name: "vip_level", type: "number", label: "VIP 등급" }, now);
  await createAttribute(db, { name: "city", type: "text", label: "도시" }, now);
  await createAttribute(db, { name: "birthday", type: "date", label: "생일" }, now);
  await createAttribute(db, { name: "newsletter", type: "boolean", label: "뉴스레터" }, now);
  const types = { vip_level: "number", city: "text", birthday: "date", newsletter: "boolean" } as const;

  const contacts: ValidContact[] = [];
  const habits: { gap: number; stopped: number }[] = [];
  for (const habit of HABITS) for (let i = 0; i < habit.count; i++) habits.push(habit);
  habits.forEach((_, index) => {
    const english = index % 9 === 4;
    const name = english
      ? (ENGLISH[index % ENGLISH.length] ?? "")
      : `${FAMILY[index % FAMILY.length]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
    const roll = random();
    const checked = validateContactInput(
      {
        phone: `010-${5000 + index}-${String(1000 + Math.floor(random() * 9000))}`,
        defaultCountry: "KR",
        name,
        language: english ? "en" : "ko",
        attributes: {
          vip_level: Math.floor(random() * 4),
          city: CITIES[Math.floor(random() * CITIES.length)],
          birthday: Date.UTC(
            1970 + Math.floor(random() * 35),
            Math.floor(random() * 12),
            1 + Math.floor(random() * 28),
          ),
          newsletter: random() < 0.6,
        },
        consent:
          roll < 0.8
            ? { state: "opted_in", source: "form", at: now - Math.floor(random() * 300) * DAY_MS }
            : roll < 0.9
              ? { state: "opted_out", reason: "keyword", at: now - Math.floor(random() * 60) * DAY_MS }
              : { state: "unknown" },
      },
      types,
    );
    if (checked.ok) contacts.push(checked.value);
  });
  const outcomes = await upsertContacts(db, contacts, now);

  const orders: ValidOrder[] = [];
  outcomes.forEach((outcome, index) => {
    const habit = habits[index];
    if (habit === undefined || habit.gap === 0) return;
    let at = now - habit.stopped * DAY_MS - random() * Math.min(habit.gap, 20) * DAY_MS;
    let n = 0;
    do {
      orders.push({
        externalId: `demo-${index}-${n++}`,
        contact: { id: outcome.id },
        amount: 1000 * Math.round(8 + random() * (habit.gap === 7 ? 30 : 120)),
        currency: "KRW",
        placedAt: Math.round(at),
        status: random() < 0.05 ? "refunded" : "paid",
        items: null,
        source: "demo",
      });
      at -= habit.gap * DAY_MS * (0.7 + random() * 0.6);
    } while (at > now - 365 * DAY_MS && habit.gap < 365);
  });
  await upsertOrders(db, orders, now);
  // Some customers talked to us recently: their heat is "active".
  for (const outcome of outcomes.slice(0, 60)) {
    if (random() < 0.5) await recordInbound(db, outcome.id, now - Math.floor(random() * 20) * DAY_MS, now);
  }

  await createTagRule(db, { tag: "high-frequency", rule: { kind: "high_frequency", periods: 3, periodDays: 30 } }, now);
  await createTagRule(db, { tag: "VIP", rule: { kind: "top_spenders", share: 0.1 } }, now);
  await refreshAllMetrics(db, now);
  const condition = (field: string, op: string, value?: unknown) => ({
    kind: "condition",
    field,
    op,
    ...(value === undefined ? {} : { value }),
  });
  await createSegment(
    db,
    { name: "VIP 고객", description: "상위 10% 구매 고객", rules: condition("tags", "has", "VIP") },
    now,
  );
  await createSegment(
    db,
    {
      name: "최근 30일 구매",
      description: "지난 30일 안에 주문한 고객",
      rules: condition("metrics.last_order_at", "within_last_days", 30),
    },
    now,
  );
  await createSegment(
    db,
    {
      name: "휴면 고객 재활성화",
      description: "예전에 구매했지만 90일 넘게 주문이 없는 고객 (비활성 고객도 포함)",
      rules: {
        kind: "and",
        children: [
          condition("metrics.last_order_at", "older_than_days", 90),
          condition("metrics.orders_365d", "gte", 1),
        ],
      },
      excludeInactive: false,
    },
    now,
  );
  return `${outcomes.length} demo contacts, ${orders.length} orders, tag rules "high-frequency" and "VIP", 3 segments`;
}
