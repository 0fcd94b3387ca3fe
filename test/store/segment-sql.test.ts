import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateSegment, type SegmentSubject } from "../../src/domain/segment/evaluate.js";
import type { Condition, Scalar, SegmentNode } from "../../src/domain/segment/tree.js";
import { createAttribute } from "../../src/store/contacts-attributes.js";
import { validateContactInput } from "../../src/store/contacts-input.js";
import { addManualTags, upsertContacts } from "../../src/store/contacts-upsert.js";
import type { Store } from "../../src/store/db.js";
import { parseDefinition, segmentContext } from "../../src/store/segments.js";
import { countSegment, segmentMembers } from "../../src/store/segments-query.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect), the compiler, the domain evaluator. Faked: nothing.
// The compiled SQL must select exactly the contacts the reference evaluator accepts, on random trees.

const NOW = Date.UTC(2026, 10, 26);
const DAY = 86_400_000;

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Fixture {
  phone: string;
  values: Record<string, Scalar | null>;
  tags: string[];
  /** Campaign id → what happened to its message: sent only, delivered, or read. */
  messages: Record<string, "sent" | "delivered" | "read">;
}

const NAMES = ["김민지", "Alice", "alice smith", "Bob", "박서준", "", "100%_off"];
const COUNTRIES = ["KR", "US", "JP", null];
const HEATS = ["active", "quiet", "silent", "inactive"];
const FREQ = ["weekly", "monthly", "quarterly", "occasional", "none"];

function fixtures(count: number): Fixture[] {
  const random = rng(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, (_, index) => {
    const orders = Math.floor(random() * 5);
    const values: Record<string, Scalar | null> = {
      "contact.name": pick(NAMES),
      "contact.country": pick(COUNTRIES),
      "contact.language": pick(["ko", "en", null]),
      "consent.state": pick(["opted_in", "opted_out", "unknown"]),
      "metrics.orders_90d": orders,
      "metrics.spent_365d": orders * 10_000,
      "metrics.last_order_at": orders === 0 ? null : NOW - Math.floor(random() * 200) * DAY,
      "metrics.heat": pick(HEATS),
      "metrics.frequency_class": pick(FREQ),
      "metrics.read_rate": random() < 0.3 ? null : Math.round(random() * 100) / 100,
      "attributes.vip_level": random() < 0.3 ? null : Math.floor(random() * 4),
      "attributes.city": random() < 0.3 ? null : pick(["Seoul", "Busan", "seoul"]),
      "attributes.newsletter": random() < 0.3 ? null : random() < 0.5,
    };
    const tags = ["vip", "wholesale", "신규"].filter(() => random() < 0.4);
    const messages: Fixture["messages"] = {};
    for (const campaign of ["cmp-a", "cmp-b"]) {
      const roll = random();
      if (roll < 0.2) messages[campaign] = "sent";
      else if (roll < 0.45) messages[campaign] = "delivered";
      else if (roll < 0.7) messages[campaign] = "read";
    }
    return { phone: `+8210${String(20_000_000 + index * 7).padStart(8, "0")}`, values, tags, messages };
  });
}

