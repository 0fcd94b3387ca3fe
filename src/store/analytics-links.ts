/**
 * Per-recipient short links (`/r/:code`): created at launch for tracked URL buttons, resolved and counted when a
 * recipient opens one. One insert per batch of codes; one small write per click (clicks come at human speed).
 */
import { randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { linkCodeFrom } from "../domain/analytics/clicks.js";
import { newId } from "../ids.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface NewLinkCode {
  code: string;
  message_id: string;
  campaign_id: string | null;
  contact_seq: number | null;
  url: string;
  created_at: number;
}

/** A fresh random short code (10 base62 characters from the CSPRNG). */
export function newLinkCode(): string {
  for (;;) {
    const code = linkCodeFrom(randomBytes(16));
    if (code !== null) return code;
  }
}

/** Stores codes in one statement per 2,000 (a launch page's worth). */
export async function insertLinkCodes(db: Db, rows: readonly NewLinkCode[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2_000) {
    await db
      .insertInto("link_codes")
      .values(rows.slice(i, i + 2_000).map((r) => ({ ...r, first_click_at: null, clicks: 0 })))
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
  }
}

/**
 * Records one click on `code` and returns the target URL, or null for an unknown code. A person's click bumps the
 * code's counter and sets its first-click time once; a bot's click is only logged.
 */
export async function recordClick(
  db: Kysely<Database>,
  code: string,
  click: { bot: boolean; userAgent: string | null; at: number },
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const link = await trx.selectFrom("link_codes").select(["url"]).where("code", "=", code).executeTakeFirst();
    if (!link) return null;
    await trx
      .insertInto("link_clicks")
      .values({
        id: newId(click.at),
        code,
        clicked_at: click.at,
        bot: click.bot ? 1 : 0,
        user_agent: click.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    if (!click.bot) {
      await trx
        .updateTable("link_codes")
        .set((eb) => ({ clicks: eb("clicks", "+", 1) }))
        .where("code", "=", code)
        .execute();
      await trx
        .updateTable("link_codes")
        .set({ first_click_at: click.at })
        .where("code", "=", code)
        .where("first_click_at", "is", null)
        .execute();
    }
    return link.url;
  });
}
