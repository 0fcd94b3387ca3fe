/**
 * Contacts: reading, patching, deleting and consent changes. Upserts (single, bulk and CSV) are in
 * contacts-upsert.ts, lists and exports in contacts-list.ts. Functions take `db` first so they run inside a
 * caller's transaction.
 */
import type { Kysely, Selectable } from "kysely";
import {
  applyConsentEvent,
  type ConsentEvent,
  type ConsentIgnoredReason,
  type ConsentSource,
  type ConsentState,
  type OptOutReason,
} from "../domain/consent/state.js";
import { HeraldError } from "../domain/errors.js";
import type { AttributeValue, ValidContact } from "./contacts-input.js";
import { isUniqueViolation } from "./dialect.js";
import type { Database } from "./schema.js";
import type { ConsentStateKind, ContactsTable } from "./tables/customers.js";
import { notifyConsentChanged, withinTransaction } from "./webhook-notify.js";

/** A contact as the API returns it. */
export interface Contact {
  id: string;
  phone: string;
  name: string;
  language: string | null;
  country: string | null;
  timeZone: string | null;
  attributes: Record<string, AttributeValue>;
  consent: {
    state: ConsentStateKind;
    source: string | null;
    reason: string | null;
    note: string | null;
    at: number | null;
  };
  createdAt: number;
  updatedAt: number;
}

export type ContactRow = Selectable<ContactsTable>;

/** Maps a row to the API shape. */
export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    phone: row.phone,
    name: row.name,
    language: row.language,
    country: row.country,
    timeZone: row.time_zone,
    attributes: JSON.parse(row.attributes) as Record<string, AttributeValue>,
    consent: {
      state: row.consent_state,
      source: row.consent_source,
      reason: row.consent_reason,
      note: row.consent_note,
      at: row.consent_at,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The domain consent state stored in a row. */
export function consentOf(
  row: Pick<ContactRow, "consent_state" | "consent_source" | "consent_reason" | "consent_note" | "consent_at">,
): ConsentState {
  if (row.consent_state === "opted_in")
    return { kind: "opted_in", source: row.consent_source as ConsentSource, at: row.consent_at ?? 0 };
  if (row.consent_state === "opted_out") {
    const state: ConsentState = {
      kind: "opted_out",
      reason: row.consent_reason as OptOutReason,
      at: row.consent_at ?? 0,
    };
    if (row.consent_note !== null) state.note = row.consent_note;
    return state;
  }
  return { kind: "unknown" };
}

/** The consent columns for a domain state. */
export function consentColumns(
  state: ConsentState,
): Pick<ContactRow, "consent_state" | "consent_source" | "consent_reason" | "consent_note" | "consent_at"> {
  switch (state.kind) {
    case "opted_in":
      return {
        consent_state: "opted_in",
        consent_source: state.source,
        consent_reason: null,
        consent_note: null,
        consent_at: state.at,
      };
    case "opted_out":
      return {
        consent_state: "opted_out",
        consent_source: null,
        consent_reason: state.reason,
        consent_note: state.note ?? null,
        consent_at: state.at,
      };
    case "unknown":
      return {
        consent_state: "unknown",
        consent_source: null,
        consent_reason: null,
        consent_note: null,
        consent_at: null,
      };
    default: {
      const unexpected: never = state;
      throw new Error(`unknown consent state ${JSON.stringify(unexpected)}`);
    }
  }
}

/** The row of a contact id; `not_found` when there is none. */
export async function getContactRow(db: Kysely<Database>, id: string): Promise<ContactRow> {
  const row = await db.selectFrom("contacts").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no contact with id ${id}`);
  return row;
}

/** One contact by id. */
export async function getContact(db: Kysely<Database>, id: string): Promise<Contact> {
  return toContact(await getContactRow(db, id));
}

/** One contact by E.164 phone, or null. */
export async function findContactByPhone(db: Kysely<Database>, phone: string): Promise<Contact | null> {
  const row = await db.selectFrom("contacts").selectAll().where("phone", "=", phone).executeTakeFirst();
  return row ? toContact(row) : null;
}

/** Merges attribute changes into stored attributes (null removes a key); returns the JSON text. */
export function mergeAttributes(stored: string, changes: Record<string, AttributeValue | null> | undefined): string {
  if (changes === undefined) return stored;
  const merged = JSON.parse(stored) as Record<string, AttributeValue>;
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return JSON.stringify(merged);
}

/** Applies a validated patch (not consent, not tags) to a contact; `conflict` when the new phone is taken. */
export async function patchContact(
  db: Kysely<Database>,
  id: string,
  patch: Omit<ValidContact, "consent" | "tags" | "phone" | "phoneCountry"> & { phone?: string },
  now: number,
): Promise<Contact> {
  const row = await getContactRow(db, id);
  const set: Partial<ContactRow> = { updated_at: now };
  if (patch.phone !== undefined) set.phone = patch.phone;
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.language !== undefined) set.language = patch.language;
  if (patch.country !== undefined) set.country = patch.country;
  if (patch.timeZone !== undefined) set.time_zone = patch.timeZone;
  if (patch.attributes !== undefined) set.attributes = mergeAttributes(row.attributes, patch.attributes);
  try {
    const updated = await db
      .updateTable("contacts")
      .set(set)
      .where("seq", "=", row.seq)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toContact(updated);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new HeraldError("conflict", `another contact has the phone ${patch.phone ?? ""}`, {
        issues: [{ path: "phone", message: "belongs to another contact" }],
      });
    throw err;
  }
}

/** Deletes a contact with its orders, tags and metrics (foreign keys cascade); `not_found` when absent. */
export async function deleteContact(db: Kysely<Database>, id: string): Promise<void> {
  const result = await db.deleteFrom("contacts").where("id", "=", id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new HeraldError("not_found", `no contact with id ${id}`);
}

export interface ConsentChange {
  contact: Contact;
  changed: boolean;
  ignored: ConsentIgnoredReason | null;
}

/** Applies an opt-in or opt-out event by the consent rules (domain/consent/state.ts) and stores the result. */
export async function changeConsent(
  db: Kysely<Database>,
  id: string,
  event: ConsentEvent,
  now: number,
): Promise<ConsentChange> {
  const row = await getContactRow(db, id);
  const transition = applyConsentEvent(consentOf(row), event);
  if (!transition.changed) return { contact: toContact(row), changed: false, ignored: transition.ignored };
  // The contact.opted_out / opted_in webhook event is written in the same transaction (store/webhook-notify.ts).
  const contact = await withinTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable("contacts")
      .set({ ...consentColumns(transition.state), updated_at: now })
      .where("seq", "=", row.seq)
      .returningAll()
      .executeTakeFirstOrThrow();
    return notifyConsentChanged(trx, toContact(updated), now);
  });
  return { contact, changed: true, ignored: null };
}
