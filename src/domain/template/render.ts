/**
 * Filling a template with one recipient's values: the text bubble a person will see (for the live preview) and
 * the Cloud API `components` array that sends it (whatsapp-reference.md §2.3). Values Meta would refuse are
 * refused here first, each mapped to the error code Meta would return, so a campaign skips the recipient with a
 * reason instead of spending a request on a certain failure.
 */
import type { MediaHeaderFormat, Template, TemplateButton } from "./model.js";
import { TEMPLATE_LIMITS } from "./rules.js";
import { fillPlaceholders, variableNames } from "./variables.js";

/** A media reference: an uploaded media id or a public link. */
export type MediaRef = { id: string } | { link: string };

export type HeaderValue =
  | { kind: "text"; text: string }
  | { kind: "media"; media: MediaRef; filename?: string }
  | { kind: "location"; latitude: number; longitude: number; name?: string; address?: string };

/** One recipient's values. `buttons` is keyed by button index ("0", "1"…): URL suffix, quick-reply payload, coupon or OTP code. */
export interface RenderValues {
  header?: HeaderValue;
  body?: Record<string, string>;
  buttons?: Record<string, string>;
}

export type RenderErrorCode =
  | "missing_value"
  | "empty_value"
  | "invalid_whitespace"
  | "too_long"
  | "wrong_header_kind"
  | "invalid_value";

/**
 * The Meta error each refusal stands for (whatsapp-reference.md §2.3, §3): 132000 parameter count mismatch,
 * 100 empty parameter (reported), 132018 newline/tab/> 4 spaces in a parameter (reported by several projects;
 * older write-ups file it under 132012 — confirm against the sandbox and live API), 132005 hydrated text too
 * long, 132012 parameter format mismatch, 131009 parameter value invalid.
 */
export const RENDER_ERROR_META_CODES: Readonly<Record<RenderErrorCode, number>> = {
  missing_value: 132000,
  empty_value: 100,
  invalid_whitespace: 132018,
  too_long: 132005,
  wrong_header_kind: 132012,
  invalid_value: 131009,
};

export interface RenderIssue {
  path: string;
  code: RenderErrorCode;
  metaCode: number;
  message: string;
}

export type BubbleHeader =
  | { kind: "TEXT"; text: string }
  | { kind: MediaHeaderFormat; media: MediaRef; filename?: string }
  | { kind: "LOCATION"; latitude: number; longitude: number; name?: string; address?: string };

export type BubbleButton =
  | { kind: "QUICK_REPLY"; text: string; payload: string }
  | { kind: "URL"; text: string; url: string }
  | { kind: "PHONE_NUMBER"; text: string; phoneNumber: string }
  | { kind: "COPY_CODE"; text: string; code: string }
  | { kind: "OTP"; text: string; code: string };

/** The message as the recipient sees it. */
export interface Bubble {
  header: BubbleHeader | null;
  body: string;
  footer: string | null;
  buttons: BubbleButton[];
}

export type SendParameter =
  | { type: "text"; text: string; parameter_name?: string }
  | { type: "image"; image: MediaRef }
  | { type: "video"; video: MediaRef }
  | { type: "document"; document: MediaRef & { filename?: string } }
  | { type: "location"; location: { latitude: number; longitude: number; name?: string; address?: string } }
  | { type: "payload"; payload: string }
  | { type: "coupon_code"; coupon_code: string };

export type SendComponent =
  | { type: "header"; parameters: SendParameter[] }
  | { type: "body"; parameters: SendParameter[] }
  | { type: "button"; sub_type: "quick_reply" | "url" | "copy_code"; index: string; parameters: SendParameter[] };

export type RenderResult =
  | { ok: true; bubble: Bubble; components: SendComponent[] }
  | { ok: false; issues: RenderIssue[] };

/** Labels WhatsApp shows for buttons whose label the template does not set. */
const DEFAULT_LABELS = { COPY_CODE: "Copy offer code", OTP: "Copy code" } as const;

/** Authentication codes are at most 15 characters (Meta "Authentication templates"). */
const MAX_OTP_LENGTH = 15;

