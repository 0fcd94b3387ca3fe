/**
 * Who may do what. Roles are coarse on purpose: an `admin` runs the installation, a `marketer`
 * runs contacts, segments, templates, campaigns, automations and analytics, an `agent` answers
 * the inbox. Each API route names the permission it needs; this table is the only place that
 * maps permissions to roles.
 */
export const ROLES = ["admin", "marketer", "agent"] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | "users.manage"
  | "apikeys.manage"
  | "senders.manage"
  | "settings.manage"
  | "contacts.read"
  | "contacts.write"
  | "segments.manage"
  | "templates.manage"
  | "campaigns.manage"
  | "messages.send"
  | "automations.manage"
  | "automations.read"
  | "analytics.read"
  | "inbox.use"
  | "self.read";

const GRANTS: Record<Permission, readonly Role[]> = {
  "users.manage": ["admin"],
  "apikeys.manage": ["admin"],
  "senders.manage": ["admin"],
  "settings.manage": ["admin"],
  "contacts.read": ["admin", "marketer", "agent"],
  "contacts.write": ["admin", "marketer"],
  "segments.manage": ["admin", "marketer"],
  "templates.manage": ["admin", "marketer"],
  "campaigns.manage": ["admin", "marketer"],
  "messages.send": ["admin", "marketer"],
  "automations.manage": ["admin", "marketer"],
  "automations.read": ["admin", "marketer", "agent"],
  "analytics.read": ["admin", "marketer"],
  "inbox.use": ["admin", "marketer", "agent"],
  "self.read": ["admin", "marketer", "agent"],
};

/** True when `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return GRANTS[permission].includes(role);
}

/** True when `value` names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
