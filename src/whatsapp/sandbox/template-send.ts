// Checks a template send against the stored template, with Meta's codes (whatsapp-platform.md §2, reference
// §2.3, §9.5): unknown or unapproved → 132001, paused → 132015, disabled → 132016, parameter count → 132000,
// newline/tab/>4 spaces → 132018, filled-in body too long → 132005, parameter format → 132012. Hand-written,
// not zod: this runs on every template send (see the throughput requirement in issue 3).
import { badParam, SandboxFailure } from "./meta-errors.js";
import type { SandboxState, TemplateState } from "./state.js";

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** A template send that passed the checks. */
export interface CheckedTemplate {
  template: TemplateState;
  /** Body values: a list (positional) or a map by name. */
  values: string[] | Map<string, string>;
  /** Quick-reply payloads given in the send, by button index (undefined when none were given). */
  payloads: (string | undefined)[] | undefined;
}

/** Quick-reply buttons a user may tap, with the payload Meta reports: the send's, else the button label. */
export function quickReplies(
  t: TemplateState,
  payloads: (string | undefined)[] | undefined,
): { payload: string; text: string }[] {
  const out: { payload: string; text: string }[] = [];
  t.buttons.forEach((b, i) => {
    if (b.type === "QUICK_REPLY") out.push({ payload: payloads?.[i] ?? b.text, text: b.text });
  });
  return out;
}

// Meta rejects parameter text with a newline, a tab or more than four consecutive spaces (132018, reported).

function fieldName(component: string, i: number): string {
  return `${component}['parameters'][${i}]`;
}

/** True when text has a newline, a tab or more than 4 consecutive spaces (a regex on every send cost more). */
function badWhitespace(text: string): boolean {
  let spaces = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 9) return true;
    spaces = c === 32 ? spaces + 1 : 0;
    if (spaces > 4) return true;
  }
  return false;
}

/** Parameter i of a component (its field name is only built for an error: this runs on every send). */
function paramText(p: unknown, component: string, i: number): string {
  if (!isObj(p)) throw badParam(fieldName(component, i), "must be an object");
  switch (p.type) {
    case "text": {
      if (typeof p.text !== "string" || p.text.length === 0)
        throw badParam(`${fieldName(component, i)}['text']`, "is required");
      if (badWhitespace(p.text)) {
        throw new SandboxFailure(
          132018,
          `${fieldName(component, i)}: Param text cannot have new-line/tab characters or more than 4 consecutive spaces`,
        );
      }
      return p.text;
    }
    case "currency": {
      const c = p.currency;
      if (!isObj(c) || typeof c.fallback_value !== "string")
        throw badParam(`${fieldName(component, i)}['currency']['fallback_value']`, "is required");
      return c.fallback_value;
    }
    case "date_time": {
      const d = p.date_time;
      if (!isObj(d) || typeof d.fallback_value !== "string")
        throw badParam(`${fieldName(component, i)}['date_time']['fallback_value']`, "is required");
      return d.fallback_value;
    }
    default:
      throw badParam(`${fieldName(component, i)}['type']`, "must be text, currency or date_time");
  }
}

/** Reads the parameters of one component into values (by position, or by name for NAMED templates). */
function readParams(
  params: unknown,
  field: string,
  t: TemplateState,
  expected: number,
  names: string[],
  component: string,
): string[] | Map<string, string> {
  const list = params === undefined ? [] : params;
  if (!Array.isArray(list)) throw badParam(`${field}['parameters']`, "must be an array");
  const count = t.parameterFormat === "NAMED" ? names.length : expected;
  if (list.length !== count) {
    throw new SandboxFailure(
      132000,
      `${component}: number of localizable_params (${list.length}) does not match the expected number of params (${count})`,
    );
  }
  if (t.parameterFormat === "NAMED") {
    const values = new Map<string, string>();
    list.forEach((p, i) => {
      const at = `${field}['parameters'][${i}]`;
      const name = isObj(p) ? p.parameter_name : undefined;
      if (typeof name !== "string")
        throw badParam(`${at}['parameter_name']`, "is required for a template with named parameters");
      if (!names.includes(name))
        throw badParam(`${at}['parameter_name']`, `"${name}" is not a parameter of the template`);
      values.set(name, paramText(p, field, i));
    });
    return values;
  }
  const values: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i];
    if (isObj(p) && p.parameter_name !== undefined) {
      throw badParam(
        `${field}['parameters'][${i}]['parameter_name']`,
        "is not allowed for a template with positional parameters",
      );
    }
    values.push(paramText(p, field, i));
  }
  return values;
}

