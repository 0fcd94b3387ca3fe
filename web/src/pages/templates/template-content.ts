// Pure helpers over a template's content for the editor and the live preview (the server's rules are in
// src/domain/template; these only mirror what the editor needs to show while typing).
import type { Bubble, BubbleButton, TemplateButton, TemplateContent } from "../../api/types";

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The distinct variable names of a text, in order of first appearance ("1", "2" or "first_name"). */
export function variableNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? "";
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The next variable to insert: `{{n+1}}` for positional, `{{variable_n}}` for named. */
export function nextVariable(content: TemplateContent): string {
  const names = variableNames(content.body);
  if (content.parameterFormat === "POSITIONAL") {
    const highest = names.reduce((max, name) => Math.max(max, Number.parseInt(name, 10) || 0), 0);
    return String(highest + 1);
  }
  let n = names.length + 1;
  while (names.includes(`variable_${n}`)) n++;
  return `variable_${n}`;
}

/** Replaces each `{{name}}` with its value, leaving the placeholder when there is none. */
export function fillText(text: string, values: Record<string, string>): string {
  return text.replace(VARIABLE, (whole, name: string) => {
    const value = values[name];
    return value === undefined || value === "" ? whole : value;
  });
}

/** True when a URL button's URL ends in a variable (a per-recipient suffix). */
export function urlHasVariable(url: string): boolean {
  return /\{\{[^}]+\}\}\s*$/.test(url);
}

const DEFAULT_LABELS = { COPY_CODE: "Copy offer code", OTP: "Copy code" } as const;

function bubbleButton(button: TemplateButton): BubbleButton {
  switch (button.kind) {
    case "QUICK_REPLY":
      return { kind: "QUICK_REPLY", text: button.text };
    case "URL":
      return {
        kind: "URL",
        text: button.text,
        url: urlHasVariable(button.url) ? fillText(button.url, { "1": button.example ?? "" }) : button.url,
      };
    case "PHONE_NUMBER":
      return { kind: "PHONE_NUMBER", text: button.text, phoneNumber: button.phoneNumber };
    case "COPY_CODE":
      return { kind: "COPY_CODE", text: DEFAULT_LABELS.COPY_CODE, code: button.example };
    case "OTP":
      return { kind: "OTP", text: button.text || DEFAULT_LABELS.OTP, code: "123456" };
    default: {
      const never: never = button;
      throw new Error(`unknown button ${JSON.stringify(never)}`);
    }
  }
}

/** The bubble of unsaved content, filled with its own samples (what Meta's reviewers read). */
export function sampleBubble(content: TemplateContent): Bubble {
  const header = content.header;
  return {
    header:
      header === null
        ? null
        : header.kind === "TEXT"
          ? { kind: "TEXT", text: fillText(header.text, { "1": header.example ?? "" }) }
          : header.kind === "LOCATION"
            ? { kind: "LOCATION", latitude: 37.5665, longitude: 126.978 }
            : { kind: header.kind, media: { link: header.example ?? "" } },
    body: fillText(content.body, content.examples),
    footer: content.footer,
    buttons: content.buttons.map(bubbleButton),
  };
}

/**
 * The places of a template a campaign must map, as the server computes them (src/domain/campaign/variables.ts):
 * body variable names, "header" for a text header with a variable, "button.N" for a URL button with a suffix.
 */
export function requiredPlaces(content: TemplateContent): string[] {
  const places = variableNames(content.body);
  if (content.header?.kind === "TEXT" && variableNames(content.header.text).length > 0) places.push("header");
  content.buttons.forEach((button, index) => {
    if (button.kind === "URL" && urlHasVariable(button.url)) places.push(`button.${index}`);
  });
  return places;
}

/** The sample value of a place, from the template's own samples. */
export function placeSample(content: TemplateContent, place: string): string {
  if (place === "header") return content.header?.kind === "TEXT" ? (content.header.example ?? "") : "";
  if (place.startsWith("button.")) {
    const button = content.buttons[Number(place.slice(7))];
    return button?.kind === "URL" ? (button.example ?? "") : "";
  }
  return content.examples[place] ?? "";
}

/** Keeps only the samples of variables the body still has, and adds empty ones for new variables. */
export function syncExamples(body: string, examples: Record<string, string>): Record<string, string> {
  const next: Record<string, string> = {};
  for (const name of variableNames(body)) next[name] = examples[name] ?? "";
  return next;
}

/** An empty template to start from. */
export function emptyTemplate(): TemplateContent {
  return {
    name: "",
    language: "ko",
    category: "MARKETING",
    parameterFormat: "POSITIONAL",
    header: null,
    body: "",
    examples: {},
    footer: null,
    buttons: [],
  };
}
