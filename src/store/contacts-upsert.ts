/**
 * Upsert of validated contacts by phone, in batches: one lookup of the existing phones per chunk, multi-row
 * inserts for new contacts (and their empty metrics rows), one UPDATE per changed existing contact. Used by the
 * single and bulk API and by CSV import; the caller owns the transaction, so a batch is all or nothing.
 */
import { type Kysely, type SqlBool, sql } from "kysely";
import { applyConsentEvent, type ConsentEvent, type ConsentState } from "../domain/consent/state.js";
import { timeZoneForCountry } from "../domain/phone/time-zones.js";
import { type ContactRow, consentColumns, consentOf, mergeAttributes } from "./contacts.js";
import { newIds } from "./contacts-ids.js";
import type { ConsentInput, ValidContact } from "./contacts-input.js";
import { dialectOf, type JsonColumn } from "./dialect.js";
import type { Database } from "./schema.js";

export interface UpsertOutcome {
  status: "created" | "updated";
  id: string;
  seq: number;
}

/** The domain event of a consent input (none for "unknown": consent cannot be reset to unknown). */
export function consentEvent(input: ConsentInput | undefined, now: number): ConsentEvent | null {
  if (input === undefined || input.state === "unknown") return null;
  if (input.state === "opted_in") return { kind: "opt_in", source: input.source, at: input.at ?? now };
  const event: ConsentEvent = { kind: "opt_out", reason: input.reason, at: input.at ?? now };
  if (input.note !== undefined) event.note = input.note;
  return event;
}

function nextConsent(state: ConsentState, input: ConsentInput | undefined, now: number): ConsentState {
  const event = consentEvent(input, now);
  return event === null ? state : applyConsentEvent(state, event).state;
}

/** Splits `items` into chunks whose statements stay under the database's parameter limit. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** Columns written from a batch, in the order of each JSON row. */
const COLUMNS: JsonColumn[] = [
  { name: "id", type: "text" },
  { name: "phone", type: "text" },
  { name: "name", type: "text" },
  { name: "language", type: "text" },
  { name: "country", type: "text" },
  { name: "time_zone", type: "text" },
  { name: "attributes", type: "text" },
  { name: "consent_state", type: "text" },
  { name: "consent_source", type: "text" },
  { name: "consent_reason", type: "text" },
  { name: "consent_note", type: "text" },
  { name: "consent_at", type: "bigint" },
  { name: "created_at", type: "bigint" },
  { name: "updated_at", type: "bigint" },
];
type ContactValues = Omit<ContactRow, "seq">;
const asArray = (row: ContactValues) => COLUMNS.map((column) => row[column.name as keyof ContactValues]);
const names = (columns: readonly JsonColumn[]) => sql.join(columns.map((column) => sql.ref(column.name)));

/** Rows per statement: one JSON parameter each, so only the JSON size (~1 MB at 5,000 rows) bounds it. */
const PER_STATEMENT = 5_000;

/** A contact ready to upsert: its phone, its row as JSON for when it is new, and the item for a merge. */
export interface PreparedContact {
  phone: string;
  /** The JSON array of COLUMNS values inserted when the phone is new (`contactInsertJson`). */
  insertJson: string;
  /** The validated item, read only when the phone already exists (an import sends it as JSON text). */
  item: () => ValidContact;
  tags?: string[] | undefined;
}

/** The insert row of a new contact as JSON text (imports build it in their validation worker). */
export function contactInsertJson(id: string, item: ValidContact, now: number): string {
  return JSON.stringify(asArray(newContactRow(id, item, now)));
}

/**
 * Creates or updates each contact by phone; phones must be unique within `items` (callers reject duplicates
 * first). Returns one outcome per item, in order.
 */
export async function upsertContacts(
  db: Kysely<Database>,
  items: readonly ValidContact[],
  now: number,
): Promise<UpsertOutcome[]> {
  const ids = newIds(items.length, now);
  const prepared = items.map((item, index) => ({
    phone: item.phone,
    insertJson: contactInsertJson(ids[index] ?? "", item, now),
    item: () => item,
    tags: item.tags,
  }));
  return upsertPrepared(db, prepared, now);
}

/**
 * The upsert of prepared contacts. New contacts are inserted first (ON CONFLICT DO NOTHING), so an import into an
 * empty base costs no lookups; only the phones that already existed are read, merged and updated. Rows travel as
 * one JSON parameter per statement (dialect.jsonRows), so a batch of 5,000 is a handful of statements.
 */
