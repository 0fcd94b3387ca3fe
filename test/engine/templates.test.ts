import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/index.js";
import { ProviderRegistry } from "../../src/engine/providers.js";
import { templateCategory, templateQuality, templateStatus } from "../../src/engine/template-events.js";
import { startTemplateSync } from "../../src/engine/template-sync.js";
import { applyTemplateStatusUpdate } from "../../src/engine/templates.js";
import { SecretBox } from "../../src/secret-box.js";
import type { Store } from "../../src/store/db.js";
import { createSender } from "../../src/store/senders.js";
import {
  getTemplate,
  insertTemplate,
  listTemplateHistory,
  listTemplates,
  recordTemplateChange,
  type StoredTemplate,
} from "../../src/store/templates.js";
import { createCloudApiProvider } from "../../src/whatsapp/cloud-api/client.js";
import { type Sandbox, startSandbox } from "../../src/whatsapp/sandbox/index.js";
import { DIALECTS, sqlite } from "../support/dialects.js";

// Real: the database (each dialect); for the loop, the Cloud API client and the sandbox over HTTP. Faked: the clock.
const now = Date.UTC(2026, 10, 26);
const WABA = "102290129340398";

const template: Template = {
  name: "order_shipped",
  language: "ko",
  category: "UTILITY",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "안녕하세요 {{1}}님, 주문하신 상품이 발송되었습니다.",
  examples: { "1": "김민수" },
  footer: null,
  buttons: [],
};

async function submitted(store: Store, status: "PENDING" | "DRAFT" = "PENDING"): Promise<StoredTemplate> {
  const draft = await insertTemplate(
    store.db,
    {
      template,
      lint: [],
      wabaId: WABA,
      senderId: null,
      status: "DRAFT",
      createdBy: null,
      source: "create",
      event: "CREATED",
    },
    now,
  );
  if (status === "DRAFT") return draft;
  return recordTemplateChange(
    store.db,
    draft,
    { source: "submit", event: "SUBMITTED", status: "PENDING", providerTemplateId: "5944", submittedAt: now },
    now,
  );
}

const update = { wabaId: WABA, providerTemplateId: "5944", name: "order_shipped", language: "ko" };

