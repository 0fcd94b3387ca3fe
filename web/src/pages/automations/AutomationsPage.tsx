import { SectionPlaceholder } from "../../components/SectionPlaceholder";

/** Automations: not built yet; says what it will do. Replace with the real page when its API exists. */
export function AutomationsPage() {
  return <SectionPlaceholder section="automations" />;
}
