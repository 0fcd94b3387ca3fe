// Template management of the sandbox: the synchronous checks Meta applies when a template is created (wrong
// shapes get a 100 at once; whatsapp-platform.md §3), building the stored template, listing and deleting.
// The asynchronous review lives in review.ts.
import type { TemplateButtonDefinition, TemplateCategory, TemplateComponentDefinition } from "../provider.js";
import { badParam, SandboxFailure } from "./meta-errors.js";
import type { TemplateState } from "./state.js";

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

const POSITIONAL = /\{\{\s*(\d+)\s*\}\}/g;
const NAMED = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;
const ANY_VAR = /\{\{([^}]*)\}\}/g;

/** Variables of a text: positional numbers or names, by the template's parameter format. */
export function variablesOf(text: string, named: boolean): string[] {
  return [...text.matchAll(named ? NAMED : POSITIONAL)].map((m) => m[1] as string);
}

function checkVars(text: string, named: boolean, field: string): void {
  for (const m of text.matchAll(ANY_VAR)) {
    const inner = (m[1] as string).trim();
    const ok = named ? /^[a-z_][a-z0-9_]*$/.test(inner) : /^\d+$/.test(inner);
    if (!ok) {
      throw badParam(
        field,
        `has an invalid parameter {{${inner}}} for parameter_format ${named ? "NAMED" : "POSITIONAL"}`,
      );
    }
  }
}

