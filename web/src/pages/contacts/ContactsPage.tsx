import { SectionPlaceholder } from "../../components/SectionPlaceholder";

/** Contacts: not built yet; says what it will do. Replace with the real page when its API exists. */
export function ContactsPage() {
  return <SectionPlaceholder section="contacts" />;
}
