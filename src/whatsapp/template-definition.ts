/**
 * Herald's template model ⇄ Meta's management-API shape (the Provider port's TemplateDefinition and TemplateRecord),
 * both ways, pure. Out: what `POST /{waba-id}/message_templates` takes (Meta "Create templates": upper-case
 * component types, `example.body_text` as one row of positional samples, `body_text_named_params` for named ones,
 * `header_handle` for media samples, a full sample URL for a URL button). Back: a listed template, so `sync` can
 * import templates created outside Herald. Meta has component and button kinds Herald does not model (carousels,
 * flows, catalogues, limited-time offers); those come back as `unsupported` with the path, never half-converted.
 */
import type { OtpType, Template, TemplateButton, TemplateCategory, TemplateHeader } from "../domain/template/model.js";
import { fillPlaceholders, variableNames } from "../domain/template/variables.js";
import type {
  NamedExample,
  TemplateButtonDefinition,
  TemplateComponentDefinition,
  TemplateDefinition,
} from "./provider.js";

/** Converts a (validated) domain template to the definition the provider submits for review. */
export function toTemplateDefinition(template: Template): TemplateDefinition {
  const named = template.parameterFormat === "NAMED";
  const components: TemplateComponentDefinition[] = [];
  if (template.header !== null) components.push(headerDefinition(template.header, named));

  const names = variableNames(template.body);
  const body: TemplateComponentDefinition = { type: "BODY", text: template.body };
  if (names.length > 0) {
    // Positional samples are one row in variable order ({{1}}, {{2}}, …); named ones carry their names.
    body.example = named
      ? { body_text_named_params: names.map((name) => ({ param_name: name, example: template.examples[name] ?? "" })) }
      : { body_text: [positionalOrder(names).map((name) => template.examples[name] ?? "")] };
  }
  components.push(body);

  if (template.footer !== null) components.push({ type: "FOOTER", text: template.footer });
  if (template.buttons.length > 0)
    components.push({ type: "BUTTONS", buttons: template.buttons.map(buttonDefinition) });
  return {
    name: template.name,
    language: template.language,
    category: template.category,
    parameterFormat: template.parameterFormat,
    components,
  };
}

function headerDefinition(header: TemplateHeader, named: boolean): TemplateComponentDefinition {
  switch (header.kind) {
    case "TEXT": {
      const name = variableNames(header.text)[0];
      const component: TemplateComponentDefinition = { type: "HEADER", format: "TEXT", text: header.text };
      if (name !== undefined && header.example !== undefined) {
        component.example = named
          ? { header_text_named_params: [{ param_name: name, example: header.example }] }
          : { header_text: [header.example] };
      }
      return component;
    }
    case "IMAGE":
    case "VIDEO":
    case "DOCUMENT":
      // Review needs a sample file: Meta takes it as a Resumable-Upload handle in `header_handle`.
      return {
        type: "HEADER",
        format: header.kind,
        ...(header.example === undefined ? {} : { example: { header_handle: [header.example] } }),
      };
    case "LOCATION":
      return { type: "HEADER", format: "LOCATION" };
    default: {
      const unexpected: never = header;
      throw new Error(`unknown header ${JSON.stringify(unexpected)}`);
    }
  }
}

function buttonDefinition(button: TemplateButton): TemplateButtonDefinition {
  switch (button.kind) {
    case "QUICK_REPLY":
      return { type: "QUICK_REPLY", text: button.text };
    case "URL": {
      // Meta wants the whole sample URL ("https://shop.example/o/ord-123"), not only the variable's value.
      const hasVariable = variableNames(button.url).length > 0;
      return {
        type: "URL",
        text: button.text,
        url: button.url,
        ...(hasVariable && button.example !== undefined
          ? { example: [fillPlaceholders(button.url, () => button.example ?? "")] }
          : {}),
      };
    }
    case "PHONE_NUMBER":
      return { type: "PHONE_NUMBER", text: button.text, phone_number: button.phoneNumber };
    case "COPY_CODE":
      return { type: "COPY_CODE", example: button.example };
    case "OTP":
      return { type: "OTP", otp_type: button.otpType, ...(button.text === undefined ? {} : { text: button.text }) };
    default: {
      const unexpected: never = button;
      throw new Error(`unknown button ${JSON.stringify(unexpected)}`);
    }
  }
}

/** Positional names sorted by number: Meta's `body_text` row is ordered {{1}}, {{2}}, … */
function positionalOrder(names: string[]): string[] {
  return [...names].sort((a, b) => Number(a) - Number(b));
}

/** The outcome of reading Meta's shape back: a domain template, or where and why it cannot be represented. */
export type FromDefinitionResult = { ok: true; template: Template } | { ok: false; path: string; reason: string };

const CATEGORIES: readonly TemplateCategory[] = ["MARKETING", "UTILITY", "AUTHENTICATION"];
const OTP_TYPES: readonly OtpType[] = ["COPY_CODE", "ONE_TAP", "ZERO_TAP"];

class Unsupported extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Converts a provider definition (a listed template) back to the domain model; component and button types are read
 * case-insensitively, as Graph has answered in both cases over the years.
 */
