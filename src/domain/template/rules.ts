/**
 * The names and limits of Meta's template rules, shared by validation and rendering.
 */

export type TemplateRule =
  | "name.required"
  | "name.charset"
  | "name.length"
  | "language.format"
  | "header.text.required"
  | "header.text.length"
  | "header.text.variables"
  | "header.example.required"
  | "header.not_allowed"
  | "body.required"
  | "body.length"
  | "body.variable_at_start"
  | "body.variable_at_end"
  | "body.adjacent_variables"
  | "body.no_emoji"
  | "body.no_url"
  | "footer.length"
  | "footer.variables"
  | "variable.malformed"
  | "variable.format_mismatch"
  | "variable.sequence"
  | "example.required"
  | "buttons.total"
  | "buttons.url_count"
  | "buttons.phone_count"
  | "buttons.copy_code_count"
  | "buttons.grouping"
  | "buttons.otp_required"
  | "button.text.required"
  | "button.text.length"
  | "button.url.format"
  | "button.url.length"
  | "button.url.variable"
  | "button.example.required"
  | "button.example.length"
  | "button.phone.invalid"
  | "button.otp.category";

/** One broken rule: where (a dotted path into the template), which rule, and a sentence for the marketer. */
export interface TemplateIssue {
  path: string;
  rule: TemplateRule;
  message: string;
}

/** Limits from Meta's component reference. */
export const TEMPLATE_LIMITS = {
  nameLength: 512,
  headerTextLength: 60,
  headerTextVariables: 1,
  bodyLength: 1024,
  footerLength: 60,
  buttonsTotal: 10,
  urlButtons: 2,
  phoneButtons: 1,
  copyCodeButtons: 1,
  buttonTextLength: 25,
  urlLength: 2000,
  copyCodeExampleLength: 15,
} as const;
