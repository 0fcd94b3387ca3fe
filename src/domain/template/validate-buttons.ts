/**
 * Meta's rules for template buttons (Meta "Components" › Buttons; whatsapp-reference.md §5.7): at most 10 in all,
 * at most 2 URL, 1 phone number and 1 copy-code button, labels ≤ 25 characters, quick replies grouped together,
 * a URL that may end in one variable, and OTP buttons only (and always) in authentication templates.
 */
import { normalizePhone } from "../phone/normalize.js";
import type { Template, TemplateButton } from "./model.js";
import { TEMPLATE_LIMITS, type TemplateIssue, type TemplateRule } from "./rules.js";
import { findPlaceholders, hasStrayBraces } from "./variables.js";

/** Every button rule the template breaks. */
export function validateButtons(template: Template): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const add = (path: string, rule: TemplateRule, message: string) => issues.push({ path, rule, message });
  const { buttons } = template;

  if (buttons.length > TEMPLATE_LIMITS.buttonsTotal) {
    add("buttons", "buttons.total", `${buttons.length} buttons; a template can have at most 10.`);
  }
  const count = (kind: TemplateButton["kind"]) => buttons.filter((button) => button.kind === kind).length;
  if (count("URL") > TEMPLATE_LIMITS.urlButtons) add("buttons", "buttons.url_count", "At most 2 URL buttons.");
  if (count("PHONE_NUMBER") > TEMPLATE_LIMITS.phoneButtons) {
    add("buttons", "buttons.phone_count", "At most 1 phone-number button.");
  }
  if (count("COPY_CODE") > TEMPLATE_LIMITS.copyCodeButtons) {
    add("buttons", "buttons.copy_code_count", "At most 1 copy-code button.");
  }
  // Quick replies and the other buttons must form two groups, not be interleaved (Meta: "buttons must be grouped").
  const switches = buttons.filter(
    (button, index) => index > 0 && (button.kind === "QUICK_REPLY") !== (buttons[index - 1]?.kind === "QUICK_REPLY"),
  ).length;
  if (switches > 1) {
    add("buttons", "buttons.grouping", "Put all quick-reply buttons together, before or after the other buttons.");
  }
  if (template.category === "AUTHENTICATION" && (count("OTP") !== 1 || buttons.length !== 1)) {
    add("buttons", "buttons.otp_required", "An authentication template has exactly one button: the OTP button.");
  }

  buttons.forEach((button, index) => {
    validateButton(template, button, `buttons[${index}]`, add);
  });
  return issues;
}

type Add = (path: string, rule: TemplateRule, message: string) => void;

function validateButton(template: Template, button: TemplateButton, path: string, add: Add): void {
  switch (button.kind) {
    case "QUICK_REPLY":
      checkLabel(button.text, path, add);
      return;
    case "URL":
      checkLabel(button.text, path, add);
      checkUrl(button.url, button.example, path, add);
      return;
    case "PHONE_NUMBER": {
      checkLabel(button.text, path, add);
      const phone = normalizePhone(button.phoneNumber);
      if (!phone.ok)
        add(`${path}.phoneNumber`, "button.phone.invalid", `The phone number is not valid: ${phone.message}`);
      return;
    }
    case "COPY_CODE":
      if (button.example.trim() === "") {
        add(`${path}.example`, "button.example.required", "A copy-code button needs a sample code.");
      } else if (button.example.length > TEMPLATE_LIMITS.copyCodeExampleLength) {
        add(`${path}.example`, "button.example.length", "The sample code is longer than 15 characters.");
      }
      return;
    case "OTP":
      if (template.category !== "AUTHENTICATION") {
        add(path, "button.otp.category", "OTP buttons are only allowed in AUTHENTICATION templates.");
      }
      if (button.text !== undefined) checkLabel(button.text, path, add);
      return;
    default: {
      const unexpected: never = button;
      throw new Error(`unknown button ${JSON.stringify(unexpected)}`);
    }
  }
}

function checkLabel(text: string, path: string, add: Add): void {
  if (text.trim() === "") add(`${path}.text`, "button.text.required", "The button needs a label.");
  else if (text.length > TEMPLATE_LIMITS.buttonTextLength) {
    add(`${path}.text`, "button.text.length", `The label is ${text.length} characters; the limit is 25.`);
  }
}

/** A URL button: http(s), ≤ 2000 characters, at most one variable, only at the very end, with a sample. */
function checkUrl(url: string, example: string | undefined, path: string, add: Add): void {
  if (url.length > TEMPLATE_LIMITS.urlLength) {
    add(`${path}.url`, "button.url.length", `The URL is ${url.length} characters; the limit is 2000.`);
  }
  const placeholders = findPlaceholders(url);
  const last = placeholders.at(-1);
  if (hasStrayBraces(url) || placeholders.length > 1 || (last !== undefined && last.end !== url.length)) {
    add(`${path}.url`, "button.url.variable", "A URL can hold one variable, and only at its very end.");
  } else if (last !== undefined && last.name !== "1") {
    add(`${path}.url`, "button.url.variable", `The URL's variable must be written {{1}}, not {{${last.name}}}.`);
  }
  const base = placeholders.length > 0 ? url.slice(0, placeholders[0]?.start) : url;
  if (!isHttpUrl(`${base}x`)) add(`${path}.url`, "button.url.format", `"${url}" is not an http(s) URL.`);
  if (placeholders.length > 0 && (example ?? "").trim() === "") {
    add(`${path}.example`, "button.example.required", "Give a sample value for the URL's variable.");
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const parsed = new URL(text);
    return (parsed.protocol === "https:" || parsed.protocol === "http:") && parsed.hostname.includes(".");
  } catch {
    return false;
  }
}
