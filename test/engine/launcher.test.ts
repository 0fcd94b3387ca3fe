import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CampaignEstimate } from "../../src/domain/pricing/estimate.js";
import type { Template } from "../../src/domain/template/index.js";
import { launchCampaign, previewCampaign } from "../../src/engine/launcher.js";
import { newId } from "../../src/ids.js";
import { SecretBox } from "../../src/secret-box.js";
import { type CampaignAudience, createCampaign, getCampaign, transitionCampaign } from "../../src/store/campaigns.js";
import type { ValidContact } from "../../src/store/contacts-input.js";
import { upsertContacts } from "../../src/store/contacts-upsert.js";
import type { Store } from "../../src/store/db.js";
import { insertMessages, type NewMessage } from "../../src/store/messages.js";
import { createSegment } from "../../src/store/segments.js";
import { insertTemplate } from "../../src/store/templates.js";
import { DIALECTS } from "../support/dialects.js";
import { createTestSender } from "../support/senders.js";

// Real: the database (each dialect), the migrations, the launcher with every gate. Faked: the clock.
// 2026-11-26 03:00 UTC = 12:00 in Seoul, 22:00 (the day before) in New York.
const now = Date.UTC(2026, 10, 26, 3);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const box = new SecretBox(Buffer.alloc(32, 5));

const template: Template = {
  name: "spring_sale",
  language: "ko",
  category: "MARKETING",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "(광고) {{1}}님, {{2}} 매장 봄 세일이 시작되었어요.",
  examples: { "1": "김민수", "2": "강남" },
  footer: "수신거부: STOP",
  buttons: [
    { kind: "QUICK_REPLY", text: "YES" },
    { kind: "URL", text: "Shop", url: "https://shop.example/s/{{1}}", example: "spring" },
  ],
};

interface Person {
  key: string;
  contact: ValidContact;
}

/** One contact per gate (and a few that pass), each named by its key. */
function people(): Person[] {
  const kr = (n: number, rest: Partial<ValidContact> = {}): ValidContact => ({
    phone: `+82101234${String(5000 + n)}`,
    phoneCountry: "KR",
    consent: { state: "opted_in", source: "import" },
    attributes: { store: "강남" },
    ...rest,
  });
  return [
    { key: "ok", contact: kr(1, { name: "민수" }) },
    { key: "ok-fallback-name", contact: kr(2) },
    { key: "opted-out", contact: kr(3, { name: "A", consent: { state: "opted_out", reason: "import" } }) },
    { key: "never-opted-in", contact: kr(4, { name: "B", consent: { state: "unknown" } }) },
    { key: "inactive", contact: kr(5, { name: "C" }) },
    { key: "capped", contact: kr(6, { name: "D" }) },
    { key: "missing", contact: kr(7, { name: "E", attributes: {} }) },
    { key: "invalid-value", contact: kr(8, { name: "F", attributes: { store: "강\n남" } }) },
    { key: "bad-number", contact: kr(9, { name: "G" }) },
    { key: "ok-no-zone", contact: kr(10, { name: "H", timeZone: null }) },
    {
      key: "ok-us",
      contact: {
        phone: "+12025550147",
        phoneCountry: "US",
        country: "KR",
        timeZone: null,
        name: "Kim",
        consent: { state: "opted_in", source: "import" },
        attributes: { store: "강남" },
      },
    },
    { key: "ok-reader", contact: kr(12, { name: "I" }) },
  ];
}

