/**
 * The template in Meta's management-API shape, the body of `POST /{waba-id}/message_templates`
 * (whatsapp-reference.md §5.7): upper-case component types, examples as Meta wants them (`body_text` as one
 * row of positional samples, `body_text_named_params` for named ones, `header_handle` for media, a full sample URL
 * for a URL button). Field names are Meta's, because this is Meta's data.
 */
import type { Template, TemplateButton } from "./model.js";
import { fillPlaceholders, variableNames } from "./variables.js";

export interface MetaNamedExample {
  param_name: string;
  example: string;
}

export type MetaButton =
  | { type: "QUICK_REPLY"; text: string }
  | { type: "URL"; text: string; url: string; example?: string[] }
  | { type: "PHONE_NUMBER"; text: string; phone_number: string }
  | { type: "COPY_CODE"; example: string }
  | { type: "OTP"; otp_type: string; text?: string };

export type MetaComponent =
  | {
      type: "HEADER";
      format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
      text?: string;
      example?: { header_text?: string[]; header_handle?: string[]; header_text_named_params?: MetaNamedExample[] };
    }
  | { type: "BODY"; text: string; example?: { body_text?: string[][]; body_text_named_params?: MetaNamedExample[] } }
  | { type: "FOOTER"; text: string }
  | { type: "BUTTONS"; buttons: MetaButton[] };

export interface MetaTemplateDefinition {
  name: string;
  language: string;
  category: Template["category"];
  parameterFormat: Template["parameterFormat"];
  components: MetaComponent[];
}

/**
 * Convert a (validated) template to Meta's creation shape. Authentication bodies are sent as written; Meta
 * replaces them with its preset text (*uncertain* whether it also requires `add_security_recommendation`).
 */
export function toMetaTemplate(template: Template): MetaTemplateDefinition {
  const named = template.parameterFormat === "NAMED";
  const components: MetaComponent[] = [];
  const header = template.header;
  if (header !== null) {
    switch (header.kind) {
      case "TEXT": {
        const name = variableNames(header.text)[0];
        const component: MetaComponent = { type: "HEADER", format: "TEXT", text: header.text };
        if (name !== undefined && header.example !== undefined) {
          component.example = named
            ? { header_text_named_params: [{ param_name: name, example: header.example }] }
            : { header_text: [header.example] };
        }
        components.push(component);
        break;
      }
      case "IMAGE":
      case "VIDEO":
      case "DOCUMENT":
        components.push({
          type: "HEADER",
          format: header.kind,
          ...(header.example === undefined ? {} : { example: { header_handle: [header.example] } }),
        });
        break;
      case "LOCATION":
        components.push({ type: "HEADER", format: "LOCATION" });
        break;
      default: {
        const unexpected: never = header;
        throw new Error(`unknown header ${JSON.stringify(unexpected)}`);
      }
    }
  }

  const names = variableNames(template.body);
  const body: MetaComponent = { type: "BODY", text: template.body };
  if (names.length > 0) {
    const sample = (name: string) => template.examples[name] ?? "";
    body.example = named
      ? { body_text_named_params: names.map((name) => ({ param_name: name, example: sample(name) })) }
      : { body_text: [[...names].sort((a, b) => Number(a) - Number(b)).map(sample)] };
  }
  components.push(body);

  if (template.footer !== null) components.push({ type: "FOOTER", text: template.footer });
  if (template.buttons.length > 0) components.push({ type: "BUTTONS", buttons: template.buttons.map(toMetaButton) });

  return {
    name: template.name,
    language: template.language,
    category: template.category,
    parameterFormat: template.parameterFormat,
    components,
  };
}

function toMetaButton(button: TemplateButton): MetaButton {
  switch (button.kind) {
    case "QUICK_REPLY":
      return { type: "QUICK_REPLY", text: button.text };
    case "URL": {
      const hasVariable = variableNames(button.url).length > 0;
      // Meta wants the sample as the full URL with the variable filled in.
      return hasVariable && button.example !== undefined
        ? {
            type: "URL",
            text: button.text,
            url: button.url,
            example: [fillPlaceholders(button.url, () => button.example ?? "")],
          }
        : { type: "URL", text: button.text, url: button.url };
    }
    case "PHONE_NUMBER":
      return { type: "PHONE_NUMBER", text: button.text, phone_number: button.phoneNumber };
    case "COPY_CODE":
      return { type: "COPY_CODE", example: button.example };
    case "OTP":
      return button.text === undefined
        ? { type: "OTP", otp_type: button.otpType }
        : { type: "OTP", otp_type: button.otpType, text: button.text };
    default: {
      const unexpected: never = button;
      throw new Error(`unknown button ${JSON.stringify(unexpected)}`);
    }
  }
}
