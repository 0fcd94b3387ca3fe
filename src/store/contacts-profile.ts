/** The contact page in one read: contact, metrics, tags with their reasons, newest orders. */
import type { Kysely } from "kysely";
import { type ContactMetricsView, getMetricsState, ordersOf, toMetricsView } from "./contact-metrics.js";
import { type Contact, getContactRow, toContact } from "./contacts.js";
import { listOrders, type Order } from "./orders.js";
import type { Database } from "./schema.js";
import { type ContactTag, contactTags } from "./tags.js";

export interface ContactProfile {
  contact: Contact;
  metrics: ContactMetricsView;
  tags: ContactTag[];
  recentOrders: Order[];
  frequency: { medianGapDays: number | null; effectiveGapDays: number | null };
}

/** Everything the contact page shows; `not_found` for an unknown id. */
export async function contactProfile(db: Kysely<Database>, id: string, now: number): Promise<ContactProfile> {
  const row = await getContactRow(db, id);
  const state = await getMetricsState(db);
  const metrics = await db
    .selectFrom("contact_metrics")
    .selectAll()
    .where("contact_seq", "=", row.seq)
    .executeTakeFirstOrThrow();
  const orders = await ordersOf(db, row.seq);
  const tags = await contactTags(db, row.seq, {
    orders,
    spent365d: metrics.spent_365d,
    currency: state.baseCurrency,
    now,
  });
  const recent = await listOrders(db, { contactId: id }, { limit: 20 });
  return {
    contact: toContact(row),
    metrics: toMetricsView(metrics, state),
    tags,
    recentOrders: recent.data,
    frequency: { medianGapDays: metrics.median_gap_days, effectiveGapDays: metrics.effective_gap_days },
  };
}
