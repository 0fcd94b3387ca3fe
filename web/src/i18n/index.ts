// i18next setup: English and Korean bundled in the app (no loading), the chosen language kept in localStorage and
// mirrored to <html lang> so screen readers and fonts pick the right language.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { ko } from "./ko";

export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "ko", label: "한국어" },
] as const;
export type Language = (typeof LANGUAGES)[number]["code"];

const STORAGE_KEY = "herald.language";

function isLanguage(value: string | null | undefined): value is Language {
  return LANGUAGES.some((language) => language.code === value);
}

/** The saved language, else Korean when the browser prefers Korean, else English. */
export function initialLanguage(): Language {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be blocked (privacy mode); fall back to the browser's language.
  }
  if (isLanguage(saved)) return saved;
  return navigator.language?.toLowerCase().startsWith("ko") ? "ko" : "en";
}

/** Switches the UI language and remembers it for the next visit. */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but the switch still works for this visit.
  }
  await i18n.changeLanguage(language);
}

/** The current UI language. */
export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : "en";
}

i18n.on("languageChanged", (language) => {
  document.documentElement.lang = language;
});

// The resources are bundled, so initialising synchronously means the first render already has its strings.
void i18n.use(initReactI18next).init({
  initAsync: false,
  resources: { en: { translation: en }, ko: { translation: ko } },
  lng: initialLanguage(),
  fallbackLng: "en",
  supportedLngs: LANGUAGES.map((language) => language.code),
  // React escapes text already.
  interpolation: { escapeValue: false },
});

export default i18n;
