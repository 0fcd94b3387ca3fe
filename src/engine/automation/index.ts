/**
 * Auto-replies (DESIGN §2 "Auto-reply"): inbound messages → the first matching rule's actions → reply rows.
 *
 * Path and why (docs/architecture.md "Auto-replies"): the webhook intake stores the POST and wakes the applier
 * at once; the applier's transaction stores the inbound message and, through BatchScope.inbound, evaluates the
 * cached rules and writes the reply as a `messages` row already leased to this process's dispatcher, with a run
 * row unique per inbound message; after the commit, BatchScope.committed hands the rows to the dispatcher, which
 * calls the provider at once through the number's rate limiter. No polling hop and no claim round trip between
 * the webhook and the provider call, and one commit covers a whole batch of inbound messages.
 * Crash: before the commit nothing happened (the webhook event is applied again, and the unique run key holds);
 * after it, an unsent row's lease expires and it becomes `unknown` (never sent twice, DESIGN invariant 1).
 */
import { sql, type Transaction } from "kysely";
import type { Logger } from "../../logger.js";
import type { Store } from "../../store/db.js";
import type { MessageRow } from "../../store/messages.js";
import type { Database } from "../../store/schema.js";
import type { BatchScope } from "../applier.js";
import type { Dispatcher } from "../dispatcher.js";
import { SEND_LEASE_MS } from "../dispatcher.js";
import type { ActiveRules } from "./rules-cache.js";
import { RulesCache } from "./rules-cache.js";
import { runAutomation, runAutomationBatch } from "./run.js";

export interface Automation {
  /** The applier's per-transaction scope: evaluate inbound messages inside it, send the replies after it. */
  scope(): BatchScope;
}

// Sender ids by phone number id, cached briefly: every inbound message asks, and senders rarely change.
const SENDER_CACHE_MS = 5_000;

/** Creates the auto-replies of one process, sending through `dispatcher`. */
export function createAutomation(deps: { store: Store; dispatcher: Dispatcher; logger: Logger }): Automation {
  const cache = new RulesCache();
  const senders = new Map<string, { at: number; id: string | null }>();

  async function senderFor(trx: Transaction<Database>, phoneNumberId: string | undefined): Promise<string | null> {
    if (phoneNumberId === undefined) return null;
    const now = Date.now();
    const hit = senders.get(phoneNumberId);
    if (hit && now - hit.at < SENDER_CACHE_MS) return hit.id;
    const row = await trx
      .selectFrom("senders")
      .select("id")
      .where("phone_number_id", "=", phoneNumberId)
      .where("disabled", "=", 0)
      .orderBy("created_at")
      .executeTakeFirst();
    if (senders.size > 1000) senders.clear();
    senders.set(phoneNumberId, { at: now, id: row?.id ?? null });
    return row?.id ?? null;
  }

  const runDeps = { leaseOwner: deps.dispatcher.owner, leaseMs: SEND_LEASE_MS, senderFor };

  return {
    scope() {
      const replies: MessageRow[] = [];
      let active: ActiveRules | null = null;
      return {
        async inbound(trx, items, now) {
          if (items.length === 0) return;
          // A savepoint keeps a failing rule from failing the inbound messages with it (PostgreSQL aborts the
          // whole transaction on an error otherwise): the messages are stored, the rules' writes are undone. The
          // round is tried at once; if anything fails, again one message at a time so only the failing one loses
          // its automation.
          await sql`savepoint automation`.execute(trx);
          try {
            active ??= await cache.current(trx);
            const written = await runAutomationBatch(trx, active, runDeps, items, now);
            await sql`release savepoint automation`.execute(trx);
            replies.push(...written);
            return;
          } catch (err) {
            await sql`rollback to savepoint automation`.execute(trx);
            await sql`release savepoint automation`.execute(trx);
            if (items.length === 1) {
              deps.logger.error(
                { err, inboundMessageId: items[0]?.inboundMessageId },
                "auto-reply failed; message kept",
              );
              return;
            }
          }
          for (const item of items) {
            await sql`savepoint automation`.execute(trx);
            try {
              active ??= await cache.current(trx);
              const reply = await runAutomation(trx, active, runDeps, item, now);
              await sql`release savepoint automation`.execute(trx);
              if (reply) replies.push(reply);
            } catch (err) {
              await sql`rollback to savepoint automation`.execute(trx);
              await sql`release savepoint automation`.execute(trx);
              deps.logger.error({ err, inboundMessageId: item.inboundMessageId }, "auto-reply failed; message kept");
            }
          }
        },
        committed() {
          if (replies.length > 0) deps.dispatcher.sendNow(replies);
        },
      };
    },
  };
}
