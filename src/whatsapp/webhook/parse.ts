// Turns a webhook envelope into typed events. One POST may carry several entries, each several changes, each
// several messages/statuses (whatsapp-platform.md §4); every one becomes an event, in order. Whatever we cannot
// type is kept as `kind: "unknown"` with its raw object, never dropped (issue 3).
import type { z } from "zod";
import type { EventSource, InboundMessage, WebhookError, WebhookEvent } from "./events.js";
import {
  contactSchema,
  envelopeSchema,
  errorSchema,
  messageCommonSchema,
  messageTypeSchemas,
  metadataSchema,
  phoneQualitySchema,
  statusSchema,
  templateCategorySchema,
  templateQualitySchema,
  templateStatusSchema,
  userPreferenceSchema,
} from "./schemas.js";

type Raw = Record<string, unknown>;

function toError(e: z.infer<typeof errorSchema>): WebhookError {
  return { code: e.code, title: e.title, message: e.message, details: e.error_data?.details };
}

function isRecord(v: unknown): v is Raw {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseMessage(m: unknown): InboundMessage | string {
  const common = messageCommonSchema.safeParse(m);
  if (!common.success) return "message without id/from/timestamp/type";
  const c = common.data;
  const base = {
    id: c.id,
    from: c.from,
    timestamp: c.timestamp,
    context: c.context && {
      from: c.context.from,
      id: c.context.id,
      forwarded: c.context.forwarded === true,
      frequentlyForwarded: c.context.frequently_forwarded === true,
    },
    referral: c.referral,
  };
  const schema = (messageTypeSchemas as Record<string, z.ZodType | undefined>)[c.type];
  if (!schema) return `unknown message type "${c.type}"`;
  const parsed = schema.safeParse(m);
  if (!parsed.success) return `message of type "${c.type}" does not match its documented shape`;
  const d = parsed.data as Raw;
  switch (c.type) {
    case "text": {
      const { text } = d as z.infer<typeof messageTypeSchemas.text>;
      return { ...base, type: "text", body: text.body };
    }
    case "button": {
      const { button } = d as z.infer<typeof messageTypeSchemas.button>;
      return { ...base, type: "button", payload: button.payload, text: button.text };
    }
    case "interactive": {
      const { interactive: i } = d as z.infer<typeof messageTypeSchemas.interactive>;
      if (i.type === "button_reply" && i.button_reply) {
        const r = i.button_reply;
        return {
          ...base,
          type: "interactive",
          reply: { kind: "button_reply", id: r.id, title: r.title, description: undefined },
        };
      }
      if (i.type === "list_reply" && i.list_reply) {
        const r = i.list_reply;
        return {
          ...base,
          type: "interactive",
          reply: { kind: "list_reply", id: r.id, title: r.title, description: r.description },
        };
      }
      if (i.type === "nfm_reply" && i.nfm_reply) {
        return { ...base, type: "interactive_flow", responseJson: i.nfm_reply.response_json, body: i.nfm_reply.body };
      }
      return `unknown interactive type "${i.type}"`;
    }
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker": {
      const o = d[c.type] as z.infer<typeof messageTypeSchemas.image>["image"];
      return {
        ...base,
        type: c.type,
        media: { id: o.id, mimeType: o.mime_type, sha256: o.sha256, caption: o.caption, filename: o.filename },
      };
    }
    case "location": {
      const { location: l } = d as z.infer<typeof messageTypeSchemas.location>;
      return {
        ...base,
        type: "location",
        latitude: l.latitude,
        longitude: l.longitude,
        name: l.name,
        address: l.address,
      };
    }
    case "contacts":
      return { ...base, type: "contacts", contacts: (d as z.infer<typeof messageTypeSchemas.contacts>).contacts };
    case "reaction": {
      const { reaction: r } = d as z.infer<typeof messageTypeSchemas.reaction>;
      // An empty or absent emoji means the reaction was removed (reference §4.4).
      return { ...base, type: "reaction", messageId: r.message_id, emoji: r.emoji ? r.emoji : undefined };
    }
    case "order": {
      const { order: o } = d as z.infer<typeof messageTypeSchemas.order>;
      return { ...base, type: "order", catalogId: o.catalog_id, text: o.text, items: o.product_items ?? [] };
    }
    case "system": {
      const { system: s } = d as z.infer<typeof messageTypeSchemas.system>;
      return { ...base, type: "system", body: s.body, systemType: s.type, newWaId: s.wa_id ?? s.new_wa_id };
    }
    case "unsupported": {
      const { errors } = d as z.infer<typeof messageTypeSchemas.unsupported>;
      return { ...base, type: "unsupported", errors: (errors ?? []).map(toError) };
    }
    default:
      return `unknown message type "${c.type}"`;
  }
}

