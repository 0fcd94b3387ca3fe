// Formatting of server values for display, in the user's locale.
import i18n from "../i18n";

/**
 * The locale for dates and numbers: the browser's own locale when it is a variant of the UI language (so an
 * en-GB browser gets day/month order in the English UI), else the UI language itself.
 */
export function displayLocale(): string {
  const language = i18n.resolvedLanguage ?? "en";
  const preferred = navigator.languages?.find((tag) => tag.toLowerCase().split("-")[0] === language);
  return preferred ?? language;
}

/** A UTC epoch-milliseconds time as a local date and time, e.g. "Mar 5, 2026, 14:03". */
export function formatTime(epochMs: number): string {
  return new Intl.DateTimeFormat(displayLocale(), { dateStyle: "medium", timeStyle: "short" }).format(epochMs);
}
