// The Provider port: what Herald's engine needs from a WhatsApp provider, and nothing more. The Cloud API
// adapter (cloud-api/) implements it; the sandbox is reached through the same adapter by changing the origin;
// a Twilio adapter can implement it later. Types only: the engine imports this file, never an adapter.
// Failures are thrown as ProviderError (provider-error.ts), carrying Meta's code and an action verdict.

export type { ErrorAction } from "./errors.js";
export type { ProviderError } from "./provider-error.js";

/** The credentials and ids of one sender number; the adapter never stores them. */
export interface SenderRef {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
}

/** Fields every outbound message may carry. */
export interface OutboundCommon {
  /** Recipient: E.164 digits, with or without "+". */
  to: string;
  /** Reply to (quote) this message id (`context.message_id`). */
  replyTo?: string;
  /** Echoed back in status webhooks (`biz_opaque_callback_data`): Herald puts its message row id here. */
  callbackData?: string;
}

/** A media object: a public link or an uploaded media id. */
export type MediaSource = { link: string } | { id: string };

export type MediaKind = "image" | "document" | "video" | "audio" | "sticker";

/** One template parameter: text (positional or named), currency or date-time. */
export type TemplateParameter =
  | { type: "text"; text: string; name?: string }
  | { type: "currency"; fallback: string; currencyCode: string; amount1000: number; name?: string }
  | { type: "date_time"; fallback: string; name?: string };

/** The header parameter of a template: one text variable or the media of a media header. */
export type TemplateHeaderParameter =
  | { type: "text"; text: string; name?: string }
  | { type: "image" | "video" | "document"; media: MediaSource; filename?: string };

/** A dynamic button value: a quick-reply payload, a URL suffix or a coupon code. */
export type TemplateButtonParameter =
  | { subType: "quick_reply"; index: number; payload: string }
  | { subType: "url"; index: number; text: string }
  | { subType: "copy_code"; index: number; couponCode: string };

/** Reply buttons shown under an interactive message (Meta: 1–3 buttons, title ≤ 20 chars). */
export interface ReplyButton {
  id: string;
  title: string;
}

/** A list section (Meta: ≤ 10 rows in all; row title ≤ 24, description ≤ 72). */
export interface ListSection {
  title?: string;
  rows: { id: string; title: string; description?: string }[];
}

/** A message Herald sends, independent of the provider's wire format. */
export type OutboundMessage = OutboundCommon &
  (
    | { kind: "text"; body: string; previewUrl?: boolean }
    | {
        kind: "template";
        name: string;
        language: string;
        header?: TemplateHeaderParameter;
        body?: TemplateParameter[];
        buttons?: TemplateButtonParameter[];
      }
    | { kind: "media"; mediaType: MediaKind; media: MediaSource; caption?: string; filename?: string }
    | { kind: "buttons"; body: string; header?: string; footer?: string; buttons: ReplyButton[] }
    | { kind: "list"; body: string; header?: string; footer?: string; buttonLabel: string; sections: ListSection[] }
    | { kind: "reaction"; messageId: string; emoji: string }
  );

/** Pacing verdict Meta returns on template sends it is pacing (reference §2.5). */
export type MessageStatus = "accepted" | "held_for_quality_assessment" | "paused";

/** What an accepted send returns: the provider's message id (the key of later status webhooks). */
export interface SendResult {
  messageId: string;
  /** The WhatsApp id Meta resolved the recipient to; may differ from the input (Brazil, Mexico). */
  waId: string | undefined;
  input: string;
  messageStatus: MessageStatus | undefined;
}

/** Template categories Meta accepts. */
export type TemplateCategory = "MARKETING" | "UTILITY" | "AUTHENTICATION";

/** Template statuses Meta reports (reference §5.7). */
export type TemplateStatus =
  | "APPROVED"
  | "PENDING"
  | "REJECTED"
  | "PAUSED"
  | "DISABLED"
  | "IN_APPEAL"
  | "PENDING_DELETION"
  | "DELETED"
  | "LIMIT_EXCEEDED"
  | "ARCHIVED"
  | "LOCKED"
  | "FLAGGED"
  | "REINSTATED";