function conditionPool(): Condition[] {
  const c = (field: string, op: Condition["op"], value?: Condition["value"]): Condition =>
    value === undefined ? { kind: "condition", field, op } : { kind: "condition", field, op, value };
  return [
    c("contact.country", "eq", "KR"),
    c("contact.country", "neq", "KR"),
    c("contact.country", "in", ["KR", "JP"]),
    c("contact.country", "not_in", ["KR"]),
    c("contact.country", "is_not_set"),
    c("contact.name", "contains", "alice"),
    c("contact.name", "starts_with", "김"),
    c("contact.name", "contains", "%_"),
    c("contact.name", "eq", ""),
    c("contact.language", "is_set"),
    c("consent.state", "eq", "opted_in"),
    c("consent.state", "neq", "opted_out"),
    c("metrics.orders_90d", "gte", 2),
    c("metrics.orders_90d", "between", [1, 3]),
    c("metrics.spent_365d", "lt", 20_000),
    c("metrics.last_order_at", "within_last_days", 30),
    c("metrics.last_order_at", "older_than_days", 90),
    c("metrics.last_order_at", "is_not_set"),
    c("metrics.heat", "in", ["active", "quiet"]),
    c("metrics.frequency_class", "neq", "none"),
    c("metrics.read_rate", "gt", 0.5),
    c("metrics.read_rate", "neq", 0.5),
    c("attributes.vip_level", "gte", 2),
    c("attributes.vip_level", "neq", 1),
    c("attributes.vip_level", "is_set"),
    c("attributes.city", "eq", "Seoul"),
    c("attributes.city", "contains", "SEOUL"),
    c("attributes.city", "not_in", ["Busan"]),
    c("attributes.newsletter", "eq", true),
    c("attributes.newsletter", "neq", false),
    c("tags", "has", "vip"),
    c("tags", "has_not", "wholesale"),
    c("tags", "has_any", ["vip", "신규"]),
    c("tags", "has_all", ["vip", "wholesale"]),
    c("campaign.received", "eq", "cmp-a"),
    c("campaign.received", "not_in", ["cmp-a", "cmp-b"]),
    c("campaign.read", "in", ["cmp-a", "cmp-b"]),
    c("campaign.read", "neq", "cmp-b"),
  ];
}

function randomTree(random: () => number, pool: Condition[], depth: number): SegmentNode {
  const roll = random();
  if (depth >= 3 || roll < 0.45) return pool[Math.floor(random() * pool.length)] as Condition;
  if (roll < 0.6) return { kind: "not", child: randomTree(random, pool, depth + 1) };
  const children = Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomTree(random, pool, depth + 1));
  return { kind: roll < 0.8 ? "and" : "or", children };
}

async function seed(store: Store, rows: Fixture[]): Promise<Map<string, Fixture>> {
  const db = store.db;
  await createAttribute(db, { name: "vip_level", type: "number" }, NOW);
  await createAttribute(db, { name: "city", type: "text" }, NOW);
  await createAttribute(db, { name: "newsletter", type: "boolean" }, NOW);
  const context = await segmentContext(db);
  const byPhone = new Map<string, Fixture>();
  const valid = rows.map((row) => {
    const v = row.values;
    const consent = v["consent.state"];
    const checked = validateContactInput(
      {
        phone: row.phone,
        name: String(v["contact.name"]),
        country: v["contact.country"] as string | null,
        language: v["contact.language"] as string | null,
        attributes: {
          vip_level: v["attributes.vip_level"],
          city: v["attributes.city"],
          newsletter: v["attributes.newsletter"],
        },
        consent:
          consent === "opted_in"
            ? { state: "opted_in", source: "form", at: NOW - DAY }
            : consent === "opted_out"
              ? { state: "opted_out", reason: "keyword", at: NOW - DAY }
              : { state: "unknown" },
      },
      context.attributes,
    );
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    byPhone.set(checked.value.phone, row);
    return checked.value;
  });
  const outcomes = await upsertContacts(db, valid, NOW);
  for (const [index, outcome] of outcomes.entries()) {
    const v = rows[index]?.values ?? {};
    await db
      .updateTable("contact_metrics")
      .set({
        orders_90d: Number(v["metrics.orders_90d"]),
        spent_365d: Number(v["metrics.spent_365d"]),
        last_order_at: v["metrics.last_order_at"] as number | null,
        heat: String(v["metrics.heat"]),
        frequency_class: String(v["metrics.frequency_class"]),
        read_rate: v["metrics.read_rate"] as number | null,
      })
      .where("contact_seq", "=", outcome.seq)
      .execute();
  }
  await addManualTags(
    db,
    outcomes.flatMap((outcome, index) => (rows[index]?.tags ?? []).map((tag) => ({ seq: outcome.seq, tag }))),
    NOW,
  );
  await insertMessages(
    store,
    rows,
    outcomes.map((outcome) => outcome.seq),
  );
  return byPhone;
}

/**
 * Outbox rows for the campaign conditions. Fixture-only shortcut: the campaigns' sender and template rows do not
 * matter to segments, so foreign keys are off while these rows go in (SQLite pragma; PostgreSQL replica role).
 */
