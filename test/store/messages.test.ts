import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/index.js";
import { SecretBox } from "../../src/secret-box.js";
import { createCampaign } from "../../src/store/campaigns.js";
import type { Store } from "../../src/store/db.js";
import {
  countMessagesByStatus,
  countSkippedByReason,
  insertMessages,
  type NewMessage,
} from "../../src/store/messages.js";
import { insertTemplate } from "../../src/store/templates.js";
import { DIALECTS } from "../support/dialects.js";
import { createTestSender } from "../support/senders.js";

// Real: the database (each dialect), the migrations. Faked: the clock.
const now = Date.UTC(2026, 10, 26);
const box = new SecretBox(Buffer.alloc(32, 3));

const template: Template = {
  name: "spring_sale",
  language: "ko",
  category: "MARKETING",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "안녕하세요 {{1}}님, 봄 세일이 시작되었어요.",
  examples: { "1": "김민수" },
  footer: null,
  buttons: [],
};

for (const dialect of DIALECTS) {
  describe(`campaign messages on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    async function campaignWith(rows: { status: NewMessage["status"]; skip_reason: string | null }[]) {
      const sender = await createTestSender(store.db, box, now);
      const tpl = await insertTemplate(
        store.db,
        {
          template,
          lint: [],
          wabaId: "1022",
          senderId: sender.id,
          status: "APPROVED",
          createdBy: null,
          source: "create",
          event: "CREATED",
        },
        now,
      );
      const campaign = await createCampaign(
        store.db,
        {
          name: "Spring",
          senderId: sender.id,
          templateId: tpl.id,
          segmentId: null,
          variables: {},
          schedule: { kind: "now", at: null },
          category: "MARKETING",
          createdBy: null,
        },
        now,
      );
      await insertMessages(
        store.db,
        rows.map((row, i) => ({
          id: `m-${i}`,
          campaign_id: campaign.id,
          contact_seq: null,
          sender_id: sender.id,
          to_phone: `8210000000${i}`,
          origin: "campaign",
          category: "marketing",
          payload: "{}",
          status: row.status,
          skip_reason: row.skip_reason,
          due_at: now,
          created_at: now,
        })),
      );
      return campaign.id;
    }

    it("counts skipped recipients by reason, including those cancelled after launch", async () => {
      const id = await campaignWith([
        { status: "skipped", skip_reason: "opted_out" },
        { status: "skipped", skip_reason: "opted_out" },
        { status: "skipped", skip_reason: "frequency_cap" },
        { status: "skipped", skip_reason: "cancelled" },
        { status: "queued", skip_reason: null },
        { status: "queued", skip_reason: null },
      ]);
      expect(await countSkippedByReason(store.db, id)).toEqual({ opted_out: 2, frequency_cap: 1, cancelled: 1 });
      const counts = await countMessagesByStatus(store.db, id);
      expect(counts.skipped).toBe(4);
    });

    it("inserts rows beyond one statement's worth with every value", async () => {
      const rows = Array.from({ length: 250 }, (_, i) =>
        i % 5 === 0
          ? { status: "skipped" as const, skip_reason: "opted_out" }
          : { status: "queued" as const, skip_reason: null },
      );
      const id = await campaignWith(rows);
      const counts = await countMessagesByStatus(store.db, id);
      expect([counts.queued, counts.skipped]).toEqual([200, 50]);
      const last = await store.db
        .selectFrom("messages")
        .selectAll()
        .where("id", "=", "m-249")
        .executeTakeFirstOrThrow();
      expect({ ...last, due_at: Number(last.due_at), created_at: Number(last.created_at) }).toMatchObject({
        campaign_id: id,
        to_phone: "8210000000249",
        origin: "campaign",
        status: "queued",
        skip_reason: null,
        due_at: now,
        created_at: now,
        attempts: 0,
      });
    });

    it("returns no reasons when nobody was skipped", async () => {
      const id = await campaignWith([{ status: "queued", skip_reason: null }]);
      expect(await countSkippedByReason(store.db, id)).toEqual({});
    });
  });
}
