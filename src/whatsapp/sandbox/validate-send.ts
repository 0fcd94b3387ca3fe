// Validates the body of POST /{version}/{phone-number-id}/messages like the Cloud API does, by hand (this is
// the hot path: ~30k requests/s must stay cheap). Limits are Meta's (reference §2.2); a bad field gets a 100
// naming it (whatsapp-platform.md §2).
import { badParam } from "./meta-errors.js";

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** A send that passed the generic checks (template details are checked by template-send.ts). */
export interface ParsedSend {
  kind: "message";
  /** The recipient as sent (echoed in `contacts[].input`). */
  input: string;
  /** Digits only: the WhatsApp id. */
  waId: string;
  type: string;
  payload: Raw;
  contextId: string | undefined;
  callbackData: string | undefined;
  /** Free-form text of the message, for the received log. */
  text: string | undefined;
  /** Reply buttons / list rows the user may tap. */
  choices: { id: string; title: string; description?: string; list: boolean }[];
  mediaId: string | undefined;
}

/** A mark-as-read request. */
export interface ParsedRead {
  kind: "read";
  messageId: string;
}

const TOP_KEYS = new Set([
  "messaging_product",
  "recipient_type",
  "to",
  "recipient",
  "type",
  "context",
  "biz_opaque_callback_data",
  "status",
  "message_id",
  "typing_indicator",
  "text",
  "template",
  "image",
  "document",
  "video",
  "audio",
  "sticker",
  "interactive",
  "reaction",
  "location",
  "contacts",
]);
const MEDIA_TYPES = new Set(["image", "document", "video", "audio", "sticker"]);
const NO_CHOICES: ParsedSend["choices"] = [];

function text(v: unknown, field: string, max: number, required = true): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || (required && v.length === 0)) throw badParam(field, "is required and must be a string");
  if (v.length > max) throw badParam(field, `must be at most ${max} characters long`);
  return v;
}

function media(type: string, o: unknown): string | undefined {
  if (!isObj(o)) throw badParam(type, "must be an object");
  const hasLink = typeof o.link === "string";
  const hasId = typeof o.id === "string";
  if (hasLink === hasId) throw badParam(type, "must have exactly one of link or id");
  if (hasLink && !/^https?:\/\/[^\s]+$/.test(o.link as string))
    throw badParam(`${type}['link']`, "must be an http(s) URL");
  if (o.caption !== undefined && (type === "audio" || type === "sticker"))
    throw badParam(`${type}['caption']`, "is not allowed");
  text(o.caption, `${type}['caption']`, 1024, false);
  return hasId ? (o.id as string) : undefined;
}

function interactive(o: unknown, choices: ParsedSend["choices"]): string {
  if (!isObj(o)) throw badParam("interactive", "must be an object");
  const body = isObj(o.body) ? o.body.text : undefined;
  if (isObj(o.header) && o.header.type === "text") text(o.header.text, "interactive['header']['text']", 60);
  if (o.footer !== undefined) text(isObj(o.footer) ? o.footer.text : undefined, "interactive['footer']['text']", 60);
  const action = o.action;
  if (!isObj(action)) throw badParam("interactive['action']", "is required");
  if (o.type === "button") {
    const b = text(body, "interactive['body']['text']", 1024) as string;
    const buttons = action.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
      throw badParam("interactive['action']['buttons']", "must have 1 to 3 buttons");
    }
    const ids = new Set<string>();
    const titles = new Set<string>();
    buttons.forEach((btn, i) => {
      const at = `interactive['action']['buttons'][${i}]`;
      const reply = isObj(btn) ? btn.reply : undefined;
      if (!isObj(btn) || btn.type !== "reply" || !isObj(reply)) throw badParam(at, "must be a reply button");
      const id = text(reply.id, `${at}['reply']['id']`, 256) as string;
      const title = text(reply.title, `${at}['reply']['title']`, 20) as string;
      if (id !== id.trim()) throw badParam(`${at}['reply']['id']`, "may not start or end with spaces");
      if (ids.has(id) || titles.has(title)) throw badParam(at, "duplicates another button's id or title");
      ids.add(id);
      titles.add(title);
      choices.push({ id, title, list: false });
    });
    return b;
  }
  if (o.type === "list") {
    const b = text(body, "interactive['body']['text']", 4096) as string;
    text(action.button, "interactive['action']['button']", 20);
    const sections = action.sections;
    if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
      throw badParam("interactive['action']['sections']", "must have 1 to 10 sections");
    }
    let rows = 0;
    sections.forEach((s, i) => {
      const at = `interactive['action']['sections'][${i}]`;
      if (!isObj(s) || !Array.isArray(s.rows) || s.rows.length === 0) throw badParam(`${at}['rows']`, "is required");
      text(s.title, `${at}['title']`, 24, sections.length !== 1);
      s.rows.forEach((r, j) => {
        const rt = `${at}['rows'][${j}]`;
        if (!isObj(r)) throw badParam(rt, "must be an object");
        const id = text(r.id, `${rt}['id']`, 200) as string;
        const title = text(r.title, `${rt}['title']`, 24) as string;
        const description = text(r.description, `${rt}['description']`, 72, false);
        choices.push({ id, title, ...(description === undefined ? {} : { description }), list: true });
        rows++;
      });
    });
    // Meta allows at most 10 rows across all sections (reference §2.2).
    if (rows > 10) throw badParam("interactive['action']['sections']", "may have at most 10 rows in total");
    return b;
  }
  if (o.type === "cta_url" || o.type === "flow" || o.type === "product" || o.type === "product_list") {
    return typeof body === "string" ? body : "";
  }
  throw badParam("interactive['type']", "must be button, list, cta_url, flow, product or product_list");
}

