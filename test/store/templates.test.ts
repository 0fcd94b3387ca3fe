import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/index.js";
import type { Store } from "../../src/store/db.js";
import {
  deleteTemplateRow,
  findTemplateByKey,
  findTemplateByProviderId,
  getTemplate,
  hasPendingTemplates,
  insertTemplate,
  inTransaction,
  listTemplateHistory,
  listTemplates,
  listVariants,
  recordTemplateChange,
  updateTemplateContent,
} from "../../src/store/templates.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect), the migration. Faked: the clock.
const now = Date.UTC(2026, 10, 26);

const base: Template = {
  name: "spring_sale",
  language: "ko",
  category: "MARKETING",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "(광고) 안녕하세요 {{1}}님, 봄 세일이 시작되었어요. 지금 확인해 보세요.",
  examples: { "1": "김민수" },
  footer: null,
  buttons: [{ kind: "QUICK_REPLY", text: "STOP" }],
};

const draft = (template: Partial<Template> = {}, wabaId: string | null = "1022") => ({
  template: { ...base, ...template },
  lint: [],
  wabaId,
  senderId: null,
  status: "DRAFT" as const,
  createdBy: null,
  source: "create" as const,
  event: "CREATED",
});

for (const dialect of DIALECTS) {
  describe(`templates on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("stores the domain template as JSON and reads it back unchanged, with a CREATED history entry", async () => {
      const saved = await insertTemplate(store.db, draft(), now);
      const read = await getTemplate(store.db, saved.id);
      expect(read.template).toEqual(base);
      expect(read).toMatchObject({ status: "DRAFT", wabaId: "1022", quality: "UNKNOWN", statusChangedAt: now });
      const history = await listTemplateHistory(store.db, saved.id);
      expect(history).toMatchObject([{ event: "CREATED", source: "create", status: "DRAFT", previousStatus: null }]);
    });

    it("refuses a second template with the same name and language on one account, but not on another", async () => {
      await insertTemplate(store.db, draft(), now);
      await expect(insertTemplate(store.db, draft(), now)).rejects.toMatchObject({ code: "conflict" });
      await insertTemplate(store.db, draft({}, "2033"), now);
      await insertTemplate(store.db, draft({ language: "en_US" }), now);
      expect(await listVariants(store.db, "1022", "spring_sale")).toMatchObject([
        { language: "en_US" },
        { language: "ko" },
      ]);
    });

    it("keeps two unassigned drafts from sharing a name and language too", async () => {
      await insertTemplate(store.db, draft({}, null), now);
      await expect(insertTemplate(store.db, draft({}, null), now)).rejects.toMatchObject({ code: "conflict" });
      expect((await findTemplateByKey(store.db, null, "spring_sale", "ko"))?.wabaId).toBeNull();
    });

    it("frees the name of a deleted template, and keeps the deleted one findable by Meta's id", async () => {
      const first = await insertTemplate(store.db, draft(), now);
      await inTransaction(store.db, async (trx) => {
        const submitted = await recordTemplateChange(
          trx,
          first,
          { source: "submit", event: "SUBMITTED", status: "PENDING", providerTemplateId: "5944", submittedAt: now },
          now,
        );
        await recordTemplateChange(trx, submitted, { source: "delete", event: "DELETED", status: "DELETED" }, now + 1);
      });
      const again = await insertTemplate(store.db, draft(), now + 2);
      expect(again.id).not.toBe(first.id);
      expect((await findTemplateByProviderId(store.db, "1022", "5944"))?.status).toBe("DELETED");
    });

    it("records each change with the previous status, and keeps the rejection reason only while REJECTED", async () => {
      const saved = await insertTemplate(store.db, draft(), now);
      const pending = await recordTemplateChange(
        store.db,
        saved,
        { source: "submit", event: "SUBMITTED", status: "PENDING", providerTemplateId: "77", submittedAt: now },
        now + 1_000,
      );
      const rejected = await recordTemplateChange(
        store.db,
        pending,
        { source: "webhook", event: "REJECTED", status: "REJECTED", reason: "INVALID_FORMAT", at: now + 5_000 },
        now + 6_000,
      );
      expect(rejected).toMatchObject({ rejectedReason: "INVALID_FORMAT", statusChangedAt: now + 5_000 });
      const approved = await recordTemplateChange(
        store.db,
        rejected,
        { source: "sync", event: "APPROVED", status: "APPROVED", quality: "GREEN", category: "UTILITY" },
        now + 9_000,
      );
      expect(approved).toMatchObject({ rejectedReason: null, quality: "GREEN", category: "UTILITY" });
      expect(approved.template.category).toBe("UTILITY");
      const history = await listTemplateHistory(store.db, saved.id);
      expect(history.map((h) => [h.source, h.status, h.previousStatus, h.reason, h.quality, h.category])).toEqual([
        ["create", "DRAFT", null, null, null, null],
        ["submit", "PENDING", "DRAFT", null, null, null],
        ["webhook", "REJECTED", "PENDING", "INVALID_FORMAT", null, null],
        ["sync", "APPROVED", "REJECTED", null, "GREEN", "UTILITY"],
      ]);
      expect(await hasPendingTemplates(store.db)).toBe(false);
    });

    it("pages newest first with a cursor, filtered by status, category, account and a search of name or text", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const saved = await insertTemplate(
          store.db,
          draft({ name: `promo_${i}`, category: i % 2 === 0 ? "MARKETING" : "UTILITY" }),
          now + i,
        );
        ids.push(saved.id);
      }
      const first = await listTemplates(store.db, { limit: 2 });
      expect(first.data.map((t) => t.name)).toEqual(["promo_4", "promo_3"]);
      const second = await listTemplates(store.db, { limit: 2, cursor: first.nextCursor ?? "" });
      expect(second.data.map((t) => t.name)).toEqual(["promo_2", "promo_1"]);
      const third = await listTemplates(store.db, { limit: 2, cursor: second.nextCursor ?? "" });
      expect(third).toMatchObject({ nextCursor: null });
      expect(third.data.map((t) => t.name)).toEqual(["promo_0"]);

      expect((await listTemplates(store.db, { limit: 10, category: "UTILITY" })).data).toHaveLength(2);
      expect((await listTemplates(store.db, { limit: 10, wabaId: "9999" })).data).toHaveLength(0);
      expect((await listTemplates(store.db, { limit: 10, statuses: ["APPROVED"] })).data).toHaveLength(0);
      expect((await listTemplates(store.db, { limit: 10, search: "PROMO_3" })).data.map((t) => t.name)).toEqual([
        "promo_3",
      ]);
      expect((await listTemplates(store.db, { limit: 10, search: "세일" })).data).toHaveLength(5);
      // LIKE wildcards in the search are literal characters, not patterns.
      expect((await listTemplates(store.db, { limit: 10, search: "promo%" })).data).toHaveLength(0);
      expect((await listTemplates(store.db, { limit: 10, search: "o_1" })).data.map((t) => t.name)).toEqual([
        "promo_1",
      ]);
    });

    it("leaves deleted templates out of lists unless asked for them", async () => {
      const saved = await insertTemplate(store.db, draft(), now);
      await recordTemplateChange(store.db, saved, { source: "delete", event: "DELETED", status: "DELETED" }, now);
      expect((await listTemplates(store.db, { limit: 10 })).data).toEqual([]);
      expect((await listTemplates(store.db, { limit: 10, statuses: ["DELETED"] })).data).toHaveLength(1);
    });

    it("updates content and derived columns, refusing a key another template holds", async () => {
      const one = await insertTemplate(store.db, draft(), now);
      await insertTemplate(store.db, draft({ name: "other" }), now);
      const changed = await updateTemplateContent(
        store.db,
        one.id,
        { template: { ...base, name: "renamed", category: "UTILITY" }, lint: [] },
        now + 1,
      );
      expect(changed).toMatchObject({ name: "renamed", category: "UTILITY", updatedAt: now + 1 });
      await expect(
        updateTemplateContent(store.db, one.id, { template: { ...base, name: "other" }, lint: [] }, now + 2),
      ).rejects.toMatchObject({ code: "conflict" });
      expect((await getTemplate(store.db, one.id)).name).toBe("renamed");
    });

    it("removes a draft with its history", async () => {
      const saved = await insertTemplate(store.db, draft(), now);
      await deleteTemplateRow(store.db, saved.id);
      await expect(getTemplate(store.db, saved.id)).rejects.toMatchObject({ code: "not_found" });
      expect(await listTemplateHistory(store.db, saved.id)).toEqual([]);
      await expect(deleteTemplateRow(store.db, saved.id)).rejects.toMatchObject({ code: "not_found" });
    });

    it("enforces in the schema that a template Meta knows has an account and a known status", async () => {
      await expect(
        insertTemplate(store.db, { ...draft({}, null), status: "PENDING", providerTemplateId: "1" }, now),
      ).rejects.toThrow();
      await expect(
        insertTemplate(store.db, { ...draft(), status: "SOMETHING" as unknown as "DRAFT" }, now),
      ).rejects.toThrow();
      expect((await listTemplates(store.db, { limit: 10, statuses: [] })).data).toEqual([]);
    });
  });
}