/** Fill `template` with `values`; either the bubble and the send components, or every refused value. */
export function renderTemplate(template: Template, values: RenderValues): RenderResult {
  const issues: RenderIssue[] = [];
  const fail = (path: string, code: RenderErrorCode, message: string) =>
    issues.push({ path, code, metaCode: RENDER_ERROR_META_CODES[code], message });
  const named = template.parameterFormat === "NAMED";
  const components: SendComponent[] = [];

  const header = renderHeader(template, values.header, named, fail, components);

  const bodyValues = values.body ?? {};
  const bodyParameters: SendParameter[] = [];
  for (const name of orderedNames(template.body, named)) {
    const value = bodyValues[name];
    if (checkParameter(value, `body.${name}`, fail)) {
      bodyParameters.push(named ? { type: "text", parameter_name: name, text: value } : { type: "text", text: value });
    }
  }
  const body = fillPlaceholders(template.body, (name) => bodyValues[name] ?? `{{${name}}}`);
  if (body.length > TEMPLATE_LIMITS.bodyLength) {
    fail("body", "too_long", `The filled-in body is ${body.length} characters; WhatsApp's limit is 1024.`);
  }
  if (bodyParameters.length > 0) components.push({ type: "body", parameters: bodyParameters });

  const buttons: BubbleButton[] = [];
  template.buttons.forEach((button, index) => {
    const rendered = renderButton(button, index, values, fail);
    buttons.push(rendered.bubble);
    if (rendered.component !== null) components.push(rendered.component);
  });

  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, bubble: { header, body, footer: template.footer, buttons }, components };
}

type Fail = (path: string, code: RenderErrorCode, message: string) => void;

/** Positional parameters go in number order; named ones in order of first appearance (any order is accepted). */
function orderedNames(text: string, named: boolean): string[] {
  const names = variableNames(text);
  return named ? names : names.sort((a, b) => Number(a) - Number(b));
}

/**
 * Meta's rules for parameter text: present, not empty, and no newline, tab or more than four consecutive spaces
 * (whatsapp-reference.md §2.3). Returns true (and narrows) when the value may be sent.
 */
function checkParameter(value: string | undefined, path: string, fail: Fail): value is string {
  if (value === undefined) {
    fail(path, "missing_value", "No value for this variable.");
    return false;
  }
  if (value.trim() === "") {
    fail(path, "empty_value", "The value is empty; WhatsApp refuses empty parameters.");
    return false;
  }
  if (/[\n\r\t]| {5,}/u.test(value)) {
    fail(
      path,
      "invalid_whitespace",
      "Parameter text cannot contain line breaks, tabs or more than four spaces in a row.",
    );
    return false;
  }
  return true;
}

function renderHeader(
  template: Template,
  value: HeaderValue | undefined,
  named: boolean,
  fail: Fail,
  components: SendComponent[],
): BubbleHeader | null {
  const header = template.header;
  if (header === null) return null;
  switch (header.kind) {
    case "TEXT": {
      const name = variableNames(header.text)[0];
      if (name === undefined) return { kind: "TEXT", text: header.text };
      if (value !== undefined && value.kind !== "text") {
        fail("header", "wrong_header_kind", "The header takes text.");
        return null;
      }
      const text = value?.text;
      if (!checkParameter(text, "header", fail)) return null;
      const filled = fillPlaceholders(header.text, () => text);
      if (filled.length > TEMPLATE_LIMITS.headerTextLength) {
        fail("header", "too_long", `The filled-in header is ${filled.length} characters; the limit is 60.`);
      }
      components.push({
        type: "header",
        parameters: [named ? { type: "text", parameter_name: name, text } : { type: "text", text }],
      });
      return { kind: "TEXT", text: filled };
    }
    case "IMAGE":
    case "VIDEO":
    case "DOCUMENT": {
      if (value === undefined) {
        fail("header", "missing_value", `The ${header.kind.toLowerCase()} header needs a media link or id.`);
        return null;
      }
      if (value.kind !== "media") {
        fail("header", "wrong_header_kind", `The header takes an ${header.kind.toLowerCase()}.`);
        return null;
      }
      components.push({ type: "header", parameters: [mediaParameter(header.kind, value.media, value.filename)] });
      const bubble: BubbleHeader = { kind: header.kind, media: value.media };
      if (value.filename !== undefined && header.kind === "DOCUMENT") bubble.filename = value.filename;
      return bubble;
    }
    case "LOCATION": {
      if (value === undefined) {
        fail("header", "missing_value", "The location header needs a location.");
        return null;
      }
      if (value.kind !== "location") {
        fail("header", "wrong_header_kind", "The header takes a location.");
        return null;
      }
      const { kind: _kind, ...location } = value;
      components.push({ type: "header", parameters: [{ type: "location", location }] });
      return { kind: "LOCATION", ...location };
    }
    default: {
      const unexpected: never = header;
      throw new Error(`unknown header ${JSON.stringify(unexpected)}`);
    }
  }
}

