// Which role may do what, as the server's table says (src/domain/auth/roles.ts). The dashboard only uses it to hide
// what a role cannot do; the server enforces it, and its 403 is shown if the two ever disagree.
import type { Role } from "../api/types";

export type Permission =
  | "contacts.write"
  | "segments.manage"
  | "senders.manage"
  | "campaigns.manage"
  | "automations.manage"
  | "templates.manage";

const GRANTS: Record<Permission, readonly Role[]> = {
  "contacts.write": ["admin", "marketer"],
  "segments.manage": ["admin", "marketer"],
  "senders.manage": ["admin"],
  "campaigns.manage": ["admin", "marketer"],
  "automations.manage": ["admin", "marketer"],
  "templates.manage": ["admin", "marketer"],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[permission].includes(role);
}
