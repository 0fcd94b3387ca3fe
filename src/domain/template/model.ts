/**
 * The message template model: what a marketer authors and Meta reviews (whatsapp-reference.md §5.7).
 *
 * Plain JSON-serialisable data: tagged unions on `kind` for the header and the buttons, variables written in the
 * text as Meta writes them (`{{1}}` for POSITIONAL, `{{first_name}}` for NAMED). Each component carries its own
 * sample values, because Meta numbers header and body variables separately (both can have a `{{1}}`).
 */

export const TEMPLATE_CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const PARAMETER_FORMATS = ["POSITIONAL", "NAMED"] as const;
export type ParameterFormat = (typeof PARAMETER_FORMATS)[number];

export const MEDIA_HEADER_FORMATS = ["IMAGE", "VIDEO", "DOCUMENT"] as const;
export type MediaHeaderFormat = (typeof MEDIA_HEADER_FORMATS)[number];

export type TemplateHeader =
  /** ≤ 60 characters with at most one variable; `example` is the sample for that variable. */
  | { kind: "TEXT"; text: string; example?: string }
  /** `example` is the sample media: a Resumable-Upload handle or a sample URL, required by review. */
  | { kind: MediaHeaderFormat; example?: string }
  /** The location itself is given at send time. */
  | { kind: "LOCATION" };

export type OtpType = "COPY_CODE" | "ONE_TAP" | "ZERO_TAP";

export type TemplateButton =
  | { kind: "QUICK_REPLY"; text: string }
  /** `url` may end in one variable (`https://shop.example/o/{{1}}`); `example` is then the sample suffix. */
  | { kind: "URL"; text: string; url: string; example?: string }
  | { kind: "PHONE_NUMBER"; text: string; phoneNumber: string }
  /** The label is fixed by WhatsApp ("Copy offer code"); `example` is a sample code (≤ 15 characters). */
  | { kind: "COPY_CODE"; example: string }
  /** Authentication templates only; `text` is the optional label override. */
  | { kind: "OTP"; otpType: OtpType; text?: string };

export type TemplateButtonKind = TemplateButton["kind"];

export interface Template {
  /** Lowercase letters, digits and underscores, ≤ 512 characters; shared by all languages of one template. */
  name: string;
  /** Meta's language code: `ko`, `en_US`, `pt_BR`… */
  language: string;
  category: TemplateCategory;
  parameterFormat: ParameterFormat;
  header: TemplateHeader | null;
  /** ≤ 1024 characters, with variables. */
  body: string;
  /** Sample values for the body's variables, keyed by variable name ("1", "2" or "first_name"). */
  examples: Record<string, string>;
  /** ≤ 60 characters, no variables. */
  footer: string | null;
  buttons: TemplateButton[];
}