/** One template button definition. */
export type TemplateButtonDefinition =
  | { type: "QUICK_REPLY"; text: string }
  | { type: "URL"; text: string; url: string; example?: string[] }
  | { type: "PHONE_NUMBER"; text: string; phone_number: string }
  | { type: "COPY_CODE"; example: string }
  | { type: "OTP"; otp_type: string; text?: string };

/** One template component, in Meta's management-API shape (we keep Meta's field names here: it is Meta's data). */
export type TemplateComponentDefinition =
  | {
      type: "HEADER";
      format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
      text?: string;
      example?: { header_text?: string[]; header_handle?: string[]; header_text_named_params?: NamedExample[] };
    }
  | {
      type: "BODY";
      text: string;
      example?: { body_text?: string[][]; body_text_named_params?: NamedExample[] };
    }
  | { type: "FOOTER"; text: string }
  | { type: "BUTTONS"; buttons: TemplateButtonDefinition[] };

/** A sample value for a named variable. */
export interface NamedExample {
  param_name: string;
  example: string;
}

/** A template to submit for review. */
export interface TemplateDefinition {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat?: "POSITIONAL" | "NAMED";
  components: TemplateComponentDefinition[];
}

/** A template as the provider reports it. */
export interface TemplateRecord extends TemplateDefinition {
  id: string;
  status: TemplateStatus;
  rejectedReason?: string;
  qualityScore?: "GREEN" | "YELLOW" | "RED" | "UNKNOWN";
}

/** Filters for listing templates. */
export interface TemplateQuery {
  name?: string;
  status?: TemplateStatus;
  category?: TemplateCategory;
  language?: string;
  limit?: number;
  /** The `after` cursor of the previous page. */
  after?: string;
}

/** One page of templates. */
export interface TemplatePage {
  templates: TemplateRecord[];
  /** Cursor for the next page; undefined on the last page. */
  next: string | undefined;
}

/** The answer to creating a template: it starts PENDING (or is approved at once by some providers). */
export interface CreatedTemplate {
  id: string;
  status: TemplateStatus;
  category: TemplateCategory;
}

/** A file to upload as WhatsApp media. */
export interface MediaUpload {
  data: Uint8Array;
  mimeType: string;
  filename: string;
}

/** What the provider knows about a sender number; "test connection" shows it. */
export interface PhoneNumberInfo {
  id: string;
  displayPhoneNumber: string;
  verifiedName: string | undefined;
  qualityRating: "GREEN" | "YELLOW" | "RED" | "UNKNOWN" | undefined;
  /** e.g. "TIER_250", "TIER_UNLIMITED" */
  messagingLimit: string | undefined;
  /** "STANDARD" (80 mps) or "HIGH" (1,000 mps) */
  throughputLevel: string | undefined;
}

/** The port the engine sends through. Every method throws ProviderError on failure. */
export interface Provider {
  /** Send one message (there is no batch endpoint: one call per message). */
  send(sender: SenderRef, message: OutboundMessage): Promise<SendResult>;
  /** Mark an inbound message (and the ones before it) as read. */
  markRead(sender: SenderRef, messageId: string): Promise<void>;
  /** Upload media for later sends by id. */
  uploadMedia(sender: SenderRef, upload: MediaUpload): Promise<{ id: string }>;
  /** List templates of the sender's WABA, one page at a time. */
  listTemplates(sender: SenderRef, query?: TemplateQuery): Promise<TemplatePage>;
  /** Submit a template for review. */
  createTemplate(sender: SenderRef, definition: TemplateDefinition): Promise<CreatedTemplate>;
  /** Delete a template: every language of `name`, or the one with `id`. */
  deleteTemplate(sender: SenderRef, name: string, id?: string): Promise<void>;
  /** Read the number's profile: checks the credentials ("test connection"). */
  getPhoneNumber(sender: SenderRef): Promise<PhoneNumberInfo>;
  /** Release connections. */
  close(): Promise<void>;
}