function mediaParameter(kind: MediaHeaderFormat, media: MediaRef, filename: string | undefined): SendParameter {
  switch (kind) {
    case "IMAGE":
      return { type: "image", image: media };
    case "VIDEO":
      return { type: "video", video: media };
    case "DOCUMENT":
      return { type: "document", document: filename === undefined ? media : { ...media, filename } };
    default: {
      const unexpected: never = kind;
      throw new Error(`unknown media kind ${String(unexpected)}`);
    }
  }
}

function renderButton(
  button: TemplateButton,
  index: number,
  values: RenderValues,
  fail: Fail,
): { bubble: BubbleButton; component: SendComponent | null } {
  const value = values.buttons?.[String(index)];
  const path = `buttons.${index}`;
  switch (button.kind) {
    case "QUICK_REPLY": {
      // Without a payload, WhatsApp reports the tap with the button's text as the payload.
      const bubble: BubbleButton = { kind: "QUICK_REPLY", text: button.text, payload: value ?? button.text };
      if (value === undefined) return { bubble, component: null };
      return {
        bubble,
        component: {
          type: "button",
          sub_type: "quick_reply",
          index: String(index),
          parameters: [{ type: "payload", payload: value }],
        },
      };
    }
    case "URL": {
      if (variableNames(button.url).length === 0) {
        return { bubble: { kind: "URL", text: button.text, url: button.url }, component: null };
      }
      const suffix = checkParameter(value, path, fail) ? value : "";
      return {
        bubble: { kind: "URL", text: button.text, url: fillPlaceholders(button.url, () => suffix) },
        component: {
          type: "button",
          sub_type: "url",
          index: String(index),
          parameters: [{ type: "text", text: suffix }],
        },
      };
    }
    case "PHONE_NUMBER":
      return { bubble: { kind: "PHONE_NUMBER", text: button.text, phoneNumber: button.phoneNumber }, component: null };
    case "COPY_CODE": {
      const code = checkParameter(value, path, fail) ? value : "";
      if (code.length > MAX_OTP_LENGTH) fail(path, "invalid_value", "A coupon code is at most 15 characters.");
      return {
        bubble: { kind: "COPY_CODE", text: DEFAULT_LABELS.COPY_CODE, code },
        component: {
          type: "button",
          sub_type: "copy_code",
          index: String(index),
          parameters: [{ type: "coupon_code", coupon_code: code }],
        },
      };
    }
    case "OTP": {
      // The OTP button carries the same code as the body's {{1}}, sent as a "url" button parameter (Meta's shape).
      const raw = value ?? values.body?.["1"];
      const code = checkParameter(raw, path, fail) ? raw : "";
      if (code.length > MAX_OTP_LENGTH) fail(path, "invalid_value", "A one-time code is at most 15 characters.");
      return {
        bubble: { kind: "OTP", text: button.text ?? DEFAULT_LABELS.OTP, code },
        component: {
          type: "button",
          sub_type: "url",
          index: String(index),
          parameters: [{ type: "text", text: code }],
        },
      };
    }
    default: {
      const unexpected: never = button;
      throw new Error(`unknown button ${JSON.stringify(unexpected)}`);
    }
  }
}
