import { SectionPlaceholder } from "../../components/SectionPlaceholder";

/** Analytics: not built yet; says what it will do. Replace with the real page when its API exists. */
export function AnalyticsPage() {
  return <SectionPlaceholder section="analytics" />;
}