function messagesField(wabaId: string, value: unknown, out: WebhookEvent[]): void {
  if (!isRecord(value)) {
    out.push({ kind: "unknown", wabaId, field: "messages", reason: "value is not an object", raw: value });
    return;
  }
  const meta = metadataSchema.safeParse(value.metadata);
  const source: EventSource = {
    wabaId,
    phoneNumberId: meta.success ? meta.data.phone_number_id : undefined,
    displayPhoneNumber: meta.success ? meta.data.display_phone_number : undefined,
  };
  const names = new Map<string, string | undefined>();
  for (const c of Array.isArray(value.contacts) ? value.contacts : []) {
    const parsed = contactSchema.safeParse(c);
    if (parsed.success) names.set(parsed.data.wa_id, parsed.data.profile?.name);
  }
  for (const m of Array.isArray(value.messages) ? value.messages : []) {
    const message = parseMessage(m);
    if (typeof message === "string") {
      out.push({
        kind: "unknown",
        wabaId,
        field: "messages",
        reason: message,
        raw: { metadata: value.metadata, contacts: value.contacts, message: m },
      });
    } else {
      const contact = names.has(message.from) ? { waId: message.from, name: names.get(message.from) } : undefined;
      out.push({ kind: "message", source, contact, message });
    }
  }
  for (const s of Array.isArray(value.statuses) ? value.statuses : []) {
    const parsed = statusSchema.safeParse(s);
    if (!parsed.success) {
      out.push({
        kind: "unknown",
        wabaId,
        field: "messages",
        reason: "status does not match its documented shape",
        raw: s,
      });
      continue;
    }
    const p = parsed.data;
    out.push({
      kind: "status",
      source,
      status: {
        messageId: p.id,
        status: p.status,
        timestamp: p.timestamp,
        recipientId: p.recipient_id,
        callbackData: p.biz_opaque_callback_data,
        conversation: p.conversation && {
          id: p.conversation.id,
          originType: p.conversation.origin?.type,
          expiresAt: p.conversation.expiration_timestamp,
        },
        pricing: p.pricing && {
          billable: p.pricing.billable,
          pricingModel: p.pricing.pricing_model,
          type: p.pricing.type,
          category: p.pricing.category,
        },
        errors: (p.errors ?? []).map(toError),
      },
    });
  }
  for (const e of Array.isArray(value.errors) ? value.errors : []) {
    const parsed = errorSchema.safeParse(e);
    if (parsed.success) out.push({ kind: "error", source, error: toError(parsed.data) });
    else
      out.push({
        kind: "unknown",
        wabaId,
        field: "messages",
        reason: "error does not match its documented shape",
        raw: e,
      });
  }
  const known = new Set(["messaging_product", "metadata", "contacts", "messages", "statuses", "errors"]);
  const extra = Object.keys(value).filter((k) => !known.has(k));
  if (extra.length > 0) {
    out.push({
      kind: "unknown",
      wabaId,
      field: "messages",
      reason: `unknown value keys: ${extra.join(", ")}`,
      raw: value,
    });
  }
}

