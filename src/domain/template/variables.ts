/**
 * Finding `{{…}}` placeholders in template text. Meta's placeholders are exactly `{{1}}` (positional) or
 * `{{name}}` (named): no spaces, no other characters (whatsapp-reference.md §5.7, "placeholders well-formed").
 */

/** One `{{…}}` occurrence in a text. */
export interface Placeholder {
  /** The text between the braces, as written. */
  name: string;
  /** Index of the first "{" in the text. */
  start: number;
  /** Index just after the last "}". */
  end: number;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Positional variable names: 1, 2, 3… (no leading zero). */
export const POSITIONAL_NAME = /^[1-9][0-9]*$/;

/** Named variable names: lowercase letters and underscores (Meta, "Template fundamentals"). */
export const NAMED_NAME = /^[a-z_]+$/;

/** Every `{{…}}` in `text`, in order. */
export function findPlaceholders(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => ({
    name: match[1] ?? "",
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** The distinct variable names of `text`, in order of first appearance. */
export function variableNames(text: string): string[] {
  return [...new Set(findPlaceholders(text).map((placeholder) => placeholder.name))];
}

/** The text with every placeholder removed; what is left is the template's fixed wording. */
export function withoutPlaceholders(text: string): string {
  return text.replace(PLACEHOLDER, " ");
}

/** True when double braces are left over once the well-formed placeholders are removed ("{{1}", "{{{1}}}"). */
export function hasStrayBraces(text: string): boolean {
  return /\{\{|\}\}|\{\uE000|\uE000\}/.test(text.replace(PLACEHOLDER, "\uE000"));
}

/** Replace each placeholder with `valueFor(name)`. */
export function fillPlaceholders(text: string, valueFor: (name: string) => string): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => valueFor(name));
}
