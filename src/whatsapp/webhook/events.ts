// Typed webhook events: one `{ kind }` per thing the applier handles (DESIGN habit 11). Anything we cannot type
// (a new message type, a new field, a payload that breaks its documented shape) becomes `kind: "unknown"` with
// the raw object, so nothing Meta sent is dropped. Times are epoch milliseconds (Meta sends seconds).

/** Which WABA and number an event belongs to (`entry[].id`, `value.metadata`). */
export interface EventSource {
  wabaId: string;
  phoneNumberId: string | undefined;
  displayPhoneNumber: string | undefined;
}

/** An error object as Meta puts it in statuses, messages and `value.errors`. */
export interface WebhookError {
  code: number;
  title: string | undefined;
  message: string | undefined;
  details: string | undefined;
}

/** Reply context of an inbound message (`context`). */
export interface InboundContext {
  from: string | undefined;
  id: string | undefined;
  forwarded: boolean;
  frequentlyForwarded: boolean;
}

/** A media object of an inbound message. */
export interface InboundMedia {
  id: string;
  mimeType: string | undefined;
  sha256: string | undefined;
  caption: string | undefined;
  filename: string | undefined;
}

interface InboundCommon {
  id: string;
  from: string;
  timestamp: number;
  context: InboundContext | undefined;
  /** Click-to-WhatsApp ad referral, as Meta sent it (opens a free entry point). */
  referral: Record<string, unknown> | undefined;
}

/** An inbound message by type (reference §4.4). */
export type InboundMessage = InboundCommon &
  (
    | { type: "text"; body: string }
    | { type: "button"; payload: string; text: string }
    | {
        type: "interactive";
        reply: { kind: "button_reply" | "list_reply"; id: string; title: string; description: string | undefined };
      }
    | { type: "interactive_flow"; responseJson: string; body: string | undefined }
    | { type: "image" | "video" | "audio" | "document" | "sticker"; media: InboundMedia }
    | { type: "location"; latitude: number; longitude: number; name: string | undefined; address: string | undefined }
    | { type: "contacts"; contacts: Record<string, unknown>[] }
    | { type: "reaction"; messageId: string; emoji: string | undefined }
    | { type: "order"; catalogId: string | undefined; text: string | undefined; items: Record<string, unknown>[] }
    | { type: "system"; body: string | undefined; systemType: string | undefined; newWaId: string | undefined }
    | { type: "unsupported"; errors: WebhookError[] }
  );

/** Pricing of a status (reference §4.5): on `sent` and on one of delivered/read. */
export interface StatusPricing {
  billable: boolean | undefined;
  pricingModel: string | undefined;
  /** "regular", "free_customer_service", "free_entry_point" */
  type: string | undefined;
  category: string | undefined;
}

/** A delivery status of a message we sent. */
export interface StatusUpdate {
  messageId: string;
  status: "sent" | "delivered" | "read" | "failed" | "played" | "deleted";
  timestamp: number;
  recipientId: string;
  callbackData: string | undefined;
  conversation: { id: string; originType: string | undefined; expiresAt: number | undefined } | undefined;
  pricing: StatusPricing | undefined;
  errors: WebhookError[];
}

/** One webhook event. */
export type WebhookEvent =
  | {
      kind: "message";
      source: EventSource;
      contact: { waId: string; name: string | undefined } | undefined;
      message: InboundMessage;
    }
  | { kind: "status"; source: EventSource; status: StatusUpdate }
  | { kind: "error"; source: EventSource; error: WebhookError }
  | {
      kind: "template_status";
      wabaId: string;
      templateId: string;
      name: string;
      language: string;
      event: string;
      reason: string | undefined;
      category: string | undefined;
      rejectionInfo: { reason: string; recommendation: string | undefined } | undefined;
      time: number | undefined;
    }
  | {
      kind: "template_quality";
      wabaId: string;
      templateId: string;
      name: string;
      language: string;
      previous: string | undefined;
      current: string;
      time: number | undefined;
    }
  | {
      kind: "template_category";
      wabaId: string;
      templateId: string;
      name: string;
      language: string;
      newCategory: string;
      previousCategory: string | undefined;
      time: number | undefined;
    }
  | {
      kind: "phone_number_quality";
      wabaId: string;
      displayPhoneNumber: string;
      event: string;
      currentLimit: string | undefined;
      oldLimit: string | undefined;
      time: number | undefined;
    }
  | { kind: "account_update"; wabaId: string; event: string; raw: Record<string, unknown>; time: number | undefined }
  | { kind: "user_preference"; source: EventSource; waId: string; category: string; value: string; timestamp: number }
  | { kind: "unknown"; wabaId: string | undefined; field: string | undefined; reason: string; raw: unknown };

/** The kinds of WebhookEvent, for exhaustive handler maps. */
export type WebhookEventKind = WebhookEvent["kind"];
