import { SectionPlaceholder } from "../../components/SectionPlaceholder";

/** Campaigns: not built yet; says what it will do. Replace with the real page when its API exists. */
export function CampaignsPage() {
  return <SectionPlaceholder section="campaigns" />;
}
