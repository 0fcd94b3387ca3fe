import { SegmentedControl } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { changeLanguage, currentLanguage, LANGUAGES, type Language } from "../i18n";

/** English / 한국어 toggle. Each language is named in itself, so anyone can find their own. */
export function LanguageSwitch() {
  // useTranslation re-renders this component whenever the language changes.
  const { t } = useTranslation();
  return (
    <SegmentedControl<Language>
      size="xs"
      aria-label={t("shell.language")}
      data-testid="language-switch"
      value={currentLanguage()}
      onChange={(language) => void changeLanguage(language)}
      data={LANGUAGES.map((language) => ({ value: language.code, label: language.label }))}
    />
  );
}