export function fromTemplateDefinition(definition: TemplateDefinition): FromDefinitionResult {
  try {
    return { ok: true, template: readDefinition(definition) };
  } catch (err) {
    if (err instanceof Unsupported) return { ok: false, path: err.path, reason: err.message };
    throw err;
  }
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const upper = (value: unknown) => (typeof value === "string" ? value.toUpperCase() : "");
const stringAt = (value: unknown, path: string): string => {
  if (typeof value !== "string") throw new Unsupported(path, "is missing or not text");
  return value;
};

function readDefinition(definition: TemplateDefinition): Template {
  if (!CATEGORIES.includes(definition.category)) {
    throw new Unsupported("category", `category ${String(definition.category)} is not one Herald knows`);
  }
  const named = definition.parameterFormat === "NAMED";
  const template: Template = {
    name: definition.name,
    language: definition.language,
    category: definition.category,
    parameterFormat: named ? "NAMED" : "POSITIONAL",
    header: null,
    body: "",
    examples: {},
    footer: null,
    buttons: [],
  };
  let sawBody = false;
  definition.components.forEach((component: unknown, index) => {
    const path = `components[${index}]`;
    if (!isObject(component)) throw new Unsupported(path, "is not an object");
    const example = isObject(component.example) ? component.example : {};
    switch (upper(component.type)) {
      case "HEADER":
        template.header = readHeader(component, example, named, path);
        break;
      case "BODY":
        template.body = stringAt(component.text, `${path}.text`);
        template.examples = readBodyExamples(template.body, example, named);
        sawBody = true;
        break;
      case "FOOTER":
        template.footer = stringAt(component.text, `${path}.text`);
        break;
      case "BUTTONS": {
        const buttons = Array.isArray(component.buttons) ? component.buttons : [];
        template.buttons = buttons.map((button: unknown, at) => readButton(button, `${path}.buttons[${at}]`));
        break;
      }
      default:
        throw new Unsupported(`${path}.type`, `component type ${String(component.type)} is not supported by Herald`);
    }
  });
  if (!sawBody) throw new Unsupported("components", "has no BODY component");
  return template;
}

function readHeader(component: Loose, example: Loose, named: boolean, path: string): TemplateHeader {
  const format = upper(component.format);
  switch (format) {
    case "TEXT": {
      const text = stringAt(component.text, `${path}.text`);
      const sample = named ? firstNamedExample(example.header_text_named_params) : firstString(example.header_text);
      return sample === undefined ? { kind: "TEXT", text } : { kind: "TEXT", text, example: sample };
    }
    case "IMAGE":
    case "VIDEO":
    case "DOCUMENT": {
      const handle = firstString(example.header_handle);
      return handle === undefined ? { kind: format } : { kind: format, example: handle };
    }
    case "LOCATION":
      return { kind: "LOCATION" };
    default:
      throw new Unsupported(`${path}.format`, `header format ${String(component.format)} is not supported by Herald`);
  }
}

function readBodyExamples(body: string, example: Loose, named: boolean): Record<string, string> {
  const examples: Record<string, string> = {};
  if (named) {
    const params = Array.isArray(example.body_text_named_params) ? example.body_text_named_params : [];
    for (const param of params as unknown[]) {
      const { param_name: name, example: value } = (isObject(param) ? param : {}) as Partial<NamedExample>;
      if (typeof name === "string" && typeof value === "string") examples[name] = value;
    }
    return examples;
  }
  const rows = Array.isArray(example.body_text) ? example.body_text : [];
  const row: unknown[] = Array.isArray(rows[0]) ? rows[0] : [];
  positionalOrder(variableNames(body)).forEach((name, index) => {
    const value = row[index];
    if (typeof value === "string") examples[name] = value;
  });
  return examples;
}

function readButton(button: unknown, path: string): TemplateButton {
  if (!isObject(button)) throw new Unsupported(path, "is not an object");
  switch (upper(button.type)) {
    case "QUICK_REPLY":
      return { kind: "QUICK_REPLY", text: stringAt(button.text, `${path}.text`) };
    case "URL": {
      const url = stringAt(button.url, `${path}.url`);
      const text = stringAt(button.text, `${path}.text`);
      const sample = firstString(button.example);
      const suffix = sample === undefined ? undefined : urlSuffix(url, sample);
      return suffix === undefined ? { kind: "URL", text, url } : { kind: "URL", text, url, example: suffix };
    }
    case "PHONE_NUMBER":
      return {
        kind: "PHONE_NUMBER",
        text: stringAt(button.text, `${path}.text`),
        phoneNumber: stringAt(button.phone_number, `${path}.phone_number`),
      };
    case "COPY_CODE":
      return { kind: "COPY_CODE", example: firstString(button.example) ?? "" };
    case "OTP": {
      const otpType = upper(button.otp_type) as OtpType;
      if (!OTP_TYPES.includes(otpType)) throw new Unsupported(`${path}.otp_type`, `OTP type ${otpType} is unknown`);
      return typeof button.text === "string" ? { kind: "OTP", otpType, text: button.text } : { kind: "OTP", otpType };
    }
    default:
      throw new Unsupported(`${path}.type`, `button type ${String(button.type)} is not supported by Herald`);
  }
}

/** The variable's sample from Meta's full sample URL: what follows the URL's fixed prefix (or all of it). */
function urlSuffix(url: string, sample: string): string | undefined {
  const at = url.indexOf("{{");
  if (at < 0) return undefined;
  const prefix = url.slice(0, at);
  return sample.startsWith(prefix) ? sample.slice(prefix.length) : sample;
}

/** Meta sends samples as a string or an array of strings, depending on the field. */
function firstString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
}

function firstNamedExample(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const first: unknown = value[0];
  return isObject(first) && typeof first.example === "string" ? first.example : undefined;
}