export async function upsertPrepared(
  db: Kysely<Database>,
  entries: readonly PreparedContact[],
  now: number,
): Promise<UpsertOutcome[]> {
  const dialect = dialectOf(db);
  const outcomes: (UpsertOutcome | null)[] = entries.map(() => null);
  const indexByPhone = new Map(entries.map((entry, index) => [entry.phone, index]));

  for (const part of chunks(entries, PER_STATEMENT)) {
    const source = dialect.jsonRows(`[${part.map((entry) => entry.insertJson).join(",")}]`, COLUMNS);
    const inserted = await sql<{ seq: number; id: string; phone: string }>`insert into contacts (${names(COLUMNS)})
      select ${names(COLUMNS)} from ${source} as x where true
      on conflict (phone) do nothing returning seq, id, phone`.execute(db);
    for (const row of inserted.rows) {
      const index = indexByPhone.get(row.phone);
      if (index !== undefined) outcomes[index] = { status: "created", id: row.id, seq: Number(row.seq) };
    }
    const metrics: JsonColumn[] = [
      { name: "contact_seq", type: "bigint" },
      { name: "computed_at", type: "bigint" },
    ];
    if (inserted.rows.length > 0) {
      const metricRows = dialect.jsonRows(JSON.stringify(inserted.rows.map((row) => [Number(row.seq), now])), metrics);
      await sql`insert into contact_metrics (contact_seq, computed_at) select contact_seq, computed_at from ${metricRows} as x`.execute(
        db,
      );
    }
  }

  const existing = entries.filter((_, index) => outcomes[index] === null);
  const changed: ContactRow[] = [];
  for (const part of chunks(existing, PER_STATEMENT)) {
    const phones = dialect.jsonValues(JSON.stringify(part.map((entry) => entry.phone)), "text");
    const rows = await db.selectFrom("contacts").selectAll().where(sql<SqlBool>`phone in ${phones}`).execute();
    for (const row of rows) {
      const index = indexByPhone.get(row.phone);
      const entry = index === undefined ? undefined : entries[index];
      if (index === undefined || entry === undefined) continue;
      const next = changedRow(row, entry.item(), now);
      if (next !== null) changed.push(next);
      outcomes[index] = { status: "updated", id: row.id, seq: row.seq };
    }
  }

  for (const part of chunks(changed, PER_STATEMENT)) {
    const updateColumns = COLUMNS.filter(
      (column) => column.name !== "id" && column.name !== "phone" && column.name !== "created_at",
    );
    const json = JSON.stringify(
      part.map((row) => [row.seq, ...updateColumns.map((column) => row[column.name as keyof ContactRow])]),
    );
    const source = dialect.jsonRows(json, [{ name: "seq", type: "bigint" }, ...updateColumns]);
    await sql`update contacts set ${sql.join(updateColumns.map((column) => sql`${sql.ref(column.name)} = x.${sql.ref(column.name)}`))}
      from ${source} as x where contacts.seq = x.seq`.execute(db);
  }

  const result = outcomes.map((outcome) => {
    if (outcome === null) throw new Error("upsertPrepared: an item got no outcome");
    return outcome;
  });
  const tagPairs = entries.flatMap((entry, index) =>
    (entry.tags ?? []).map((tag) => ({ seq: result[index]?.seq ?? 0, tag })),
  );
  await addManualTags(db, tagPairs, now);
  return result;
}

function newContactRow(id: string, item: ValidContact, now: number): ContactValues {
  const country = item.country !== undefined ? item.country : item.phoneCountry;
  const timeZone = item.timeZone !== undefined ? item.timeZone : country ? timeZoneForCountry(country) : null;
  const attributes = mergeAttributes("{}", item.attributes);
  return {
    id,
    phone: item.phone,
    name: item.name ?? "",
    language: item.language ?? null,
    country,
    time_zone: timeZone,
    attributes,
    ...consentColumns(nextConsent({ kind: "unknown" }, item.consent, now)),
    created_at: now,
    updated_at: now,
  };
}

/** The row after applying an item, or null when the item changes nothing. */
function changedRow(row: ContactRow, item: ValidContact, now: number): ContactRow | null {
  const next: ContactRow = { ...row };
  if (item.name !== undefined) next.name = item.name;
  if (item.language !== undefined) next.language = item.language;
  if (item.country !== undefined) next.country = item.country;
  if (item.timeZone !== undefined) next.time_zone = item.timeZone;
  next.attributes = mergeAttributes(row.attributes, item.attributes);
  const before = consentOf(row);
  const after = nextConsent(before, item.consent, now);
  if (after !== before) Object.assign(next, consentColumns(after));
  const same = COLUMNS.every(
    (column) => next[column.name as keyof ContactRow] === row[column.name as keyof ContactRow],
  );
  if (same) return null;
  next.updated_at = now;
  return next;
}

/** Adds manual tags to contacts (registering new tag names); existing (contact, tag) pairs are left as they are. */
export async function addManualTags(
  db: Kysely<Database>,
  pairs: readonly { seq: number; tag: string }[],
  now: number,
  addedBy: string | null = null,
  note: string | null = null,
): Promise<void> {
  if (pairs.length === 0) return;
  const names = [...new Set(pairs.map((pair) => pair.tag))];
  for (const part of chunks(names, 1000)) {
    await db
      .insertInto("tags")
      .values(part.map((name) => ({ name, created_at: now })))
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
  }
  for (const part of chunks(pairs, 1000)) {
    await db
      .insertInto("contact_tags")
      .values(
        part.map((pair) => ({
          contact_seq: pair.seq,
          tag: pair.tag,
          source: "manual" as const,
          rule_id: null,
          note,
          added_at: now,
          added_by: addedBy,
        })),
      )
      .onConflict((oc) => oc.columns(["contact_seq", "tag"]).doNothing())
      .execute();
  }
}