for (const dialect of DIALECTS) {
  describe(`campaign launch on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    async function setUp(
      options: {
        schedule?: "now" | "best_hour";
        tier?: "TIER_250" | "TIER_50";
        variables?: Parameters<typeof createCampaign>[1]["variables"];
      } = {},
    ) {
      const sender = await createTestSender(store.db, box, now - DAY, { messagingTier: options.tier ?? "TIER_250" });
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
        now - DAY,
      );
      const list = people();
      const outcomes = await upsertContacts(
        store.db,
        list.map((p) => p.contact),
        now - 10 * DAY,
      );
      const seq = new Map(list.map((p, i) => [p.key, outcomes[i]?.seq ?? 0]));
      const seqOf = (key: string) => seq.get(key) ?? 0;
      // The gates' inputs that a contact write cannot set: heat, a corrupted stored number, history.
      await store.db
        .updateTable("contact_metrics")
        .set({ heat: "inactive" })
        .where("contact_seq", "=", seqOf("inactive"))
        .execute();
      await store.db.updateTable("contacts").set({ phone: "+8210" }).where("seq", "=", seqOf("bad-number")).execute();
      const history: NewMessage[] = [];
      const past = (contactSeq: number, at: number, to: string): NewMessage => ({
        id: newId(at),
        campaign_id: null,
        contact_seq: contactSeq,
        sender_id: sender.id,
        to_phone: to,
        origin: "test",
        category: "marketing",
        payload: "{}",
        status: "queued",
        skip_reason: null,
        due_at: at,
        created_at: at,
      });
      history.push(past(seqOf("capped"), now - 2 * HOUR, "821012345006"));
      // Three reads at 20:00 Seoul time (11:00 UTC) in the last months: the reader's best hour.
      const reads = [now - 16 * HOUR - DAY * 40, now - 16 * HOUR - DAY * 30, now - 16 * HOUR - DAY * 20];
      for (const at of reads) history.push({ ...past(seqOf("ok-reader"), at, "821012345012"), category: "utility" });
      await insertMessages(store.db, history);
      for (const at of reads) {
        await store.db
          .updateTable("messages")
          .set({ status: "read", provider_message_id: `wamid.${at}`, sent_at: at, read_at: at + 60_000 })
          .where("contact_seq", "=", seqOf("ok-reader"))
          .where("created_at", "=", at)
          .execute();
      }
      const segment = await createSegment(
        store.db,
        {
          name: "Everyone",
          rules: { kind: "condition", field: "contact.country", op: "eq", value: "KR" },
          excludeInactive: true,
        },
        now - DAY,
      );
      const campaign = await createCampaign(
        store.db,
        {
          name: "Spring",
          senderId: sender.id,
          templateId: tpl.id,
          segmentId: segment.id,
          variables: options.variables ?? {
            "1": { from: "field", field: "name", fallback: "고객" },
            "2": { from: "attribute", name: "store" },
            "button.1": { from: "constant", value: "spring" },
          },
          schedule: { kind: options.schedule ?? "now", at: null },
          category: "MARKETING",
          createdBy: null,
        },
        now - DAY,
      );
      await transitionCampaign(store.db, campaign.id, "launching", now);
      return { campaignId: campaign.id, seqOf, senderId: sender.id };
    }

    async function rowsOf(campaignId: string) {
      const rows = await store.db
        .selectFrom("messages")
        .select(["id", "contact_seq", "to_phone", "status", "skip_reason", "due_at", "payload", "category", "origin"])
        .where("campaign_id", "=", campaignId)
        .orderBy("contact_seq")
        .execute();
      return rows.map((r) => ({ ...r, due_at: Number(r.due_at) }));
    }

    it("writes one row per contact: queued with the rendered template, or skipped with its gate's reason", async () => {
      const { campaignId, seqOf } = await setUp();
      const preview = await previewCampaign(await getCampaign(store.db, campaignId), { store, now: () => now });
      const campaign = await launchCampaign(campaignId, { store, now: () => now });
      const rows = await rowsOf(campaignId);
      const byKey = (key: string) => rows.find((r) => r.contact_seq === seqOf(key));
      const reasons = Object.fromEntries(
        people().map((p) => [p.key, byKey(p.key)?.skip_reason ?? byKey(p.key)?.status]),
      );
      expect(reasons).toEqual({
        ok: "queued",
        "ok-fallback-name": "queued",
        "opted-out": "opted_out",
        "never-opted-in": "not_opted_in",
        inactive: "inactive_90d",
        capped: "frequency_cap",
        missing: "missing_variable",
        "invalid-value": "invalid_variable",
        "bad-number": "invalid_number",
        "ok-no-zone": "queued",
        "ok-us": "queued",
        "ok-reader": "queued",
      });
      expect(rows).toHaveLength(12);
      for (const r of rows) {
        expect(r.origin).toBe("campaign");
        expect(r.category).toBe("marketing");
        expect(r.due_at).toBe(now);
        if (r.status === "skipped") expect(r.payload).toBe("{}");
      }
      expect(byKey("ok")?.to_phone).toBe("821012345001");
      expect(byKey("bad-number")?.to_phone).toBe("8210");
      expect(JSON.parse(byKey("ok")?.payload ?? "")).toEqual({
        kind: "template",
        to: "821012345001",
        name: "spring_sale",
        language: "ko",
        body: [
          { type: "text", text: "민수" },
          { type: "text", text: "강남" },
        ],
        buttons: [{ subType: "url", index: 1, text: "spring" }],
      });
      expect(JSON.parse(byKey("ok-fallback-name")?.payload ?? "").body[0]).toEqual({ type: "text", text: "고객" });
      expect(JSON.parse(byKey("ok-us")?.payload ?? "").to).toBe("12025550147");
      const audience: CampaignAudience = {
        total: 12,
        queued: 5,
        skipped: {
          opted_out: 1,
          not_opted_in: 1,
          inactive_90d: 1,
          frequency_cap: 1,
          missing_variable: 1,
          invalid_variable: 1,
          invalid_number: 1,
        },
      };
      expect(campaign.status).toBe("running");
      expect(campaign.audience).toEqual(audience);
      expect(preview.audience).toEqual(audience);
      expect((campaign.estimate as CampaignEstimate).recipients).toBe(5);
      expect(preview.estimate).toEqual(campaign.estimate);
    });

    it("puts each recipient at their best local hour", async () => {
      const { campaignId, seqOf } = await setUp({ schedule: "best_hour" });
      await launchCampaign(campaignId, { store, now: () => now });
      const rows = await rowsOf(campaignId);
      const dueOf = (key: string) => rows.find((r) => r.contact_seq === seqOf(key))?.due_at;
      // 12:00 in Seoul now: 10:00 is tomorrow (01:00 UTC); the reader's 20:00 is today (11:00 UTC).
      expect(dueOf("ok")).toBe(Date.UTC(2026, 10, 27, 1));
      expect(dueOf("ok-no-zone")).toBe(Date.UTC(2026, 10, 27, 1));
      expect(dueOf("ok-reader")).toBe(Date.UTC(2026, 10, 26, 11));
      // No stored zone: the number's country (US → New York, 22:00 there now): 10:00 tomorrow there = 15:00 UTC.
      expect(dueOf("ok-us")).toBe(Date.UTC(2026, 10, 26, 15));
    });

    it("fills variables from metrics (a name that is no metric takes its fallback)", async () => {
      const { campaignId, seqOf } = await setUp({
        variables: {
          "1": { from: "metric", name: "orders_total" },
          "2": { from: "metric", name: "no_such_metric", fallback: "온라인" },
          "button.1": { from: "metric", name: "heat" },
        },
      });
      await store.db
        .updateTable("contact_metrics")
        .set({ orders_total: 7 })
        .where("contact_seq", "=", seqOf("ok"))
        .execute();
      await launchCampaign(campaignId, { store, now: () => now });
      const row = (await rowsOf(campaignId)).find((r) => r.contact_seq === seqOf("ok"));
      const heat = await store.db
        .selectFrom("contact_metrics")
        .select("heat")
        .where("contact_seq", "=", seqOf("ok"))
        .executeTakeFirstOrThrow();
      const payload = JSON.parse(row?.payload ?? "{}");
      expect(payload.body).toEqual([
        { type: "text", text: "7" },
        { type: "text", text: "온라인" },
      ]);
      expect(payload.buttons).toEqual([{ subType: "url", index: 1, text: heat.heat }]);
    });

    it("queues recipients beyond the sender's daily tier for the next window", async () => {
      const { campaignId, senderId } = await setUp({ tier: "TIER_50" });
      // 48 recipients reached today, and the capped contact's message 2 hours ago: 1 left in the tier of 50.
      const earlier: NewMessage[] = [];
      for (let i = 0; i < 48; i++) {
        const at = now - HOUR;
        earlier.push({
          id: newId(at),
          campaign_id: null,
          contact_seq: null,
          sender_id: senderId,
          to_phone: `8210555${String(10_000 + i)}`,
          origin: "test",
          category: "utility",
          payload: "{}",
          status: "queued",
          skip_reason: null,
          due_at: at,
          created_at: at,
        });
      }
      await insertMessages(store.db, earlier);
      await launchCampaign(campaignId, { store, now: () => now });
      const queued = (await rowsOf(campaignId)).filter((r) => r.status === "queued");
      expect(queued.map((r) => r.due_at)).toEqual([now, now + DAY, now + DAY, now + DAY, now + DAY]);
    });

    it("ends with the same rows and counts when a launch is interrupted and run again", async () => {
      const { campaignId } = await setUp({ schedule: "best_hour" });
      let pages = 0;
      await expect(
        launchCampaign(campaignId, {
          store,
          now: () => now,
          pageSize: 5,
          onProgress: () => {
            pages += 1;
            if (pages === 2) throw new Error("killed");
          },
        }),
      ).rejects.toThrow("killed");
      expect((await getCampaign(store.db, campaignId)).status).toBe("launching");
      expect(await rowsOf(campaignId)).toHaveLength(10);
      const resumed = await launchCampaign(campaignId, { store, now: () => now + 1_000, pageSize: 5 });
      const rows = await rowsOf(campaignId);
      expect(new Set(rows.map((r) => r.contact_seq)).size).toBe(12);

      // The same campaign launched without interruption, in a fresh database.
      await store.close();
      store = await dialect.open();
      const again = await setUp({ schedule: "best_hour" });
      const whole = await launchCampaign(again.campaignId, { store, now: () => now });
      const strip = (list: Awaited<ReturnType<typeof rowsOf>>) =>
        list.map(({ status, skip_reason, due_at, payload, to_phone }) => ({
          status,
          skip_reason,
          due_at,
          payload,
          to_phone,
        }));
      expect(strip(rows)).toEqual(strip(await rowsOf(again.campaignId)));
      expect(resumed.audience).toEqual(whole.audience);
    });

    it("writes nothing twice when a page is written again", async () => {
      const { campaignId } = await setUp();
      await launchCampaign(campaignId, { store, now: () => now });
      const before = await rowsOf(campaignId);
      // As if the launcher had died after the commit but before the campaign left `launching`.
      await sql`update campaigns set status = 'launching' where id = ${campaignId}`.execute(store.db);
      await store.db
        .deleteFrom("messages")
        .where("campaign_id", "=", campaignId)
        .where("contact_seq", ">", before[8]?.contact_seq ?? 0)
        .execute();
      await launchCampaign(campaignId, { store, now: () => now });
      const after = await rowsOf(campaignId);
      expect(after.map((r) => r.contact_seq)).toEqual(before.map((r) => r.contact_seq));
      expect(after.slice(0, 9).map((r) => r.id)).toEqual(before.slice(0, 9).map((r) => r.id));
      // A page written twice (new ids, same campaign and contacts) adds nothing: the unique key ignores it.
      const again = await store.db.selectFrom("messages").selectAll().where("campaign_id", "=", campaignId).execute();
      const copies: NewMessage[] = again.map((r) => ({
        id: newId(now),
        campaign_id: r.campaign_id,
        contact_seq: r.contact_seq,
        sender_id: r.sender_id,
        to_phone: r.to_phone,
        origin: r.origin,
        category: r.category,
        payload: "{}",
        status: "skipped",
        skip_reason: "cancelled",
        due_at: Number(r.due_at),
        created_at: now,
      }));
      await store.db.transaction().execute((trx) => insertMessages(trx, copies, { ignoreDuplicates: true }));
      expect(await rowsOf(campaignId)).toEqual(after);
    });
  });
}
