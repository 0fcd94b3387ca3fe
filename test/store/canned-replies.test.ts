import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createCannedReply,
  deleteCannedReply,
  searchCannedReplies,
  updateCannedReply,
} from "../../src/store/canned-replies.js";
import type { Store } from "../../src/store/db.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect).
const t0 = Date.UTC(2026, 10, 26, 9);

for (const dialect of DIALECTS) {
  describe(`canned replies on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("finds replies by shortcut prefix, the preferred language first", async () => {
      const add = (shortcut: string, language: string) =>
        createCannedReply(store.db, { shortcut, title: shortcut, body: `${shortcut} ${language}`, language }, null, t0);
      await add("hours", "en");
      await add("/Hours", "ko");
      await add("shipping", "ko");
      await add("h_x", "en");
      const found = await searchCannedReplies(store.db, { q: "/ho", language: "ko" });
      expect(found.map((c) => `${c.shortcut}:${c.language}`)).toEqual(["hours:ko", "hours:en"]);
      // `_` is not a wildcard, and characters no shortcut has find nothing.
      expect((await searchCannedReplies(store.db, { q: "h_" })).map((c) => c.shortcut)).toEqual(["h_x"]);
      expect(await searchCannedReplies(store.db, { q: "h%" })).toEqual([]);
      expect(await searchCannedReplies(store.db, {})).toHaveLength(4);
    });

    it("refuses a duplicate shortcut in one language and a malformed shortcut, naming the field", async () => {
      const first = await createCannedReply(
        store.db,
        { shortcut: "refund", title: "Refund", body: "b", language: "en" },
        null,
        t0,
      );
      await expect(
        createCannedReply(store.db, { shortcut: "refund", title: "Again", body: "b", language: "en" }, null, t0),
      ).rejects.toMatchObject({ code: "conflict" });
      await expect(
        createCannedReply(store.db, { shortcut: "re fund", title: "x", body: "b", language: "en" }, null, t0),
      ).rejects.toMatchObject({ code: "validation_failed", details: { issues: [{ path: "shortcut" }] } });
      const changed = await updateCannedReply(store.db, first.id, { body: "Refunds take 3 days." }, t0 + 1);
      expect(changed).toMatchObject({ shortcut: "refund", body: "Refunds take 3 days.", updatedAt: t0 + 1 });
      await deleteCannedReply(store.db, first.id);
      await expect(deleteCannedReply(store.db, first.id)).rejects.toMatchObject({ code: "not_found" });
    });
  });
}
