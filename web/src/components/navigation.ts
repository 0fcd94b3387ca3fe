// The dashboard's sections, in menu order. Adding a section here adds it to the menu; its route goes in router.tsx.
import {
  type Icon,
  IconAddressBook,
  IconChartBar,
  IconFilter,
  IconMessages,
  IconRobot,
  IconSettings,
  IconSpeakerphone,
  IconTemplate,
} from "@tabler/icons-react";

export type SectionKey =
  | "contacts"
  | "segments"
  | "templates"
  | "campaigns"
  | "inbox"
  | "automations"
  | "analytics"
  | "settings";

export interface NavItem {
  key: SectionKey;
  path: string;
  icon: Icon;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { key: "contacts", path: "/contacts", icon: IconAddressBook },
  { key: "segments", path: "/segments", icon: IconFilter },
  { key: "templates", path: "/templates", icon: IconTemplate },
  { key: "campaigns", path: "/campaigns", icon: IconSpeakerphone },
  { key: "inbox", path: "/inbox", icon: IconMessages },
  { key: "automations", path: "/automations", icon: IconRobot },
  { key: "analytics", path: "/analytics", icon: IconChartBar },
  { key: "settings", path: "/settings", icon: IconSettings },
];

/** The icon of a section, for page headers and empty states. */
export function sectionIcon(key: SectionKey): Icon {
  return NAV_ITEMS.find((item) => item.key === key)?.icon ?? IconSettings;
}
