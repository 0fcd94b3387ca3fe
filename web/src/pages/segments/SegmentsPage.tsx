import { SectionPlaceholder } from "../../components/SectionPlaceholder";

/** Segments: not built yet; says what it will do. Replace with the real page when its API exists. */
export function SegmentsPage() {
  return <SectionPlaceholder section="segments" />;
}
