/**
 * The webhook applier's handlers for template events (`message_template_status_update`,
 * `message_template_quality_update`, `template_category_update`; whatsapp-platform.md §4): each passes its event
 * to `applyTemplateStatusUpdate` inside the applier's transaction. The event's time is not passed on: Herald's clock
 * and the sender of the webhook (a virtual-time sandbox, a test clock) need not agree, and a stale verdict from a
 * reordered delivery is corrected by the next template sync (at most 10 minutes later).
 */
import type { EventHandler } from "./applier.js";
import { applyTemplateStatusUpdate } from "./templates.js";

/** Meta's verdict or status change for one template. */
export const templateStatus: EventHandler<"template_status"> = async (trx, event, now) => {
  await applyTemplateStatusUpdate(
    trx,
    {
      wabaId: event.wabaId,
      providerTemplateId: event.templateId,
      name: event.name,
      language: event.language,
      event: event.event,
      reason: event.reason,
      category: event.category,
    },
    now,
  );
};

/** A template's quality rating moved (GREEN / YELLOW / RED). */
export const templateQuality: EventHandler<"template_quality"> = async (trx, event, now) => {
  await applyTemplateStatusUpdate(
    trx,
    {
      wabaId: event.wabaId,
      providerTemplateId: event.templateId,
      name: event.name,
      language: event.language,
      quality: event.current,
    },
    now,
  );
};

/** Meta re-categorised a template (e.g. UTILITY → MARKETING for promotional content). */
export const templateCategory: EventHandler<"template_category"> = async (trx, event, now) => {
  await applyTemplateStatusUpdate(
    trx,
    {
      wabaId: event.wabaId,
      providerTemplateId: event.templateId,
      name: event.name,
      language: event.language,
      category: event.newCategory,
    },
    now,
  );
};