for (const dialect of DIALECTS) {
  describe(`template updates from Meta on ${dialect.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("applies a verdict once: a duplicate delivery changes nothing and adds no history", async () => {
      const t = await submitted(store);
      const first = await applyTemplateStatusUpdate(
        store.db,
        { ...update, event: "APPROVED", reason: "NONE" },
        now + 1,
      );
      expect(first).toEqual({ outcome: "applied", templateId: t.id });
      const again = await applyTemplateStatusUpdate(
        store.db,
        { ...update, event: "APPROVED", reason: "NONE" },
        now + 2,
      );
      expect(again).toEqual({ outcome: "unchanged", templateId: t.id });
      const history = await listTemplateHistory(store.db, t.id);
      expect(history.map((h) => [h.source, h.event, h.status])).toEqual([
        ["create", "CREATED", "DRAFT"],
        ["submit", "SUBMITTED", "PENDING"],
        ["webhook", "APPROVED", "APPROVED"],
      ]);
    });

    it("follows a quality drop to PAUSED and back: quality RED, paused with reason, reinstated as APPROVED", async () => {
      const t = await submitted(store);
      await applyTemplateStatusUpdate(store.db, { ...update, event: "APPROVED" }, now + 1);
      await applyTemplateStatusUpdate(store.db, { ...update, quality: "RED" }, now + 2);
      expect(await getTemplate(store.db, t.id)).toMatchObject({ status: "APPROVED", quality: "RED" });
      await applyTemplateStatusUpdate(store.db, { ...update, event: "PAUSED", reason: "LOW_QUALITY" }, now + 3);
      await applyTemplateStatusUpdate(store.db, { ...update, event: "REINSTATED" }, now + 4);
      const history = await listTemplateHistory(store.db, t.id);
      expect(history.slice(2).map((h) => [h.event, h.status, h.reason, h.quality])).toEqual([
        ["APPROVED", "APPROVED", null, null],
        ["QUALITY_RED", "APPROVED", null, "RED"],
        ["PAUSED", "PAUSED", "LOW_QUALITY", null],
        ["REINSTATED", "APPROVED", null, null],
      ]);
    });

    it("keeps Meta's rejection reason and a re-categorisation (also in the stored content)", async () => {
      const t = await submitted(store);
      await applyTemplateStatusUpdate(store.db, { ...update, event: "REJECTED", reason: "INCORRECT_CATEGORY" }, now);
      expect(await getTemplate(store.db, t.id)).toMatchObject({
        status: "REJECTED",
        rejectedReason: "INCORRECT_CATEGORY",
      });
      await applyTemplateStatusUpdate(store.db, { ...update, category: "MARKETING" }, now + 1);
      const read = await getTemplate(store.db, t.id);
      expect(read).toMatchObject({ category: "MARKETING", status: "REJECTED" });
      expect(read.template.category).toBe("MARKETING");
      expect((await listTemplateHistory(store.db, t.id)).at(-1)).toMatchObject({
        event: "CATEGORY_MARKETING",
        category: "MARKETING",
      });
    });

    it("ignores an update older than the status it would replace (Meta may reorder deliveries)", async () => {
      const t = await submitted(store);
      await applyTemplateStatusUpdate(store.db, { ...update, event: "PAUSED", time: now + 10_000 }, now + 10_000);
      const late = await applyTemplateStatusUpdate(store.db, { ...update, event: "APPROVED", time: now + 5_000 }, now);
      expect(late).toEqual({ outcome: "stale", templateId: t.id });
      expect((await getTemplate(store.db, t.id)).status).toBe("PAUSED");
    });

    it("finds a template by name and language when Meta's id is not recorded yet, but never a draft", async () => {
      const t = await submitted(store);
      const raced = await applyTemplateStatusUpdate(
        store.db,
        { ...update, providerTemplateId: "7777", event: "APPROVED" },
        now,
      );
      expect(raced).toEqual({ outcome: "applied", templateId: t.id });
      expect((await getTemplate(store.db, t.id)).providerTemplateId).toBe("7777");

      await recordTemplateChange(
        store.db,
        await getTemplate(store.db, t.id),
        { source: "delete", event: "DELETED", status: "DELETED" },
        now,
      );
      await submitted(store, "DRAFT");
      expect(
        await applyTemplateStatusUpdate(store.db, { ...update, providerTemplateId: "8888", event: "APPROVED" }, now),
      ).toEqual({ outcome: "unknown_template" });
      expect(
        await applyTemplateStatusUpdate(store.db, { ...update, providerTemplateId: "7777", event: "APPROVED" }, now),
      ).toEqual({ outcome: "ignored_deleted", templateId: t.id });
    });

    it("takes the applier's parsed template events: status, quality and category", async () => {
      const t = await submitted(store);
      const ids = { wabaId: WABA, templateId: "5944", name: "order_shipped", language: "ko", time: 1 };
      await store.db.transaction().execute(async (trx) => {
        await templateStatus(
          trx,
          {
            kind: "template_status",
            ...ids,
            event: "APPROVED",
            reason: "NONE",
            category: "UTILITY",
            rejectionInfo: undefined,
          },
          now + 1,
        );
        await templateQuality(
          trx,
          { kind: "template_quality", ...ids, previous: "UNKNOWN", current: "YELLOW" },
          now + 2,
        );
        await templateCategory(
          trx,
          { kind: "template_category", ...ids, newCategory: "MARKETING", previousCategory: "UTILITY" },
          now + 3,
        );
      });
      expect(await getTemplate(store.db, t.id)).toMatchObject({
        status: "APPROVED",
        quality: "YELLOW",
        category: "MARKETING",
      });
      // The event's own time (here 1 ms after the epoch) is not used: the update is not taken as stale.
      expect((await listTemplateHistory(store.db, t.id)).map((h) => h.event).slice(2)).toEqual([
        "APPROVED",
        "QUALITY_YELLOW",
        "CATEGORY_MARKETING",
      ]);
    });

    it("reports an event it does not know instead of failing, and runs inside the caller's transaction", async () => {
      const t = await submitted(store);
      expect(await applyTemplateStatusUpdate(store.db, { ...update, event: "SOMETHING_NEW" }, now)).toEqual({
        outcome: "unknown_event",
      });
      await expect(
        store.db.transaction().execute(async (trx) => {
          await applyTemplateStatusUpdate(trx, { ...update, event: "APPROVED" }, now);
          throw new Error("the applier's batch failed");
        }),
      ).rejects.toThrow("batch failed");
      expect((await getTemplate(store.db, t.id)).status).toBe("PENDING");
      expect(await listTemplateHistory(store.db, t.id)).toHaveLength(2);
    });
  });
}

describe("the periodic template sync", () => {
  let sandbox: Sandbox & { origin: string };
  let store: Store;
  let providers: ProviderRegistry;
  const token = "sandbox-token-sync-loop-01";
  const box = new SecretBox(Buffer.alloc(32, 3));

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      clock: "virtual",
      templateReviewDelayMs: 1_000,
      phoneNumbers: [
        { id: "1065", wabaId: WABA, displayPhoneNumber: "15550783881", accessToken: token, appSecret: "s3cret-x" },
      ],
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    store = await sqlite.open();
    providers = new ProviderRegistry({ cloudOrigin: "http://127.0.0.1:9", sandboxOrigin: sandbox.origin });
  });
  afterEach(async () => {
    await providers.close();
    await store.close();
  });

  const sender = (overrides: { wabaId?: string; apiOrigin?: string }) =>
    createSender(
      store.db,
      box,
      {
        name: "Sandbox",
        provider: "sandbox",
        phoneNumberId: "1065",
        wabaId: WABA,
        apiVersion: "v23.0",
        accessToken: token,
        appSecret: "s3cret-x",
        verifyToken: "verify-x1",
        mpsLimit: 80,
        messagingTier: "TIER_10K",
        ...overrides,
      },
      now,
    );

  it("imports at once on start, logs a failing account without stopping, and stops cleanly", async () => {
    const outside = createCloudApiProvider({ origin: sandbox.origin, version: "v23.0" });
    await outside.createTemplate(
      { phoneNumberId: "1065", wabaId: WABA, accessToken: token },
      {
        name: "hello",
        language: "en_US",
        category: "UTILITY",
        components: [{ type: "BODY", text: "Hello there, welcome." }],
      },
    );
    await outside.close();
    await sender({});
    const broken = await createSender(
      store.db,
      box,
      {
        name: "Unreachable",
        provider: "cloud",
        phoneNumberId: "2000",
        wabaId: "555",
        apiOrigin: "http://127.0.0.1:9",
        apiVersion: "v23.0",
        accessToken: "token-xyz-123",
        appSecret: "s3cret-y",
        verifyToken: "verify-y1",
        mpsLimit: 80,
        messagingTier: "TIER_250",
      },
      now,
    );
    const logged: { level: string; fields: object; message: string }[] = [];
    const logger = {
      info: (fields: object, message: string) => logged.push({ level: "info", fields, message }),
      warn: (fields: object, message: string) => logged.push({ level: "warn", fields, message }),
    };
    const loop = startTemplateSync({ store, box, providers, logger, intervalMs: 60_000, now: () => now });
    for (let i = 0; i < 100 && logged.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await loop.stop();
    const [imported] = (await listTemplates(store.db, { limit: 10 })).data;
    expect(imported).toMatchObject({ name: "hello", status: "PENDING" });
    expect(logged).toContainEqual({
      level: "warn",
      fields: expect.objectContaining({ wabaId: "555", senderId: broken.id }),
      message: "template sync failed for an account",
    });
    expect(logged).toContainEqual({
      level: "info",
      fields: expect.objectContaining({ imported: 1 }),
      message: "templates synced",
    });
  });
});