async function insertMessages(store: Store, rows: Fixture[], seqs: number[]): Promise<void> {
  const values = rows.flatMap((row, index) =>
    Object.entries(row.messages).map(([campaign, state]) => ({
      id: `${campaign}-${index}`,
      campaign_id: campaign,
      contact_seq: seqs[index] ?? 0,
      sender_id: "s",
      to_phone: row.phone.slice(1),
      origin: "campaign" as const,
      category: "marketing",
      payload: "{}",
      status: state,
      due_at: NOW,
      attempts: 1,
      created_at: NOW,
      sent_at: NOW,
      delivered_at: state === "sent" ? null : NOW,
      read_at: state === "read" ? NOW : null,
      provider_message_id: `wamid.${campaign}-${index}`,
    })),
  );
  if (store.dialect.name === "sqlite") {
    await sql`pragma foreign_keys = off`.execute(store.db);
    await store.db.insertInto("messages").values(values).execute();
    await sql`pragma foreign_keys = on`.execute(store.db);
  } else {
    await store.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await trx.insertInto("messages").values(values).execute();
    });
  }
}

for (const dialect of DIALECTS) {
  describe(`segment SQL agrees with the reference evaluator (${dialect.name})`, () => {
    let store: Store;
    let byPhone: Map<string, Fixture>;
    beforeAll(async () => {
      store = await dialect.open();
      byPhone = await seed(store, fixtures(120));
    });
    afterAll(async () => store.close());

    async function sqlMembers(rules: SegmentNode): Promise<string[]> {
      const definition = parseDefinition(
        { rules, excludeInactive: false, excludeOptedOut: false },
        await segmentContext(store.db),
      );
      const page = await segmentMembers(store.db, definition, { limit: 500 }, NOW);
      // Pages test tags with EXISTS, counts with IN (segment-sql.ts): both must agree.
      expect(await countSegment(store.db, definition, NOW)).toBe(page.data.length);
      return page.data.map((contact) => contact.phone).sort();
    }

    function expected(rules: SegmentNode): string[] {
      return [...byPhone.entries()]
        .filter(([, row]) => {
          const did = (states: string[]) =>
            Object.keys(row.messages).filter((id) => states.includes(row.messages[id] ?? ""));
          const subject: SegmentSubject = {
            values: row.values,
            tags: row.tags,
            campaigns: { received: did(["delivered", "read"]), read: did(["read"]), replied: [] },
          };
          return evaluateSegment(rules, subject, NOW);
        })
        .map(([phone]) => phone)
        .sort();
    }

    it("selects the same contacts for every single condition", async () => {
      let informative = 0;
      for (const condition of conditionPool()) {
        const want = expected(condition);
        if (want.length > 0 && want.length < 120) informative++;
        expect(await sqlMembers(condition), JSON.stringify(condition)).toEqual(want);
      }
      // Not vacuous: nearly every condition splits the fixtures.
      expect(informative).toBeGreaterThan(conditionPool().length - 3);
    });

    it("selects the same contacts for 150 random nested trees", async () => {
      const random = rng(42);
      const pool = conditionPool();
      for (let index = 0; index < 150; index++) {
        const tree = randomTree(random, pool, 1);
        expect(await sqlMembers(tree), JSON.stringify(tree)).toEqual(expected(tree));
      }
    });

    it("keeps hostile text as data: quotes and SQL in values match nothing and break nothing", async () => {
      const hostile: SegmentNode = {
        kind: "or",
        children: [
          { kind: "condition", field: "contact.name", op: "eq", value: "x'; drop table contacts; --" },
          { kind: "condition", field: "attributes.city", op: "contains", value: "' or 1=1 --" },
          { kind: "condition", field: "tags", op: "has", value: "vip') or ('1'='1" },
        ],
      };
      expect(await sqlMembers(hostile)).toEqual([]);
      const count = await store.db
        .selectFrom("contacts")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirst();
      expect(Number(count?.n)).toBe(120);
    });
  });
}
