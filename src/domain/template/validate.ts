/**
 * Meta's hard rules for a template, checked before submission so a marketer sees every problem at once, each
 * with the field and the rule (whatsapp-reference.md §5.7; Meta "Template fundamentals" and "Components").
 * A template that fails here would be refused by the API or rejected as INVALID_FORMAT; softer risks are in lint.ts.
 */
import { HeraldError } from "../errors.js";
import type { Template, TemplateHeader } from "./model.js";
import { TEMPLATE_LIMITS, type TemplateIssue, type TemplateRule } from "./rules.js";
import { validateButtons } from "./validate-buttons.js";
import { findPlaceholders, hasStrayBraces, NAMED_NAME, POSITIONAL_NAME, variableNames } from "./variables.js";

const LANGUAGE_CODE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
const EMOJI = /\p{Extended_Pictographic}/u;
const URL_IN_TEXT = /\bhttps?:\/\/|\bwww\./i;

/**
 * Every Meta rule the template breaks; an empty array means it may be submitted.
 * Lengths count UTF-16 code units (as JavaScript's `length` does): an emoji counts 2, which errs on the strict side.
 */
export function validateTemplate(template: Template): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const add = (path: string, rule: TemplateRule, message: string) => issues.push({ path, rule, message });

  // Name: lowercase alphanumerics and underscores, ≤ 512 characters (Meta "Template fundamentals" › Names).
  if (template.name === "") add("name", "name.required", "The template needs a name.");
  else if (!/^[a-z0-9_]+$/.test(template.name)) {
    add(
      "name",
      "name.charset",
      "Use only lowercase letters, digits and underscores in the name (e.g. spring_sale_2026).",
    );
  }
  if (template.name.length > TEMPLATE_LIMITS.nameLength) {
    add("name", "name.length", `The name is ${template.name.length} characters; the limit is 512.`);
  }
  if (!LANGUAGE_CODE.test(template.language)) {
    add("language", "language.format", `"${template.language}" is not a Meta language code such as ko or en_US.`);
  }

  validateHeader(template, add);
  validateBody(template, add);
  validateFooter(template.footer, add);
  for (const issue of validateButtons(template)) issues.push(issue);
  return issues;
}

/** Throw a `validation_failed` HeraldError listing every issue, or return when the template is valid. */
export function assertValidTemplate(template: Template): void {
  const issues = validateTemplate(template);
  if (issues.length > 0) {
    throw new HeraldError("validation_failed", `The template breaks ${issues.length} of Meta's rules.`, { issues });
  }
}

type Add = (path: string, rule: TemplateRule, message: string) => void;

function validateHeader(template: Template, add: Add): void {
  const header: TemplateHeader | null = template.header;
  if (header === null) return;
  if (template.category === "AUTHENTICATION") {
    // Authentication templates are built from Meta's preset text: no header, no media (Meta "Authentication templates").
    add("header", "header.not_allowed", "Authentication templates cannot have a header.");
    return;
  }
  switch (header.kind) {
    case "TEXT": {
      if (header.text.trim() === "") add("header.text", "header.text.required", "A text header needs text.");
      if (header.text.length > TEMPLATE_LIMITS.headerTextLength) {
        add("header.text", "header.text.length", `The header is ${header.text.length} characters; the limit is 60.`);
      }
      checkVariableSyntax(header.text, "header.text", template.parameterFormat, add);
      const names = variableNames(header.text);
      if (findPlaceholders(header.text).length > TEMPLATE_LIMITS.headerTextVariables) {
        add("header.text", "header.text.variables", "A text header can hold at most one variable.");
      } else if (template.parameterFormat === "POSITIONAL" && names[0] !== undefined && names[0] !== "1") {
        // Header variables are numbered on their own, so the only one is {{1}}.
        add("header.text", "variable.sequence", `The header's variable must be {{1}}, not {{${names[0]}}}.`);
      }
      if (names.length > 0 && (header.example ?? "").trim() === "") {
        add("header.example", "example.required", "Give a sample value for the header's variable; review needs it.");
      }
      return;
    }
    case "IMAGE":
    case "VIDEO":
    case "DOCUMENT":
      // Media headers need a sample (an uploaded handle) for review (Meta "Components" › Media headers).
      if ((header.example ?? "").trim() === "") {
        add("header.example", "header.example.required", `An ${header.kind.toLowerCase()} header needs a sample file.`);
      }
      return;
    case "LOCATION":
      return;
    default: {
      const unexpected: never = header;
      throw new Error(`unknown header ${JSON.stringify(unexpected)}`);
    }
  }
}

