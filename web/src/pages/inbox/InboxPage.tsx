import { SectionPlaceholder } from "../../components/SectionPlaceholder";

/** Inbox: not built yet; says what it will do. Replace with the real page when its API exists. */
export function InboxPage() {
  return <SectionPlaceholder section="inbox" />;
}