function otherField(wabaId: string, field: string, value: unknown, time: number | undefined): WebhookEvent {
  const unknown = (reason: string): WebhookEvent => ({ kind: "unknown", wabaId, field, reason, raw: value });
  switch (field) {
    case "message_template_status_update": {
      const p = templateStatusSchema.safeParse(value);
      if (!p.success) return unknown("does not match its documented shape");
      const v = p.data;
      return {
        kind: "template_status",
        wabaId,
        templateId: v.message_template_id,
        name: v.message_template_name,
        language: v.message_template_language,
        event: v.event,
        reason: v.reason ?? undefined,
        category: v.message_template_category,
        rejectionInfo: v.rejection_info && {
          reason: v.rejection_info.reason,
          recommendation: v.rejection_info.recommendation,
        },
        time,
      };
    }
    case "message_template_quality_update": {
      const p = templateQualitySchema.safeParse(value);
      if (!p.success) return unknown("does not match its documented shape");
      const v = p.data;
      return {
        kind: "template_quality",
        wabaId,
        templateId: v.message_template_id,
        name: v.message_template_name,
        language: v.message_template_language,
        previous: v.previous_quality_score,
        current: v.new_quality_score,
        time,
      };
    }
    case "template_category_update": {
      const p = templateCategorySchema.safeParse(value);
      if (!p.success) return unknown("does not match its documented shape");
      const v = p.data;
      return {
        kind: "template_category",
        wabaId,
        templateId: v.message_template_id,
        name: v.message_template_name,
        language: v.message_template_language,
        newCategory: v.new_category,
        previousCategory: v.previous_category,
        time,
      };
    }
    case "phone_number_quality_update": {
      const p = phoneQualitySchema.safeParse(value);
      if (!p.success) return unknown("does not match its documented shape");
      const v = p.data;
      return {
        kind: "phone_number_quality",
        wabaId,
        displayPhoneNumber: v.display_phone_number,
        event: v.event,
        currentLimit: v.current_limit,
        oldLimit: v.old_limit,
        time,
      };
    }
    case "account_update":
      if (isRecord(value) && typeof value.event === "string") {
        return { kind: "account_update", wabaId, event: value.event, raw: value, time };
      }
      return unknown("does not match its documented shape");
    default:
      return unknown("unknown field");
  }
}

function userPreferences(wabaId: string, value: unknown, out: WebhookEvent[]): void {
  const v = isRecord(value) ? value : {};
  const meta = metadataSchema.safeParse(v.metadata);
  const source: EventSource = {
    wabaId,
    phoneNumberId: meta.success ? meta.data.phone_number_id : undefined,
    displayPhoneNumber: meta.success ? meta.data.display_phone_number : undefined,
  };
  const list = Array.isArray(v.user_preferences) ? v.user_preferences : [];
  if (list.length === 0)
    out.push({ kind: "unknown", wabaId, field: "user_preferences", reason: "no preferences", raw: value });
  for (const item of list) {
    const p = userPreferenceSchema.safeParse(item);
    if (!p.success) {
      out.push({
        kind: "unknown",
        wabaId,
        field: "user_preferences",
        reason: "does not match its documented shape",
        raw: item,
      });
      continue;
    }
    out.push({
      kind: "user_preference",
      source,
      waId: p.data.wa_id,
      category: p.data.category,
      value: p.data.value,
      timestamp: p.data.timestamp ?? 0,
    });
  }
}

/** Parses a webhook body (already JSON-parsed, signature already checked) into typed events, keeping unknowns. */
export function parseWebhook(body: unknown): WebhookEvent[] {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success)
    return [{ kind: "unknown", wabaId: undefined, field: undefined, reason: "not a webhook envelope", raw: body }];
  const out: WebhookEvent[] = [];
  if (envelope.data.object !== "whatsapp_business_account") {
    out.push({
      kind: "unknown",
      wabaId: undefined,
      field: undefined,
      reason: `object "${envelope.data.object}"`,
      raw: body,
    });
    return out;
  }
  for (const entry of envelope.data.entry) {
    // entry.time is Unix seconds on non-messages fields (reference §4.3).
    const time = entry.time === undefined ? undefined : entry.time * 1000;
    for (const change of entry.changes) {
      if (change.field === "messages") messagesField(entry.id, change.value, out);
      else if (change.field === "user_preferences") userPreferences(entry.id, change.value, out);
      else out.push(otherField(entry.id, change.field, change.value, time));
    }
  }
  return out;
}