/** Validates a create request synchronously and returns the template to store (status PENDING). */
export function buildTemplate(body: unknown, wabaId: string, id: string, now: number): TemplateState {
  if (!isObj(body)) throw badParam("body", "must be a JSON object");
  const { name, language, category } = body;
  if (typeof name !== "string" || !/^[a-z0-9_]{1,512}$/.test(name)) {
    throw badParam("name", "must be 1–512 lowercase letters, digits and underscores");
  }
  if (typeof language !== "string" || !/^[a-z]{2,3}(_[A-Z]{2,3})?$/.test(language)) {
    throw badParam("language", "must be a language code such as ko or en_US");
  }
  if (category !== "MARKETING" && category !== "UTILITY" && category !== "AUTHENTICATION") {
    throw badParam("category", "must be one of MARKETING, UTILITY, AUTHENTICATION");
  }
  const format = String(body.parameter_format ?? "POSITIONAL").toUpperCase();
  if (format !== "POSITIONAL" && format !== "NAMED") throw badParam("parameter_format", "must be POSITIONAL or NAMED");
  const named = format === "NAMED";
  if (!Array.isArray(body.components) || body.components.length === 0) {
    throw badParam("components", "is required and must be a non-empty array");
  }
  const t: TemplateState = {
    id,
    wabaId,
    name,
    language,
    category: category as TemplateCategory,
    parameterFormat: format,
    components: body.components as TemplateComponentDefinition[],
    status: "PENDING",
    rejectedReason: "NONE",
    quality: "UNKNOWN",
    createdAt: now,
    body: "",
    bodyStatic: 0,
    bodyKeys: [],
    bodyVars: 0,
    bodyNames: [],
    headerVars: 0,
    headerNames: [],
    headerMedia: undefined,
    buttons: [],
  };
  let sawBody = false;
  body.components.forEach((c: unknown, i: number) => {
    const at = `components[${i}]`;
    if (!isObj(c) || typeof c.type !== "string") throw badParam(`${at}.type`, "is required");
    const type = c.type.toUpperCase();
    const example = isObj(c.example) ? c.example : undefined;
    if (type === "BODY") {
      if (typeof c.text !== "string" || c.text.length === 0) throw badParam(`${at}.text`, "is required");
      if (c.text.length > 1024) throw badParam(`${at}.text`, "must be at most 1024 characters");
      checkVars(c.text, named, `${at}.text`);
      const vars = variablesOf(c.text, named);
      const hasExample = named ? Array.isArray(example?.body_text_named_params) : Array.isArray(example?.body_text);
      if (vars.length > 0 && !hasExample) {
        throw badParam(`${at}.example`, named ? "body_text_named_params is required" : "body_text is required");
      }
      sawBody = true;
      t.body = c.text;
      t.bodyKeys = [...c.text.matchAll(ANY_VAR)].map((m) => (m[1] as string).trim());
      t.bodyStatic = c.text.replace(ANY_VAR, "").length;
      t.bodyVars = named ? 0 : new Set(vars).size;
      t.bodyNames = named ? [...new Set(vars)] : [];
    } else if (type === "HEADER") {
      const fmt = String(c.format ?? "").toUpperCase();
      if (fmt === "TEXT") {
        if (typeof c.text !== "string" || c.text.length === 0) throw badParam(`${at}.text`, "is required");
        if (c.text.length > 60) throw badParam(`${at}.text`, "must be at most 60 characters");
        checkVars(c.text, named, `${at}.text`);
        const vars = variablesOf(c.text, named);
        if (vars.length > 1) throw badParam(`${at}.text`, "may contain at most one parameter");
        t.headerVars = named ? 0 : vars.length;
        t.headerNames = named ? vars : [];
      } else if (fmt === "IMAGE" || fmt === "VIDEO" || fmt === "DOCUMENT") {
        if (!Array.isArray(example?.header_handle)) throw badParam(`${at}.example.header_handle`, "is required");
        t.headerMedia = fmt;
      } else if (fmt !== "LOCATION") {
        throw badParam(`${at}.format`, "must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION");
      }
    } else if (type === "FOOTER") {
      if (typeof c.text !== "string" || c.text.length === 0) throw badParam(`${at}.text`, "is required");
      if (c.text.length > 60) throw badParam(`${at}.text`, "must be at most 60 characters");
      if (/\{\{/.test(c.text)) throw badParam(`${at}.text`, "may not contain parameters");
    } else if (type === "BUTTONS") {
      t.buttons = checkButtons(c.buttons, at);
    } else {
      throw badParam(`${at}.type`, "must be HEADER, BODY, FOOTER or BUTTONS");
    }
  });
  if (!sawBody) throw badParam("components", "must contain a BODY component");
  return t;
}

function checkButtons(buttons: unknown, at: string): TemplateState["buttons"] {
  if (!Array.isArray(buttons) || buttons.length === 0) throw badParam(`${at}.buttons`, "is required");
  if (buttons.length > 10) throw badParam(`${at}.buttons`, "may contain at most 10 buttons");
  const out: TemplateState["buttons"] = [];
  let urls = 0;
  let phones = 0;
  buttons.forEach((b: unknown, i: number) => {
    const bt = `${at}.buttons[${i}]`;
    if (!isObj(b) || typeof b.type !== "string") throw badParam(`${bt}.type`, "is required");
    const def = b as unknown as TemplateButtonDefinition & Raw;
    const type = String(def.type).toUpperCase();
    const text = typeof b.text === "string" ? b.text : "";
    if (type !== "COPY_CODE" && type !== "OTP" && text.length === 0) throw badParam(`${bt}.text`, "is required");
    if (text.length > 25) throw badParam(`${bt}.text`, "must be at most 25 characters");
    let urlHasVar = false;
    if (type === "URL") {
      urls++;
      if (typeof b.url !== "string" || !/^https?:\/\//.test(b.url))
        throw badParam(`${bt}.url`, "must be an http(s) URL");
      urlHasVar = /\{\{\d+\}\}$/.test(b.url);
      if (urlHasVar && !Array.isArray(b.example))
        throw badParam(`${bt}.example`, "is required for a URL with a parameter");
    } else if (type === "PHONE_NUMBER") {
      phones++;
      if (typeof b.phone_number !== "string") throw badParam(`${bt}.phone_number`, "is required");
    } else if (!["QUICK_REPLY", "COPY_CODE", "OTP", "FLOW"].includes(type)) {
      throw badParam(`${bt}.type`, "is not a supported button type");
    }
    out.push({ type, text, urlHasVar });
  });
  if (urls > 2) throw badParam(`${at}.buttons`, "may contain at most 2 URL buttons");
  if (phones > 1) throw badParam(`${at}.buttons`, "may contain at most 1 PHONE_NUMBER button");
  return out;
}

/** Meta's JSON for one template in list and get answers. */
export function templateJson(t: TemplateState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: t.name,
    parameter_format: t.parameterFormat,
    components: t.components,
    language: t.language,
    status: t.status,
    category: t.category,
    id: t.id,
  };
  if (t.status === "REJECTED") out.rejected_reason = t.rejectedReason;
  out.quality_score = { score: t.quality };
  return out;
}

/** The answer when a template name+language already exists (Meta's subcode 2388024). */
export function duplicateTemplate(name: string, language: string): SandboxFailure {
  return new SandboxFailure(100, `Content in this language already exists for template ${name} (${language}).`, {
    subcode: 2388024,
    message: "(#100) Invalid parameter",
  });
}
