/**
 * Upsert of validated contacts by phone, in batches: one lookup of the existing phones per chunk, multi-row
 * inserts for new contacts (and their empty metrics rows), one UPDATE per changed existing contact. Used by the
 * single and bulk API and by CSV import; the caller owns the transaction, so a batch is all or nothing.
 */
import type { Insertable, Kysely } from "kysely";
import { applyConsentEvent, type ConsentEvent, type ConsentState } from "../domain/consent/state.js";
import { timeZoneForCountry } from "../domain/phone/time-zones.js";
import { newId } from "../ids.js";
import { type ContactRow, consentColumns, consentOf, mergeAttributes } from "./contacts.js";
import type { ConsentInput, ValidContact } from "./contacts-input.js";
import { dialectOf } from "./dialect.js";
import type { Database } from "./schema.js";
import type { ContactsTable } from "./tables/customers.js";

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

const CONTACT_COLUMNS = 16;

/**
 * Creates or updates each contact by phone; phones must be unique within `items` (callers reject duplicates
 * first). Returns one outcome per item, in order.
 */
export async function upsertContacts(
  db: Kysely<Database>,
  items: readonly ValidContact[],
  now: number,
): Promise<UpsertOutcome[]> {
  const dialect = dialectOf(db);
  const existing = new Map<string, ContactRow>();
  for (const part of chunks(items, 500)) {
    const rows = await db
      .selectFrom("contacts")
      .selectAll()
      .where(
        "phone",
        "in",
        part.map((item) => item.phone),
      )
      .execute();
    for (const row of rows) existing.set(row.phone, row);
  }

  const outcomes: (UpsertOutcome | null)[] = items.map(() => null);
  const fresh: { index: number; row: Insertable<ContactsTable> }[] = [];
  for (const [index, item] of items.entries()) {
    const row = existing.get(item.phone);
    if (row === undefined) {
      fresh.push({ index, row: newContactRow(item, now) });
      continue;
    }
    const set = changedColumns(row, item, now);
    if (set !== null) await db.updateTable("contacts").set(set).where("seq", "=", row.seq).execute();
    outcomes[index] = { status: "updated", id: row.id, seq: row.seq };
  }

  const perStatement = Math.floor(dialect.maxParameters / CONTACT_COLUMNS / 2);
  for (const part of chunks(fresh, perStatement)) {
    const inserted = await db
      .insertInto("contacts")
      .values(part.map((entry) => entry.row))
      .returning(["seq", "id"])
      .execute();
    const seqById = new Map(inserted.map((row) => [row.id, row.seq]));
    for (const entry of part) {
      const seq = seqById.get(entry.row.id) ?? 0;
      outcomes[entry.index] = { status: "created", id: entry.row.id, seq };
    }
    await db
      .insertInto("contact_metrics")
      .values(inserted.map((row) => ({ contact_seq: row.seq, computed_at: now })))
      .execute();
  }

  const result = outcomes.map((outcome) => {
    if (outcome === null) throw new Error("upsertContacts: an item got no outcome");
    return outcome;
  });
  const tagPairs = items.flatMap((item, index) =>
    (item.tags ?? []).map((tag) => ({ seq: result[index]?.seq ?? 0, tag })),
  );
  await addManualTags(db, tagPairs, now);
  return result;
}

function newContactRow(item: ValidContact, now: number): Insertable<ContactsTable> {
  const country = item.country !== undefined ? item.country : item.phoneCountry;
  const timeZone = item.timeZone !== undefined ? item.timeZone : country ? timeZoneForCountry(country) : null;
  const attributes = mergeAttributes("{}", item.attributes);
  return {
    id: newId(now),
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

/** The columns an item changes on an existing row (null when it changes nothing). */
function changedColumns(row: ContactRow, item: ValidContact, now: number): Partial<ContactRow> | null {
  const set: Partial<ContactRow> = {};
  if (item.name !== undefined && item.name !== row.name) set.name = item.name;
  if (item.language !== undefined && item.language !== row.language) set.language = item.language;
  if (item.country !== undefined && item.country !== row.country) set.country = item.country;
  if (item.timeZone !== undefined && item.timeZone !== row.time_zone) set.time_zone = item.timeZone;
  const attributes = mergeAttributes(row.attributes, item.attributes);
  if (attributes !== row.attributes) set.attributes = attributes;
  const before = consentOf(row);
  const after = nextConsent(before, item.consent, now);
  if (after !== before) Object.assign(set, consentColumns(after));
  if (Object.keys(set).length === 0) return null;
  set.updated_at = now;
  return set;
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
