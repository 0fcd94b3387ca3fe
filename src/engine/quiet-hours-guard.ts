/**
 * The dispatcher's last check of campaign quiet hours. The launch and the resume already place every due time
 * outside the recipient's quiet hours (domain/campaign/quiet-hours.ts), so the claim stays `due_at <= now`; but a
 * running campaign can fall behind its due times (a large audience on a slow number, a worker stopped for hours)
 * and reach a row only once the window has begun. For claimed rows of campaigns with quiet hours, this says
 * which must wait and until when; the dispatcher puts them back to `queued` at that time (attempt not counted).
 * Cost: nothing for rows of campaigns without quiet hours (one lookup per campaign, cached: quiet hours cannot
 * change after a draft launches); otherwise one query for the batch's contact time zones and a clock reading
 * per row.
 */
import { type QuietHoursPolicy, quietDueAt, recipientTimeZone } from "../domain/campaign/quiet-hours.js";
import { normalizePhone } from "../domain/phone/index.js";
import type { Store } from "../store/db.js";
import type { MessageRow } from "../store/messages.js";

export class QuietHoursGuard {
  readonly #store: Store;
  readonly #policies = new Map<string, QuietHoursPolicy | null>();
  readonly #prefixZones = new Map<string, string>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** Row id → the time it may be sent, for the claimed rows that must not go out at `now`. */
  async deferrals(rows: readonly MessageRow[], now: number): Promise<Map<string, number>> {
    const deferred = new Map<string, number>();
    const guarded: { row: MessageRow; policy: QuietHoursPolicy }[] = [];
    for (const row of rows) {
      if (row.campaign_id === null) continue;
      const policy = await this.#policy(row.campaign_id);
      if (policy !== null) guarded.push({ row, policy });
    }
    if (guarded.length === 0) return deferred;
    const seqs = [...new Set(guarded.map((g) => g.row.contact_seq).filter((s): s is number => s !== null))];
    const zones = new Map<number, string | null>();
    if (seqs.length > 0) {
      const found = await this.#store.db
        .selectFrom("contacts")
        .select(["seq", "time_zone"])
        .where("seq", "in", seqs)
        .execute();
      for (const c of found) zones.set(c.seq, c.time_zone);
    }
    for (const { row, policy } of guarded) {
      const own = row.contact_seq === null ? null : (zones.get(row.contact_seq) ?? null);
      const next = quietDueAt(now, own ?? this.#numberZone(row.to_phone), policy);
      if (next > now) deferred.set(row.id, next);
    }
    return deferred;
  }

  /**
   * The zone of a number's country, as the launcher finds it (recipientTimeZone). Normalising a number costs about
   * 14 µs of CPU; the country (hence the zone) is decided by the number's first digits (the calling code and, for
   * the shared codes, the area code: +1 415…, +7 7…, +44 7797…, +61 8 9164… for Christmas Island), so the answer
   * is kept per 7-digit prefix.
   */
  #numberZone(digits: string): string {
    const prefix = digits.slice(0, 7);
    let zone = this.#prefixZones.get(prefix);
    if (zone === undefined) {
      const phone = normalizePhone(`+${digits}`);
      zone = recipientTimeZone(null, phone.ok ? phone.country : null);
      if (this.#prefixZones.size >= 10_000) this.#prefixZones.clear();
      this.#prefixZones.set(prefix, zone);
    }
    return zone;
  }

  async #policy(campaignId: string): Promise<QuietHoursPolicy | null> {
    const known = this.#policies.get(campaignId);
    if (known !== undefined) return known;
    const row = await this.#store.db
      .selectFrom("campaigns")
      .select(["quiet_start_hour", "quiet_end_hour"])
      .where("id", "=", campaignId)
      .executeTakeFirst();
    const policy =
      row && row.quiet_start_hour !== null && row.quiet_end_hour !== null
        ? { startHour: row.quiet_start_hour, endHour: row.quiet_end_hour }
        : null;
    this.#policies.set(campaignId, policy);
    return policy;
  }
}
