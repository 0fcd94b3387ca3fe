// Turns Herald's OutboundMessage into the Cloud API's JSON body (whatsapp-platform.md §1, reference §2).
import type {
  MediaSource,
  OutboundMessage,
  TemplateButtonParameter,
  TemplateHeaderParameter,
  TemplateParameter,
} from "../provider.js";

/** A JSON value as sent on the wire. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function media(source: MediaSource): JsonObject {
  return "link" in source ? { link: source.link } : { id: source.id };
}

function parameter(p: TemplateParameter): JsonObject {
  // Named templates carry `parameter_name`; positional ones must not (Meta answers 100 otherwise).
  const named: JsonObject = p.name === undefined ? {} : { parameter_name: p.name };
  switch (p.type) {
    case "text":
      return { type: "text", ...named, text: p.text };
    case "currency":
      return {
        type: "currency",
        ...named,
        currency: { fallback_value: p.fallback, code: p.currencyCode, amount_1000: p.amount1000 },
      };
    case "date_time":
      return { type: "date_time", ...named, date_time: { fallback_value: p.fallback } };
  }
}

function headerParameter(p: TemplateHeaderParameter): JsonObject {
  if (p.type === "text") {
    return { type: "text", ...(p.name === undefined ? {} : { parameter_name: p.name }), text: p.text };
  }
  const object = media(p.media);
  if (p.type === "document" && p.filename !== undefined) object.filename = p.filename;
  return { type: p.type, [p.type]: object };
}

function buttonComponent(b: TemplateButtonParameter): JsonObject {
  const base = { type: "button", sub_type: b.subType, index: String(b.index) };
  switch (b.subType) {
    case "quick_reply":
      return { ...base, parameters: [{ type: "payload", payload: b.payload }] };
    case "url":
      return { ...base, parameters: [{ type: "text", text: b.text }] };
    case "copy_code":
      return { ...base, parameters: [{ type: "coupon_code", coupon_code: b.couponCode }] };
  }
}

function typed(message: OutboundMessage): [string, JsonObject] {
  switch (message.kind) {
    case "text":
      return ["text", { body: message.body, preview_url: message.previewUrl ?? false }];
    case "template": {
      const components: Json[] = [];
      if (message.header) components.push({ type: "header", parameters: [headerParameter(message.header)] });
      if (message.body && message.body.length > 0) {
        components.push({ type: "body", parameters: message.body.map(parameter) });
      }
      for (const b of message.buttons ?? []) components.push(buttonComponent(b));
      return ["template", { name: message.name, language: { code: message.language }, components }];
    }
    case "media": {
      const object = media(message.media);
      if (message.caption !== undefined) object.caption = message.caption;
      if (message.filename !== undefined) object.filename = message.filename;
      return [message.mediaType, object];
    }
    case "buttons":
      return [
        "interactive",
        {
          type: "button",
          ...(message.header === undefined ? {} : { header: { type: "text", text: message.header } }),
          body: { text: message.body },
          ...(message.footer === undefined ? {} : { footer: { text: message.footer } }),
          action: { buttons: message.buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })) },
        },
      ];
    case "list":
      return [
        "interactive",
        {
          type: "list",
          ...(message.header === undefined ? {} : { header: { type: "text", text: message.header } }),
          body: { text: message.body },
          ...(message.footer === undefined ? {} : { footer: { text: message.footer } }),
          action: {
            button: message.buttonLabel,
            sections: message.sections.map((s) => ({
              ...(s.title === undefined ? {} : { title: s.title }),
              rows: s.rows.map((r) => ({
                id: r.id,
                title: r.title,
                ...(r.description === undefined ? {} : { description: r.description }),
              })),
            })),
          },
        },
      ];
    case "reaction":
      return ["reaction", { message_id: message.messageId, emoji: message.emoji }];
  }
}

/** Builds the body of `POST /{version}/{phone-number-id}/messages` for one message. */
export function toCloudPayload(message: OutboundMessage): JsonObject {
  const [type, object] = typed(message);
  const body: JsonObject = { messaging_product: "whatsapp", recipient_type: "individual", to: message.to, type };
  body[type] = object;
  if (message.replyTo !== undefined) body.context = { message_id: message.replyTo };
  if (message.callbackData !== undefined) body.biz_opaque_callback_data = message.callbackData;
  return body;
}
