/**
 * Orders: idempotent upsert by external id (single, bulk, CSV), lists and lookups. Upserts return the contacts
 * whose metrics must be recomputed; the caller picks the incremental path (one contact, domain functions) or the
 * set-based one (many contacts, SQL) and runs it in the same transaction.
 */
import type { Insertable, Kysely, Selectable } from "kysely";
import { HeraldError } from "../domain/errors.js";
import type { OrderStatus } from "../domain/metrics/orders.js";
import { newId } from "../ids.js";
import { decodeCursor, encodeCursor, type Page } from "./contacts-list.js";
import { chunks, upsertContacts } from "./contacts-upsert.js";
import { dialectOf } from "./dialect.js";
import type { ValidOrder } from "./orders-input.js";
import type { Database } from "./schema.js";
import type { OrdersTable } from "./tables/customers.js";

/** An order as the API returns it. */
export interface Order {
  id: string;
  externalId: string;
  contactId: string;
  amount: number;
  currency: string;
  placedAt: number;
  status: OrderStatus;
  items: unknown[] | null;
  source: string | null;
  createdAt: number;
  updatedAt: number;
}

type OrderRow = Selectable<OrdersTable> & { contact_id: string };

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    externalId: row.external_id,
    contactId: row.contact_id,
    amount: Number(row.amount),
    currency: row.currency,
    placedAt: Number(row.placed_at),
    status: row.status,
    items: row.items === null ? null : (JSON.parse(row.items) as unknown[]),
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function ordersWithContact(db: Kysely<Database>) {
  return db
    .selectFrom("orders as o")
    .innerJoin("contacts as c", "c.seq", "o.contact_seq")
    .selectAll("o")
    .select("c.id as contact_id");
}

export type OrderOutcome =
  | { status: "created" | "updated"; id: string; contactSeq: number }
  | { status: "rejected"; issues: { path: string; message: string }[] };

export interface OrderUpsertResult {
  outcomes: OrderOutcome[];
  /** Contacts whose metrics changed (new and previous owners of each order). */
  touched: number[];
}

/**
 * Creates or updates orders by external id (unique within `items`: callers reject duplicates). A phone that
 * belongs to nobody creates the contact (consent unknown); an unknown contact id rejects that item.
 */
export async function upsertOrders(
  db: Kysely<Database>,
  items: readonly ValidOrder[],
  now: number,
  pathOf: (index: number) => string = () => "contactId",
): Promise<OrderUpsertResult> {
  const seqById = new Map<string, number>();
  const ids = [...new Set(items.flatMap((item) => ("id" in item.contact ? [item.contact.id] : [])))];
  for (const part of chunks(ids, 500)) {
    for (const row of await db.selectFrom("contacts").select(["id", "seq"]).where("id", "in", part).execute())
      seqById.set(row.id, row.seq);
  }
  const phones = new Map<string, string>();
  for (const item of items) if ("phone" in item.contact) phones.set(item.contact.phone, item.contact.phoneCountry);
  const seqByPhone = new Map<string, number>();
  if (phones.size > 0) {
    const outcomes = await upsertContacts(
      db,
      [...phones].map(([phone, phoneCountry]) => ({ phone, phoneCountry })),
      now,
    );
    [...phones.keys()].forEach((phone, index) => {
      seqByPhone.set(phone, outcomes[index]?.seq ?? 0);
    });
  }

  const existing = new Map<string, { id: string; contact_seq: number }>();
  for (const part of chunks(items, 500)) {
    const rows = await db
      .selectFrom("orders")
      .select(["id", "external_id", "contact_seq"])
      .where(
        "external_id",
        "in",
        part.map((item) => item.externalId),
      )
      .execute();
    for (const row of rows) existing.set(row.external_id, row);
  }

  const touched = new Set<number>();
  const outcomes: OrderOutcome[] = [];
  const fresh: Insertable<OrdersTable>[] = [];
  for (const [index, item] of items.entries()) {
    const seq = "id" in item.contact ? seqById.get(item.contact.id) : seqByPhone.get(item.contact.phone);
    if (seq === undefined) {
      const id = "id" in item.contact ? item.contact.id : "";
      outcomes.push({ status: "rejected", issues: [{ path: pathOf(index), message: `no contact with id ${id}` }] });
      continue;
    }
    touched.add(seq);
    const columns = {
      contact_seq: seq,
      amount: item.amount,
      currency: item.currency,
      placed_at: item.placedAt,
      status: item.status,
      items: item.items,
      source: item.source,
      updated_at: now,
    };
    const found = existing.get(item.externalId);
    if (found === undefined) {
      const id = newId(now);
      fresh.push({ id, external_id: item.externalId, created_at: now, ...columns });
      outcomes.push({ status: "created", id, contactSeq: seq });
    } else {
      touched.add(found.contact_seq);
      await db.updateTable("orders").set(columns).where("id", "=", found.id).execute();
      outcomes.push({ status: "updated", id: found.id, contactSeq: seq });
    }
  }
  // 11 columns per row; stay well under the parameter limit of either database.
  const perStatement = Math.floor(dialectOf(db).maxParameters / 11 / 2);
  for (const part of chunks(fresh, perStatement)) await db.insertInto("orders").values(part).execute();
  return { outcomes, touched: [...touched] };
}

/** One order by Herald id; `not_found` when absent. */
export async function getOrder(db: Kysely<Database>, id: string): Promise<Order> {
  const row = await ordersWithContact(db).where("o.id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no order with id ${id}`);
  return toOrder(row);
}

/** Orders, newest placed first, optionally of one contact and one status. */
export async function listOrders(
  db: Kysely<Database>,
  filter: { contactId?: string | undefined; status?: OrderStatus | undefined },
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<Order>> {
  let query = ordersWithContact(db)
    .orderBy("o.placed_at", "desc")
    .orderBy("o.id", "desc")
    .limit(page.limit + 1);
  if (filter.contactId !== undefined) query = query.where("c.id", "=", filter.contactId);
  if (filter.status !== undefined) query = query.where("o.status", "=", filter.status);
  if (page.cursor !== undefined) {
    const [placedAt, id] = String(decodeCursor(page.cursor)).split("|");
    query = query.where((eb) =>
      eb.or([
        eb("o.placed_at", "<", Number(placedAt)),
        eb.and([eb("o.placed_at", "=", Number(placedAt)), eb("o.id", "<", id ?? "")]),
      ]),
    );
  }
  const rows = await query.execute();
  const more = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map(toOrder);
  const last = data.at(-1);
  return { data, nextCursor: more && last ? encodeCursor(`${last.placedAt}|${last.id}`) : null };
}
