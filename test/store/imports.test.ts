import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttribute } from "../../src/store/contacts-attributes.js";
import type { Store } from "../../src/store/db.js";
import { type ImportOptions, type RowError, runImport } from "../../src/store/imports-run.js";
import { createTagRule } from "../../src/store/tags-rules.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the CSV reader, validation, batching and the database (each dialect). Faked: the input stream (in memory).
const NOW = Date.UTC(2026, 10, 26, 9);

function collect() {
  const errors: RowError[] = [];
  return { errors, sink: { progress() {}, rejected: (batch: RowError[]) => void errors.push(...batch) } };
}

const contacts = (extra: Partial<ImportOptions> = {}): ImportOptions => ({
  kind: "contacts",
  mapping: { 전화번호: "phone", 이름: "name", 동의: "consent", VIP: "attributes.vip_level", 태그: "tags" },
  defaultCountry: "KR",
  dryRun: false,
  atomic: false,
  now: NOW,
  ...extra,
});

const CSV = [
  "전화번호,이름,동의,VIP,태그",
  "010-1000-0001,김민지,yes,3,신규;seoul",
  '010-1000-0002,"Lee, Jun",no,1,',
  "010-12,Bad Phone,yes,1,",
  "010-1000-0001,Again,yes,2,",
  "010-1000-0003,Typed,maybe,1,",
  "010-1000-0004,Not a number,yes,gold,",
  '010-1000-0005,"broken "quote",yes,1,',
  "010-1000-0006,Too,many,columns,here,!",
  '010-1000-0007,"multi',
  'line name",yes,4,vip',
  "",
].join("\n");

for (const dialect of DIALECTS) {
  describe(`CSV import (${dialect.name})`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await dialect.open();
      await createAttribute(store.db, { name: "vip_level", type: "number" }, NOW);
      await createTagRule(store.db, { tag: "vip", rule: { kind: "top_spenders", share: 0.1 } }, NOW);
    });
    afterAll(async () => store.close());
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom("contacts")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("rejects each bad row with its line, column and reason, and imports the rest", async () => {
      const { errors, sink } = collect();
      const summary = await runImport(store.db, Readable.from([CSV]), contacts({ dryRun: true }), sink);
      expect(summary).toMatchObject({ rowsRead: 9, imported: 2, rejected: 7, written: false });
      expect(errors.map((e) => [e.line, e.column])).toEqual([
        [4, "전화번호"],
        [5, "전화번호"],
        [6, "동의"],
        [7, "VIP"],
        [8, null],
        [9, null],
        [10, "태그"],
      ]);
      expect(errors[0]?.message).toContain("phone");
      expect(errors[1]?.message).toBe("duplicate in the file: +821010000001 is also on line 2");
      expect(errors[2]?.message).toContain('"maybe" is not a consent value');
      expect(errors[3]?.message).toContain("must be a number");
      expect(errors[4]?.message).toContain("bad quoting");
      expect(errors[5]?.message).toContain("expected 5 columns");
      expect(errors[6]?.message).toContain("applied by a tag rule");
    });

    it("a dry run writes nothing", async () => {
      expect(await count()).toBe(0);
    });

    it("an atomic import with a rejected row writes nothing", async () => {
      const summary = await runImport(store.db, Readable.from([CSV]), contacts({ atomic: true }), collect().sink);
      expect(summary.written).toBe(false);
      expect(await count()).toBe(0);
    });

    it("writes the valid rows, a rule-owned tag is refused, a multi-line field keeps its line number", async () => {
      const { errors, sink } = collect();
      const summary = await runImport(store.db, Readable.from([CSV]), contacts(), sink);
      expect(summary).toMatchObject({ imported: 2, created: 2, written: true });
      expect(errors.find((e) => e.line === 10)?.message).toContain("applied by a tag rule");
      const kim = await store.db
        .selectFrom("contacts")
        .selectAll()
        .where("phone", "=", "+821010000001")
        .executeTakeFirstOrThrow();
      expect(kim).toMatchObject({
        name: "김민지",
        consent_state: "opted_in",
        consent_source: "import",
        attributes: '{"vip_level":3}',
      });
      const tags = await store.db
        .selectFrom("contact_tags")
        .select("tag")
        .where("contact_seq", "=", kim.seq)
        .orderBy("tag")
        .execute();
      expect(tags.map((t) => t.tag)).toEqual(["seoul", "신규"]);
    });

    it("an atomic import of a clean file writes all of it; a re-import updates (idempotent)", async () => {
      const clean = "Phone,Name\n+821020000001,A\n+821020000002,B\n";
      const first = await runImport(
        store.db,
        Readable.from([clean]),
        { ...contacts({ atomic: true }), mapping: { Phone: "phone", Name: "name" } },
        collect().sink,
      );
      expect(first).toMatchObject({ created: 2, written: true });
      const again = await runImport(
        store.db,
        Readable.from([clean.replace(",B", ",Bee")]),
        { ...contacts(), mapping: { Phone: "phone", Name: "name" } },
        collect().sink,
      );
      expect(again).toMatchObject({ created: 0, updated: 2 });
    });

    it("refuses a mapping without the phone, or with an undefined attribute, before reading rows", async () => {
      await expect(
        runImport(store.db, Readable.from([CSV]), { ...contacts(), mapping: { 이름: "name" } }, collect().sink),
      ).rejects.toThrow('no column is mapped to "phone"');
      await expect(
        runImport(
          store.db,
          Readable.from([CSV]),
          { ...contacts(), mapping: { 전화번호: "phone", VIP: "attributes.shoe" } },
          collect().sink,
        ),
      ).rejects.toThrow("define the attribute first");
    });

    it("imports orders, creating contacts by phone and updating their metrics", async () => {
      const orders = [
        "order_id,phone,amount,currency,placed_at,status",
        "A-1,+821030000001,15000,KRW,2026-11-20T10:00:00+09:00,paid",
        "A-2,+821030000001,25000,KRW,2026-11-01,paid",
        "A-1,+821030000001,1,KRW,2026-11-01,paid",
        "A-3,+821030000002,12.5,KRW,2026-11-01,paid",
      ].join("\n");
      const { errors, sink } = collect();
      const summary = await runImport(
        store.db,
        Readable.from([orders]),
        {
          kind: "orders",
          mapping: {
            order_id: "external_id",
            phone: "phone",
            amount: "amount",
            currency: "currency",
            placed_at: "placed_at",
            status: "status",
          },
          dryRun: false,
          atomic: false,
          now: NOW,
        },
        sink,
      );
      expect(summary).toMatchObject({ imported: 2, rejected: 2, created: 2 });
      expect(errors.map((e) => e.line)).toEqual([4, 5]);
      const metrics = await store.db
        .selectFrom("contact_metrics as m")
        .innerJoin("contacts as c", "c.seq", "m.contact_seq")
        .select(["m.orders_total", "m.total_spent"])
        .where("c.phone", "=", "+821030000001")
        .executeTakeFirstOrThrow();
      expect(metrics).toEqual({ orders_total: 2, total_spent: 40_000 });
    });
  });
}
