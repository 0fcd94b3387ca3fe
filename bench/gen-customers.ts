// Generates a reproducible customer base on SQLite for `npm run bench -- segments`: N contacts and ~5·N orders
// with realistic habits (weekly, monthly and quarterly buyers, lapsed customers, one-off buyers, non-buyers, split
// carts, refunds, a few foreign-currency orders), consent, countries, attributes and manual tags. Seeded, so the
// same arguments give the same data. Cached: a base with a matching `meta.json` is reused.
//
//   npx tsx bench/gen-customers.ts [--contacts 1000000] [--dir /tmp/herald-bench-customers] [--seed 1]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { openStore } from "../src/store/db.js";
import { migrateToLatest } from "../src/store/migrate.js";

export interface BaseOptions {
  contacts: number;
  dir: string;
  seed: number;
  /** The clock of the base: orders lie in the two years before it. */
  now: number;
}

export interface BaseInfo {
  path: string;
  contacts: number;
  orders: number;
  reused: boolean;
  tookMs: number;
}

const DAY = 86_400_000;
const VERSION = 2;

/** A small seeded PRNG (mulberry32): fast and reproducible across runs and machines. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid7(ms: number, random: () => number): string {
  const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, "0");
  const t = hex(ms, 12);
  const r = () => hex(random() * 0x10000, 4);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${r().slice(1)}-${hex(0x8000 + random() * 0x3fff, 4)}-${r()}${r()}${r()}`;
}

// Habit mix: share of contacts, mean gap between purchases in days, and how long ago they stopped buying.
// Tuned to ~5 orders per contact on average (5,000,000 for 1,000,000 contacts).
const HABITS = [
  { share: 0.02, gapDays: 7, stoppedDays: 0, historyDays: 365 },
  { share: 0.1, gapDays: 30, stoppedDays: 0, historyDays: 540 },
  { share: 0.15, gapDays: 90, stoppedDays: 0, historyDays: 730 },
  { share: 0.1, gapDays: 60, stoppedDays: 200, historyDays: 730 }, // lapsed
  { share: 0.2, gapDays: 10_000, stoppedDays: 0, historyDays: 730 }, // one-off
  { share: 0.43, gapDays: 0, stoppedDays: 0, historyDays: 0 }, // never bought
] as const;

const COUNTRIES: [string, string, string][] = [
  ["KR", "+8210", "Asia/Seoul"],
  ["KR", "+8210", "Asia/Seoul"],
  ["KR", "+8210", "Asia/Seoul"],
  ["KR", "+8210", "Asia/Seoul"],
  ["KR", "+8210", "Asia/Seoul"],
  ["KR", "+8210", "Asia/Seoul"],
  ["KR", "+8210", "Asia/Seoul"],
  ["US", "+1415", "America/New_York"],
  ["JP", "+8190", "Asia/Tokyo"],
  ["SG", "+659", "Asia/Singapore"],
];
const CITIES = ["Seoul", "Busan", "Incheon", "Daegu", "Tokyo", "New York", "Singapore"];

/** Creates the base (or reuses a cached one with the same options). */
export async function ensureCustomerBase(options: BaseOptions): Promise<BaseInfo> {
  const started = performance.now();
  const path = join(options.dir, "herald.db");
  const metaPath = join(options.dir, "meta.json");
  const wanted = JSON.stringify({ version: VERSION, contacts: options.contacts, seed: options.seed, now: options.now });
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as { key: string; orders: number };
    if (meta.key === wanted) return { path, contacts: options.contacts, orders: meta.orders, reused: true, tookMs: 0 };
  }
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const store = await openStore({ databaseUrl: null, dataDir: options.dir });
  await migrateToLatest(store);
  await store.close();

  const db = new SQLite(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  const random = prng(options.seed);
  const now = options.now;
  db.prepare("insert into attribute_definitions values (?, ?, ?, ?, ?)").run(
    "vip_level",
    "number",
    "VIP level",
    now,
    now,
  );
  db.prepare("insert into attribute_definitions values (?, ?, ?, ?, ?)").run("city", "text", "City", now, now);
  db.prepare("insert into tags values (?, ?)").run("newsletter", now);
  db.prepare("insert into tags values (?, ?)").run("wholesale", now);
  const contact = db.prepare(
    `insert into contacts (seq, id, phone, name, language, country, time_zone, attributes, consent_state, consent_source,
      consent_reason, consent_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const metrics = db.prepare("insert into contact_metrics (contact_seq, computed_at) values (?, ?)");
  const tag = db.prepare("insert into contact_tags (contact_seq, tag, source, added_at) values (?, ?, 'manual', ?)");
  const order = db.prepare(
    `insert into orders (id, external_id, contact_seq, amount, currency, placed_at, status, source, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?)`,
  );
  let orders = 0;
  const batch = db.transaction((from: number, to: number) => {
    for (let seq = from; seq < to; seq++) {
      const [country, prefix, zone] = COUNTRIES[Math.floor(random() * COUNTRIES.length)] ?? [
        "KR",
        "+8210",
        "Asia/Seoul",
      ];
      const digits = prefix === "+8210" ? 8 : 7;
      // A multiplicative permutation of seq keeps phones unique while spreading them over the number range.
      const local = String((seq * 7_919_039) % 10 ** digits).padStart(digits, "0");
      const createdAt = now - Math.floor(random() * 3 * 365) * DAY - Math.floor(random() * DAY);
      const roll = random();
      const consent = roll < 0.7 ? "opted_in" : roll < 0.9 ? "unknown" : "opted_out";
      const attributes = JSON.stringify({
        vip_level: Math.floor(random() * 5),
        city: CITIES[Math.floor(random() * CITIES.length)],
      });
      contact.run(
        seq,
        uuid7(createdAt, random),
        `${prefix}${local}`,
        `Customer ${seq}`,
        country === "KR" ? "ko" : "en",
        country,
        zone,
        attributes,
        consent,
        consent === "opted_in" ? "form" : null,
        consent === "opted_out" ? "keyword" : null,
        consent === "unknown" ? null : createdAt,
        createdAt,
        createdAt,
      );
      metrics.run(seq, now);
      if (random() < 0.2) tag.run(seq, "newsletter", now);
      if (random() < 0.02) tag.run(seq, "wholesale", now);
      orders += ordersFor(seq, now, random, order);
    }
  });
  const chunk = 50_000;
  for (let from = 1; from <= options.contacts; from += chunk) {
    batch(from, Math.min(options.contacts + 1, from + chunk));
    process.stderr.write(`\rgenerating: ${Math.min(options.contacts, from + chunk - 1).toLocaleString("en")} contacts`);
  }
  process.stderr.write("\n");
  db.exec("analyze");
  db.close();
  writeFileSync(metaPath, JSON.stringify({ key: wanted, orders }));
  return { path, contacts: options.contacts, orders, reused: false, tookMs: Math.round(performance.now() - started) };
}

function ordersFor(seq: number, now: number, random: () => number, insert: SQLite.Statement): number {
  const pick = random();
  let cumulative = 0;
  const habit = HABITS.find((h) => {
    cumulative += h.share;
    return pick < cumulative;
  });
  if (habit === undefined || habit.gapDays === 0) return 0;
  // Placed times ascending: walk back from the stop date, then insert oldest first (index-friendly).
  const times: number[] = [];
  let at = now - habit.stoppedDays * DAY - random() * Math.min(habit.gapDays, 60) * DAY;
  const oldest = now - habit.historyDays * DAY;
  do {
    times.push(at);
    at -= habit.gapDays * DAY * (0.5 + random());
  } while (at > oldest && habit.gapDays < 10_000);
  let count = 0;
  for (const placed of times.reverse()) {
    const amount = 1000 * Math.round(5 + random() * 120);
    const status = random() < 0.04 ? "refunded" : random() < 0.02 ? "cancelled" : "paid";
    const currency = random() < 0.01 ? "USD" : "KRW";
    const ms = Math.round(placed);
    insert.run(`o${seq}-${count}`, `ext-${seq}-${count}`, seq, amount, currency, ms, status, ms, ms);
    count++;
    if (random() < 0.08) {
      insert.run(
        `o${seq}-${count}`,
        `ext-${seq}-${count}`,
        seq,
        500 * Math.round(2 + random() * 40),
        "KRW",
        ms + 3_600_000,
        "paid",
        ms,
        ms,
      );
      count++;
    }
  }
  return count;
}

const FIRST = ["민지", "서준", "지우", "하은", "도윤", "Alice", "Ben", "Chloe", "Daniel", "Emma"];
const LAST = ["김", "이", "박", "최", "정", "Smith", "Lee", "Park", "Kim", "Brown"];

/**
 * Writes a contacts CSV of `rows` rows (phone, name, consent, language, vip_level, city), as a CRM export would
 * look: national Korean numbers with dashes, Korean and English names, consent words. Streams to disk.
 */
export async function writeContactsCsv(path: string, rows: number, seed: number): Promise<number> {
  const { createWriteStream } = await import("node:fs");
  const random = prng(seed);
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve()));
  await write("Phone,Name,Consent,Language,VIP Level,City\n");
  let chunk = "";
  for (let index = 0; index < rows; index++) {
    const local = String((index * 7_919_039 + 13) % 100_000_000).padStart(8, "0");
    const name = `${LAST[Math.floor(random() * LAST.length)]}${FIRST[Math.floor(random() * FIRST.length)]}`;
    const consent = random() < 0.8 ? "yes" : "no";
    chunk += `010-${local.slice(0, 4)}-${local.slice(4)},${name},${consent},ko,${Math.floor(random() * 5)},${CITIES[Math.floor(random() * CITIES.length)]}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return rows;
}

/** Command-line flag value, or a default. */
export function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

export const DEFAULT_DIR = join(tmpdir(), "herald-bench-customers");
/** The fixed clock of generated bases, so cached bases and runs agree. */
export const BASE_NOW = Date.UTC(2026, 10, 26, 0, 0, 0);

if (import.meta.url === `file://${process.argv[1]}`) {
  const info = await ensureCustomerBase({
    contacts: Number(flag("contacts", "1000000")),
    dir: flag("dir", DEFAULT_DIR),
    seed: Number(flag("seed", "1")),
    now: BASE_NOW,
  });
  process.stdout.write(`${JSON.stringify(info)}\n`);
}
