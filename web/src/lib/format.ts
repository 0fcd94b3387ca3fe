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

/** A date without the time, e.g. "Mar 5, 2026". */
export function formatDate(epochMs: number): string {
  return new Intl.DateTimeFormat(displayLocale(), { dateStyle: "medium" }).format(epochMs);
}

/** A count with the locale's grouping, e.g. "12,345". */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(displayLocale()).format(value);
}

/** A 0–1 ratio as a percentage, e.g. 0.456 → "46%". */
export function formatPercent(ratio: number): string {
  return new Intl.NumberFormat(displayLocale(), { style: "percent", maximumFractionDigits: 0 }).format(ratio);
}

/** A country code as its name in the UI language ("KR" → "South Korea" / "대한민국"), or the code itself. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([displayLocale()], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A file size, e.g. "1.5 MB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(displayLocale(), { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