function validateBody(template: Template, add: Add): void {
  const { body } = template;
  if (body.trim() === "") {
    add("body", "body.required", "The body is required.");
    return;
  }
  if (body.length > TEMPLATE_LIMITS.bodyLength) {
    add("body", "body.length", `The body is ${body.length} characters; the limit is 1024.`);
  }
  checkVariableSyntax(body, "body", template.parameterFormat, add);

  const placeholders = findPlaceholders(body);
  const names = variableNames(body);
  if (template.parameterFormat === "POSITIONAL") {
    // Positional variables are {{1}}, {{2}}, … in order of first appearance, with no gap (INVALID_FORMAT otherwise).
    const numbered = names.filter((name) => POSITIONAL_NAME.test(name));
    const expected = numbered.map((_, index) => String(index + 1));
    if (numbered.join(",") !== expected.join(",")) {
      add(
        "body",
        "variable.sequence",
        `Number the variables {{1}} to {{${numbered.length}}} in order of appearance; found ${numbered.map((n) => `{{${n}}}`).join(", ")}.`,
      );
    }
  }

  if (template.category === "AUTHENTICATION") {
    // Meta writes the authentication body itself ("{{1}} is your verification code."), so placement rules do not
    // apply; its own rules are no URLs and no emoji (Meta "Authentication templates").
    if (URL_IN_TEXT.test(body)) add("body", "body.no_url", "Authentication templates cannot contain URLs.");
    if (EMOJI.test(body)) add("body", "body.no_emoji", "Authentication templates cannot contain emoji.");
  } else {
    const first = placeholders[0];
    const last = placeholders.at(-1);
    // Common INVALID_FORMAT rejections: a variable at the very start or end of the body, even before final punctuation.
    if (first !== undefined && body.slice(0, first.start).trim() === "") {
      add("body", "body.variable_at_start", "The body cannot start with a variable; put some words before it.");
    }
    if (last !== undefined && !/[\p{L}\p{N}]/u.test(body.slice(last.end))) {
      add("body", "body.variable_at_end", "The body cannot end with a variable; add words after it.");
    }
    // Meta rejects parameters "placed next to each other (like {{1}}{{2}}) without text or punctuation between them".
    for (let index = 1; index < placeholders.length; index++) {
      const before = placeholders[index - 1];
      const current = placeholders[index];
      if (before !== undefined && current !== undefined && body.slice(before.end, current.start).trim() === "") {
        add(
          "body",
          "body.adjacent_variables",
          `{{${before.name}}} and {{${current.name}}} are next to each other; separate them with words or punctuation.`,
        );
      }
    }
  }

  // Review needs a sample for every variable (Meta: example.body_text / body_text_named_params).
  for (const name of names) {
    if ((template.examples[name] ?? "").trim() === "") {
      add(
        `examples.${name}`,
        "example.required",
        `Give a sample value for {{${name}}}; review needs one for every variable.`,
      );
    }
  }
}

function validateFooter(footer: string | null, add: Add): void {
  if (footer === null) return;
  if (footer.length > TEMPLATE_LIMITS.footerLength) {
    add("footer", "footer.length", `The footer is ${footer.length} characters; the limit is 60.`);
  }
  if (findPlaceholders(footer).length > 0 || hasStrayBraces(footer)) {
    add("footer", "footer.variables", "The footer cannot contain variables.");
  }
}

/** Report malformed placeholders and ones written in the other parameter format. */
function checkVariableSyntax(text: string, path: string, format: Template["parameterFormat"], add: Add): void {
  if (hasStrayBraces(text)) {
    add(path, "variable.malformed", "Unbalanced braces: write variables exactly as {{1}} or {{first_name}}.");
  }
  for (const { name } of findPlaceholders(text)) {
    const positional = POSITIONAL_NAME.test(name);
    const named = NAMED_NAME.test(name);
    if (!positional && !named) {
      add(
        path,
        "variable.malformed",
        `{{${name}}} is not a variable: use a number ({{1}}) or lowercase letters and underscores ({{first_name}}), without spaces.`,
      );
    } else if (format === "POSITIONAL" && !positional) {
      add(path, "variable.format_mismatch", `{{${name}}} is a named variable but the template is POSITIONAL.`);
    } else if (format === "NAMED" && !named) {
      add(path, "variable.format_mismatch", `{{${name}}} is a numbered variable but the template is NAMED.`);
    }
  }
}
