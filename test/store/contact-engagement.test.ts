import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engagementMetrics, type Interaction } from "../../src/domain/metrics/heat.js";
import { DAY_MS } from "../../src/domain/metrics/orders.js";
import { recordInbound } from "../../src/store/contact-metrics.js";
import { refreshAllMetrics } from "../../src/store/contact-metrics-refresh.js";
import { upsertContacts } from "../../src/store/contacts-upsert.js";
import type { Store } from "../../src/store/db.js";
import { insertMessages } from "../../src/store/messages.js";
import { DIALECTS } from "../support/dialects.js";

// Real: the database (each dialect) and the set-based refresh. The domain's engagementMetrics is the
// specification: last read, read rate and heat computed in SQL from stored messages must equal it.
const NOW = Date.UTC(2026, 10, 26, 9);
const HOUR = 3_600_000;

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Sample {
  phone: string;
  createdAt: number;
  interactions: Interaction[];
}

/** Contacts with sends over 200 days: unread, delivered, read, reads without a delivered receipt, future stamps. */
function samples(count: number): Sample[] {
  const random = rng(7);
  return Array.from({ length: count }, (_, index) => {
    const interactions: Interaction[] = [];
    const sends = index % 5 === 0 ? 0 : Math.floor(random() * 8);
    for (let k = 0; k < sends; k++) {
      const at = NOW - Math.floor(random() * 200 * DAY_MS);
      const fate = random();
      const deliveredAt = fate < 0.15 ? null : at + Math.floor(random() * HOUR);
      const readAt = fate < 0.5 ? null : (deliveredAt ?? at) + Math.floor(random() * 48 * HOUR);
      interactions.push({ kind: "outbound", at, deliveredAt: fate > 0.9 ? null : deliveredAt, readAt });
    }
    // A read stamped after `now` (a clock ahead of ours) counts from its time, not before.
    if (index % 7 === 1) interactions.push({ kind: "outbound", at: NOW - HOUR, deliveredAt: NOW, readAt: NOW + HOUR });
    if (random() < 0.3) interactions.push({ kind: "inbound", at: NOW - Math.floor(random() * 120 * DAY_MS) });
    return {
      phone: `+8210${String(40_000_000 + index * 17).padStart(8, "0")}`,
      createdAt: NOW - Math.floor(random() * 300) * DAY_MS,
      interactions,
    };
  });
}

for (const dialect of DIALECTS) {
  describe(`engagement metrics from stored messages (${dialect.name})`, () => {
    let store: Store;
    const base = samples(150);
    const seqs: number[] = [];

    beforeAll(async () => {
      store = await dialect.open();
      const db = store.db;
      const outcomes = await upsertContacts(
        db,
        base.map((s) => ({ phone: s.phone, phoneCountry: "KR" })),
        NOW,
      );
      const messages = [];
      for (const [index, sample] of base.entries()) {
        const seq = outcomes[index]?.seq ?? 0;
        seqs.push(seq);
        await db.updateTable("contacts").set({ created_at: sample.createdAt }).where("seq", "=", seq).execute();
        for (const [k, interaction] of sample.interactions.entries()) {
          if (interaction.kind === "inbound") {
            await recordInbound(db, outcomes[index]?.id ?? "", interaction.at, NOW);
            continue;
          }
          messages.push({
            row: {
              id: `m-${index}-${k}`,
              campaign_id: null,
              contact_seq: seq,
              sender_id: "s1",
              to_phone: sample.phone,
              origin: "test" as const,
              category: "MARKETING",
              payload: "{}",
              status: "queued" as const,
              skip_reason: null,
              due_at: interaction.at,
              created_at: interaction.at,
            },
            interaction,
          });
        }
      }
      await insertMessages(
        db,
        messages.map((m) => m.row),
      );
      for (const { row, interaction } of messages) {
        await db
          .updateTable("messages")
          .set({
            status: interaction.readAt !== null ? "read" : interaction.deliveredAt !== null ? "delivered" : "sent",
            provider_message_id: `wamid.${row.id}`,
            sent_at: interaction.at,
            delivered_at: interaction.deliveredAt,
            read_at: interaction.readAt,
          })
          .where("id", "=", row.id)
          .execute();
      }
      await refreshAllMetrics(db, NOW);
    });
    afterAll(async () => store.close());

    it("derives last read, read rate and heat like the domain", async () => {
      const all = await store.db
        .selectFrom("contact_metrics")
        .select(["contact_seq", "last_read_at", "read_rate", "heat", "last_inbound_at"])
        .execute();
      const bySeq = new Map(all.map((row) => [row.contact_seq, row]));
      let withRate = 0;
      let withFutureRead = 0;
      for (const [index, sample] of base.entries()) {
        const expected = engagementMetrics(sample.interactions, sample.createdAt, NOW);
        const row = bySeq.get(seqs[index] as number);
        expect({ seq: index, lastReadAt: row?.last_read_at ?? null, heat: row?.heat }).toEqual({
          seq: index,
          lastReadAt: expected.lastReadAt,
          heat: expected.heat,
        });
        if (expected.readRate === null) expect(row?.read_rate ?? null).toBeNull();
        else expect(row?.read_rate).toBeCloseTo(expected.readRate, 12);
        if (expected.readRate !== null) withRate++;
        if (sample.interactions.some((i) => i.kind === "outbound" && i.readAt !== null && i.readAt > NOW))
          withFutureRead++;
      }
      // The sample exercises what it claims to.
      expect(withRate).toBeGreaterThan(50);
      expect(withFutureRead).toBeGreaterThan(0);
      expect(new Set(all.map((row) => row.heat)).size).toBeGreaterThanOrEqual(3);
    });
  });
}
