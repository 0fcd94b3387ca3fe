import type { Transaction } from "kysely";
import { isMessagingTier } from "../../domain/sender/tiers.js";
import type { Database } from "../../store/schema.js";
import { notifySenderQuality } from "../../store/webhook-notify.js";
import type { EventHandler } from "../applier.js";

/**
 * `phone_number_quality_update` (whatsapp-reference.md §4.6): the number's messaging limit changed
 * (`current_limit`), or it was flagged for low quality. Legacy events FLAGGED/UNFLAGGED still arrive:
 * FLAGGED means the quality rating fell to low, so we record RED; UNFLAGGED means it recovered to
 * medium or better without saying which, so we record YELLOW until a connection test reads the
 * exact rating. The sender is found by its WABA id and display number (the event carries no phone
 * number id).
 */
export const phoneNumberQuality: EventHandler<"phone_number_quality"> = async (
  trx: Transaction<Database>,
  event,
  now,
) => {
  const digits = event.displayPhoneNumber.replace(/\D/g, "");
  const senders = await trx
    .selectFrom("senders")
    .select(["id", "display_phone_number"])
    .where("waba_id", "=", event.wabaId)
    .execute();
  const matching = senders.filter((s) => s.display_phone_number.replace(/\D/g, "") === digits);
  if (matching.length === 0) return;
  const set: { updated_at: number; messaging_tier?: string; quality_rating?: "RED" | "YELLOW" } = { updated_at: now };
  if (event.currentLimit && isMessagingTier(event.currentLimit)) set.messaging_tier = event.currentLimit;
  if (event.event === "FLAGGED") set.quality_rating = "RED";
  if (event.event === "UNFLAGGED") set.quality_rating = "YELLOW";
  await notifySenderQuality(
    trx,
    matching.map((s) => s.id),
    set,
    event.event,
    now,
  );
  await trx
    .updateTable("senders")
    .set(set)
    .where(
      "id",
      "in",
      matching.map((s) => s.id),
    )
    .execute();
};
