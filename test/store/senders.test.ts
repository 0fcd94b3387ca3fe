import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretBox } from "../../src/secret-box.js";
import type { Store } from "../../src/store/db.js";
import {
  createSender,
  findSenderCredentialsByPhoneNumberId,
  getSenderCredentials,
  recordSenderCheck,
  updateSender,
} from "../../src/store/senders.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect) and AES-GCM. Faked: the clock.
const now = Date.UTC(2026, 10, 26);
const box = new SecretBox(Buffer.alloc(32, 9));
const input = {
  name: "Main",
  provider: "cloud" as const,
  phoneNumberId: "1065",
  wabaId: "1022",
  apiVersion: "v23.0",
  accessToken: "EAAG-token",
  appSecret: "app-secret",
  verifyToken: "verify-me",
  mpsLimit: 80,
  messagingTier: "TIER_250",
};

for (const dialect of DIALECTS) {
  describe(`senders on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("opens the sealed credentials it stored, by id and by phone number id", async () => {
      const sender = await createSender(store.db, box, input, now);
      const creds = await getSenderCredentials(store.db, box, sender.id);
      expect(creds).toMatchObject({ accessToken: "EAAG-token", appSecret: "app-secret", verifyToken: "verify-me" });
      const byPhone = await findSenderCredentialsByPhoneNumberId(store.db, box, "1065");
      expect(byPhone.map((c) => c.sender.id)).toEqual([sender.id]);
    });

    it("allows the same phone number id once per provider", async () => {
      await createSender(store.db, box, input, now);
      await expect(createSender(store.db, box, input, now)).rejects.toMatchObject({ code: "conflict" });
      await createSender(store.db, box, { ...input, provider: "sandbox" }, now);
    });

    it("does not open a credential copied from another sender's row", async () => {
      const a = await createSender(store.db, box, input, now);
      const b = await createSender(store.db, box, { ...input, phoneNumberId: "2000" }, now);
      const rowA = await store.db.selectFrom("senders").selectAll().where("id", "=", a.id).executeTakeFirstOrThrow();
      await store.db
        .updateTable("senders")
        .set({ access_token_sealed: rowA.access_token_sealed })
        .where("id", "=", b.id)
        .execute();
      await expect(getSenderCredentials(store.db, box, b.id)).rejects.toThrow();
    });

    it("records connection checks and keeps the last error until a success clears it", async () => {
      const s = await createSender(store.db, box, input, now);
      const failed = await recordSenderCheck(store.db, s.id, { ok: false, error: "190: bad token" }, now + 1);
      expect(failed).toMatchObject({ lastCheckedAt: now + 1, lastCheckError: "190: bad token" });
      const ok = await recordSenderCheck(
        store.db,
        s.id,
        { ok: true, qualityRating: "GREEN", messagingTier: "TIER_10K" },
        now + 2,
      );
      expect(ok).toMatchObject({ lastCheckError: null, qualityRating: "GREEN", messagingTier: "TIER_10K" });
      const disabled = await updateSender(store.db, box, s.id, { disabled: true }, now + 3);
      expect(disabled.disabled).toBe(true);
    });
  });
}
