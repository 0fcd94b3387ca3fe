import { SectionPlaceholder } from "../../components/SectionPlaceholder";

/** Templates: not built yet; says what it will do. Replace with the real page when its API exists. */
export function TemplatesPage() {
  return <SectionPlaceholder section="templates" />;
}
