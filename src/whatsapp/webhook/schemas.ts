// zod shapes of the documented webhook payloads (whatsapp-platform.md §4, reference §4.3–4.6). Objects are
// loose: Meta adds fields often, and an extra field must never turn a known event into a failure.
import { z } from "zod";

const str = z.string();
const opt = z.string().optional();
/** Meta sends Unix seconds as strings in messages/statuses; accept numbers too. */
export const seconds = z.union([z.string().regex(/^\d+$/), z.number()]).transform((v) => Number(v) * 1000);

export const errorSchema = z
  .object({
    code: z.coerce.number(),
    title: opt,
    message: opt,
    error_data: z.object({ details: opt }).loose().optional(),
  })
  .loose();

export const metadataSchema = z.object({ display_phone_number: opt, phone_number_id: opt }).loose();

export const contactSchema = z.object({ wa_id: str, profile: z.object({ name: opt }).loose().optional() }).loose();

export const contextSchema = z
  .object({ from: opt, id: opt, forwarded: z.boolean().optional(), frequently_forwarded: z.boolean().optional() })
  .loose();

export const messageCommonSchema = z
  .object({
    id: str,
    from: str,
    timestamp: seconds,
    type: str,
    context: contextSchema.optional(),
    referral: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

const media = z.object({ id: str, mime_type: opt, sha256: opt, caption: opt, filename: opt }).loose();

/** Per-type payload schemas of inbound messages; a type missing here is kept as `unknown`. */
export const messageTypeSchemas = {
  text: z.object({ text: z.object({ body: str }).loose() }).loose(),
  button: z.object({ button: z.object({ payload: str, text: str }).loose() }).loose(),
  interactive: z
    .object({
      interactive: z
        .object({
          type: str,
          button_reply: z.object({ id: str, title: str }).loose().optional(),
          list_reply: z.object({ id: str, title: str, description: opt }).loose().optional(),
          nfm_reply: z.object({ response_json: str, body: opt }).loose().optional(),
        })
        .loose(),
    })
    .loose(),
  image: z.object({ image: media }).loose(),
  video: z.object({ video: media }).loose(),
  audio: z.object({ audio: media }).loose(),
  document: z.object({ document: media }).loose(),
  sticker: z.object({ sticker: media }).loose(),
  location: z
    .object({
      location: z
        .object({ latitude: z.coerce.number(), longitude: z.coerce.number(), name: opt, address: opt })
        .loose(),
    })
    .loose(),
  contacts: z.object({ contacts: z.array(z.record(z.string(), z.unknown())) }).loose(),
  reaction: z.object({ reaction: z.object({ message_id: str, emoji: opt }).loose() }).loose(),
  order: z
    .object({
      order: z
        .object({ catalog_id: opt, text: opt, product_items: z.array(z.record(z.string(), z.unknown())).optional() })
        .loose(),
    })
    .loose(),
  system: z.object({ system: z.object({ body: opt, type: opt, wa_id: opt, new_wa_id: opt }).loose() }).loose(),
  unsupported: z.object({ errors: z.array(errorSchema).optional() }).loose(),
} as const;

export const statusSchema = z
  .object({
    id: str,
    status: z.enum(["sent", "delivered", "read", "failed", "played", "deleted"]),
    timestamp: seconds,
    recipient_id: str,
    biz_opaque_callback_data: opt,
    conversation: z
      .object({
        id: str,
        expiration_timestamp: seconds.optional(),
        origin: z.object({ type: opt }).loose().optional(),
      })
      .loose()
      .optional(),
    pricing: z
      .object({ billable: z.boolean().optional(), pricing_model: opt, type: opt, category: opt })
      .loose()
      .optional(),
    errors: z.array(errorSchema).optional(),
  })
  .loose();

export const templateStatusSchema = z
  .object({
    event: str,
    message_template_id: z.union([z.string(), z.number()]).transform(String),
    message_template_name: str,
    message_template_language: str,
    reason: z.string().nullable().optional(),
    message_template_category: opt,
    rejection_info: z.object({ reason: str, recommendation: opt }).loose().optional(),
  })
  .loose();

export const templateQualitySchema = z
  .object({
    previous_quality_score: opt,
    new_quality_score: str,
    message_template_id: z.union([z.string(), z.number()]).transform(String),
    message_template_name: str,
    message_template_language: str,
  })
  .loose();

export const templateCategorySchema = z
  .object({
    message_template_id: z.union([z.string(), z.number()]).transform(String),
    message_template_name: str,
    message_template_language: str,
    new_category: str,
    previous_category: opt,
  })
  .loose();

export const phoneQualitySchema = z
  .object({ display_phone_number: str, event: str, current_limit: opt, old_limit: opt })
  .loose();

export const userPreferenceSchema = z
  .object({ wa_id: str, category: str, value: str, timestamp: seconds.optional() })
  .loose();

export const envelopeSchema = z
  .object({
    object: str,
    entry: z.array(
      z
        .object({
          id: z.union([z.string(), z.number()]).transform(String),
          time: z.number().optional(),
          changes: z.array(z.object({ field: str, value: z.unknown() }).loose()),
        })
        .loose(),
    ),
  })
  .loose();