/** Validates `template` of a send for the sender's WABA; throws SandboxFailure with Meta's code. */
export function checkTemplateSend(raw: unknown, wabaId: string, state: SandboxState): CheckedTemplate {
  if (!isObj(raw)) throw badParam("template", "must be an object");
  const name = raw.name;
  if (typeof name !== "string" || name.length === 0) throw badParam("template['name']", "is required");
  const language = isObj(raw.language) ? raw.language.code : undefined;
  if (typeof language !== "string" || language.length === 0)
    throw badParam("template['language']['code']", "is required");
  const t = state.findTemplate(wabaId, name, language);
  if (!t) throw new SandboxFailure(132001, `template name (${name}) does not exist in ${language}`);
  if (t.status === "PAUSED") throw new SandboxFailure(132015, `Template ${name} is paused`);
  if (t.status === "DISABLED") throw new SandboxFailure(132016, `Template ${name} is disabled`);
  if (t.status !== "APPROVED")
    throw new SandboxFailure(132001, `template name (${name}) is not approved in ${language}`);

  const components = raw.components === undefined ? [] : raw.components;
  if (!Array.isArray(components)) throw badParam("template['components']", "must be an array");
  let bodyParams: unknown;
  let headerParams: unknown;
  let buttonParams: Map<number, Raw> | undefined;
  for (let i = 0; i < components.length; i++) {
    const c: unknown = components[i];
    if (!isObj(c) || typeof c.type !== "string") throw badParam(`template['components'][${i}]['type']`, "is required");
    const type = c.type.toLowerCase();
    if (type === "body") bodyParams = c.parameters;
    else if (type === "header") headerParams = c.parameters;
    else if (type === "button") {
      const index = Number(c.index);
      const def = t.buttons[index];
      if (!Number.isInteger(index) || !def) {
        throw badParam(`template['components'][${i}]['index']`, "does not match a button of the template");
      }
      const sub = String(c.sub_type ?? "").toLowerCase();
      const expected = def.type === "QUICK_REPLY" ? "quick_reply" : def.type === "URL" ? "url" : def.type.toLowerCase();
      if (sub !== expected)
        throw new SandboxFailure(132012, `button at index ${index} is of type ${def.type}, not ${sub}`);
      buttonParams ??= new Map();
      buttonParams.set(index, c);
    } else throw badParam(`template['components'][${i}]['type']`, "must be header, body or button");
  }

  const body = readParams(bodyParams, "template['components'][body]", t, t.bodyVars, t.bodyNames, "body");
  if (t.headerMedia !== undefined) {
    const p = Array.isArray(headerParams) ? headerParams[0] : undefined;
    const kind = t.headerMedia.toLowerCase();
    if (!isObj(p) || p.type !== kind) {
      throw new SandboxFailure(
        132012,
        `header: Format mismatch, expected ${t.headerMedia}, received ${isObj(p) ? String(p.type) : "nothing"}`,
      );
    }
    const media = p[kind];
    if (!isObj(media) || (typeof media.link !== "string" && typeof media.id !== "string")) {
      throw badParam(`template['components'][header]['parameters'][0]['${kind}']`, "needs a link or an id");
    }
  } else if (t.headerVars > 0 || t.headerNames.length > 0 || headerParams !== undefined) {
    readParams(headerParams, "template['components'][header]", t, t.headerVars, t.headerNames, "header");
  }
  let payloads: (string | undefined)[] | undefined;
  for (let index = 0; index < t.buttons.length; index++) {
    const def = t.buttons[index] as TemplateState["buttons"][number];
    const given = buttonParams?.get(index);
    const first = given && Array.isArray(given.parameters) ? given.parameters[0] : undefined;
    if (def.type === "URL" && def.urlHasVar && !isObj(first)) {
      throw new SandboxFailure(131008, `buttons: Button at index ${index} of type Url requires a parameter`);
    }
    if (def.type === "QUICK_REPLY" && isObj(first) && typeof first.payload === "string") {
      payloads ??= [];
      payloads[index] = first.payload;
    }
  }
  // The filled-in body must stay within 1,024 characters (132005); summed, not built, on this hot path.
  let length = t.bodyStatic;
  for (const key of t.bodyKeys) {
    length += (Array.isArray(body) ? body[Number(key) - 1]?.length : body.get(key)?.length) ?? key.length + 4;
  }
  if (length > 1024) throw new SandboxFailure(132005, `The filled-in body has ${length} characters (max 1024)`);
  return { template: t, values: body, payloads };
}
