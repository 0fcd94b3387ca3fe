import type { EventHandlers } from "../applier.js";
import { phoneNumberQuality } from "./sender-events.js";

/**
 * Which webhook event kinds Herald acts on, and with what. `null` means "not acted on yet": such
 * events are kept (the raw POST is stored) and counted as unhandled on their row, visible in
 * GET /api/v1/webhook-events?unhandled=true. Each feature replaces its nulls as it lands.
 */
export function createEventHandlers(): EventHandlers {
  return {
    message: null,
    status: null,
    error: null,
    template_status: null,
    template_quality: null,
    template_category: null,
    phone_number_quality: phoneNumberQuality,
    account_update: null,
    user_preference: null,
    unknown: null,
  };
}
