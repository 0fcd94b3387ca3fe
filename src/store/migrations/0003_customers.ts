import { type Kysely, sql } from "kysely";
import { dialectOf } from "../dialect.js";

// The customer base (issue 4). Portable types only; booleans are 0/1 with a CHECK; JSON is text.
// Contacts carry an integer `seq` that every child table joins on (see tables/customers.ts for why).

/** Contacts, attribute definitions, orders, contact metrics, tags, tag rules, segments, metrics state, imports. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOf(db);
  const key = dialect.keyType;

  await db.schema
    .createTable("contacts")
    .addColumn("seq", key, (c) => {
      const pk = c.primaryKey();
      // SQLite: `integer primary key` is the rowid and numbers itself; PostgreSQL needs an identity.
      return key === "bigint" ? pk.generatedByDefaultAsIdentity() : pk;
    })
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("phone", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("language", "text")
    .addColumn("country", "text")
    .addColumn("time_zone", "text")
    .addColumn("attributes", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("consent_state", "text", (c) =>
      c.notNull().defaultTo("unknown").check(sql`consent_state in ('opted_in', 'opted_out', 'unknown')`),
    )
    .addColumn("consent_source", "text")
    .addColumn("consent_reason", "text")
    .addColumn("consent_note", "text")
    .addColumn("consent_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    // A known consent state has its time; an opted-in contact its source; an opted-out one its reason.
    .addCheckConstraint("contacts_consent_time", sql`consent_state = 'unknown' or consent_at is not null`)
    .addCheckConstraint("contacts_consent_source", sql`consent_state <> 'opted_in' or consent_source is not null`)
    .addCheckConstraint("contacts_consent_reason", sql`consent_state <> 'opted_out' or consent_reason is not null`)
    .execute();

  await db.schema
    .createTable("attribute_definitions")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull().check(sql`type in ('text', 'number', 'boolean', 'date')`))
    .addColumn("label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("orders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("external_id", "text", (c) => c.notNull().unique())
    .addColumn("contact_seq", key, (c) => c.notNull().references("contacts.seq").onDelete("cascade"))
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("placed_at", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('paid', 'refunded', 'cancelled')`))
    .addColumn("items", "text")
    .addColumn("source", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  // The refresh groups orders by contact in time order; the contact page lists a contact's newest orders.
  // Covering (status, currency, amount): the refresh reads 5M orders from the index alone, in contact order,
  // instead of one table lookup per order.
  await db.schema
    .createIndex("orders_contact_placed_idx")
    .on("orders")
    .columns(["contact_seq", "placed_at", "status", "currency", "amount"])
    .execute();

  await db.schema
    .createTable("contact_metrics")
    .addColumn("contact_seq", key, (c) => c.primaryKey().references("contacts.seq").onDelete("cascade"))
    .addColumn("orders_30d", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("orders_90d", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("orders_365d", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("orders_total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total_spent", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("spent_365d", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("avg_order_value", "bigint")
    .addColumn("foreign_currency_orders", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("first_order_at", "bigint")
    .addColumn("last_order_at", "bigint")
    .addColumn("frequency_class", "text", (c) => c.notNull().defaultTo("none"))
    .addColumn("median_gap_days", "double precision")
    .addColumn("effective_gap_days", "double precision")
    .addColumn("heat", "text", (c) => c.notNull().defaultTo("quiet"))
    .addColumn("last_inbound_at", "bigint")
    .addColumn("last_read_at", "bigint")
    .addColumn("read_rate", "double precision")
    .addColumn("rfm_recency", "integer")
    .addColumn("rfm_frequency", "integer")
    .addColumn("rfm_monetary", "integer")
    .addColumn("computed_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("tags")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("tag_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tag", "text", (c) => c.notNull().unique().references("tags.name"))
    .addColumn("rule", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1).check(sql`enabled in (0, 1)`))
    .addColumn("state", "text")
    .addColumn("contacts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_applied_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("contact_tags")
    .addColumn("contact_seq", key, (c) => c.notNull().references("contacts.seq").onDelete("cascade"))
    .addColumn("tag", "text", (c) => c.notNull().references("tags.name"))
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('manual', 'rule')`))
    .addColumn("rule_id", "text", (c) => c.references("tag_rules.id").onDelete("cascade"))
    .addColumn("note", "text")
    .addColumn("added_at", "bigint", (c) => c.notNull())
    .addColumn("added_by", "text")
    .addPrimaryKeyConstraint("contact_tags_pk", ["contact_seq", "tag"])
    .addCheckConstraint("contact_tags_rule", sql`(source = 'rule') = (rule_id is not null)`)
    .execute();
  // Segment conditions on tags read `seq IN (SELECT contact_seq … WHERE tag = ?)`: a range of this index.
  await db.schema.createIndex("contact_tags_tag_idx").on("contact_tags").columns(["tag", "contact_seq"]).execute();
  await db.schema.createIndex("contact_tags_rule_idx").on("contact_tags").column("rule_id").execute();

  await db.schema
    .createTable("segments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("rules", "text", (c) => c.notNull())
    .addColumn("exclude_inactive", "integer", (c) => c.notNull().defaultTo(1).check(sql`exclude_inactive in (0, 1)`))
    .addColumn("exclude_opted_out", "integer", (c) => c.notNull().defaultTo(1).check(sql`exclude_opted_out in (0, 1)`))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("metrics_state")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("base_currency", "text", (c) => c.notNull())
    .addColumn("rfm_breakpoints", "text")
    .addColumn("last_refresh_at", "bigint")
    .addColumn("last_refresh_ms", "bigint")
    .addColumn("refresh_started_at", "bigint")
    .execute();
  // KRW: Herald's first market is Korea; PATCH /api/v1/metrics/settings changes it.
  await sql`insert into metrics_state (id, base_currency) values (1, 'KRW')`.execute(db);

  await db.schema
    .createTable("imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('contacts', 'orders')`))
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('uploaded', 'running', 'succeeded', 'failed')`))
    .addColumn("dry_run", "integer", (c) => c.notNull().defaultTo(0).check(sql`dry_run in (0, 1)`))
    .addColumn("atomic", "integer", (c) => c.notNull().defaultTo(0).check(sql`atomic in (0, 1)`))
    .addColumn("file_name", "text")
    .addColumn("file_path", "text", (c) => c.notNull())
    .addColumn("bytes", "bigint", (c) => c.notNull())
    .addColumn("header", "text", (c) => c.notNull())
    .addColumn("options", "text")
    .addColumn("bytes_read", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("rows_read", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("imported", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rejected", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("started_at", "bigint")
    .addColumn("finished_at", "bigint")
    .addColumn("heartbeat_at", "bigint")
    .addCheckConstraint("imports_failed_has_error", sql`state <> 'failed' or error is not null`)
    .execute();

  await db.schema
    .createTable("import_errors")
    .addColumn("import_id", "text", (c) => c.notNull().references("imports.id").onDelete("cascade"))
    .addColumn("line", "integer", (c) => c.notNull())
    .addColumn("column_name", "text")
    .addColumn("message", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_errors_pk", ["import_id", "line"])
    .execute();
}

/** Drops what `up` created, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "import_errors",
    "imports",
    "metrics_state",
    "segments",
    "contact_tags",
    "tag_rules",
    "tags",
    "contact_metrics",
    "orders",
    "attribute_definitions",
    "contacts",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