/** /^\d{6,15}$/ without a regex (this runs on every send; regexes cost more when caches are cold). */
function isPlainNumber(s: string): boolean {
  if (s.length < 6 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Parses a send body; throws SandboxFailure (Meta's 100) on the first problem. */
export function parseSend(body: unknown): ParsedSend | ParsedRead {
  if (!isObj(body)) throw badParam("body", "must be a JSON object");
  if (body.messaging_product !== "whatsapp") {
    throw badParam("messaging_product", body.messaging_product === undefined ? "is required" : "must be whatsapp");
  }
  for (const key in body) if (!TOP_KEYS.has(key)) throw badParam(key, "is not a valid parameter");
  if (body.status !== undefined) {
    if (body.status !== "read") throw badParam("status", "must be read");
    if (typeof body.message_id !== "string" || !body.message_id.startsWith("wamid.")) {
      throw badParam("message_id", "must be a message id (wamid.…)");
    }
    return { kind: "read", messageId: body.message_id };
  }
  if (body.recipient_type !== undefined && body.recipient_type !== "individual" && body.recipient_type !== "group") {
    throw badParam("recipient_type", "must be individual or group");
  }
  const input = body.to ?? body.recipient;
  if (typeof input !== "string" || input.length === 0) throw badParam("to", "is required");
  // Meta accepts digits with +, -, ( ) and spaces (reference §1).
  const waId = isPlainNumber(input) ? input : input.replace(/[\s()+-]/g, "");
  if (!isPlainNumber(waId)) throw badParam("to", "must be a phone number (6–15 digits)");
  const type = body.type === undefined ? "text" : body.type;
  if (typeof type !== "string") throw badParam("type", "must be a string");
  const payload = body[type];
  if (payload === undefined) throw badParam(type, "is required");
  let contextId: string | undefined;
  if (body.context !== undefined) {
    if (!isObj(body.context) || typeof body.context.message_id !== "string") {
      throw badParam("context['message_id']", "is required");
    }
    contextId = body.context.message_id;
  }
  const callbackData = text(body.biz_opaque_callback_data, "biz_opaque_callback_data", 512, false);
  // Only interactive messages have choices: the others share one empty list (no array per send).
  let choices: ParsedSend["choices"] = NO_CHOICES;
  let shown: string | undefined;
  let mediaId: string | undefined;
  if (type === "text") {
    shown = text(isObj(payload) ? payload.body : undefined, "text['body']", 4096);
  } else if (type === "template") {
    // Checked against the stored template by template-send.ts.
  } else if (MEDIA_TYPES.has(type)) {
    mediaId = media(type, payload);
    shown = isObj(payload) && typeof payload.caption === "string" ? payload.caption : undefined;
  } else if (type === "interactive") {
    choices = [];
    shown = interactive(payload, choices);
  } else if (type === "reaction") {
    if (!isObj(payload) || typeof payload.message_id !== "string")
      throw badParam("reaction['message_id']", "is required");
    if (typeof payload.emoji !== "string") throw badParam("reaction['emoji']", "is required");
    shown = payload.emoji;
  } else if (type === "location") {
    if (!isObj(payload) || typeof payload.latitude !== "number" || typeof payload.longitude !== "number") {
      throw badParam("location", "needs numeric latitude and longitude");
    }
  } else if (type === "contacts") {
    if (!Array.isArray(payload) || payload.length === 0) throw badParam("contacts", "must be a non-empty array");
  } else {
    throw badParam("type", `${type} is not a supported message type`);
  }
  if (!isObj(payload) && type !== "contacts") throw badParam(type, "must be an object");
  return {
    kind: "message",
    input,
    waId,
    type,
    payload: payload as Raw,
    contextId,
    callbackData,
    text: shown,
    choices,
    mediaId,
  };
}
