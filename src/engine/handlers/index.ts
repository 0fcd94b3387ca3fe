import type { EventHandlers } from "../applier.js";
import { templateCategory, templateQuality, templateStatus } from "../template-events.js";
import { inboundMessage, userPreference } from "./inbound.js";
import { messageStatus } from "./message-status.js";
import { phoneNumberQuality } from "./sender-events.js";

/**
 * Which webhook event kinds Herald acts on, and with what. `null` means "not acted on yet": such
 * events are kept (the raw POST is stored) and counted as unhandled on their row, visible in
 * GET /api/v1/webhook-events?unhandled=true. Each feature replaces its nulls as it lands.
 */
export function createEventHandlers(): EventHandlers {
  return {
    message: inboundMessage,
    status: messageStatus,
    error: null,
    template_status: templateStatus,
    template_quality: templateQuality,
    template_category: templateCategory,
    phone_number_quality: phoneNumberQuality,
    account_update: null,
    user_preference: userPreference,
    unknown: null,
  };
}
