/**
 * Keyword auto-replies (migration 0011): the rules with their statistics, the installation's guard settings, one
 * run per inbound message a rule answered (the unique key that makes a reply happen at most once), and the
 * hand-overs to a person that the inbox reads.
 */

export interface AutomationRulesTable {
  id: string;
  name: string;
  /** 0/1 */
  enabled: number;
  /** Evaluation order: lower first (priority); reorder rewrites 0…n-1, ties fall back to created_at. */
  position: number;
  /** JSON domain/automation Trigger. */
  trigger: string;
  /** JSON Condition[]. */
  conditions: string;
  /** JSON Action[]. */
  actions: string;
  /** How many inbound messages the rule answered (it was the first to fire). */
  matches: number;
  /** How many reply messages it queued (a guard or a closed window may stop one). */
  replies: number;
  last_matched_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** One row (id = 1): guard settings and the rules' version (bumped on every rule change; engines reload on it). */
export interface AutomationSettingsTable {
  id: number;
  max_replies_per_hour: number;
  loop_max_replies: number;
  loop_window_minutes: number;
  rules_version: number;
  updated_at: number;
}

export type AutomationRunOutcome = "replied" | "suppressed" | "no_reply";

/** What a rule did for one inbound message. Unique per inbound message: a redelivered or re-applied one finds it. */
export interface AutomationRunsTable {
  id: string;
  inbound_message_id: string;
  rule_id: string | null;
  contact_seq: number;
  sender_id: string | null;
  outcome: AutomationRunOutcome;
  /** Why no reply (guard, closed window), or the trigger's explanation. */
  detail: string | null;
  /** The reply's `messages.id` (origin auto_reply), when one was written. */
  message_id: string | null;
  created_at: number;
}

/**
 * A conversation handed to a person by a rule. The inbox (another module) shows open hand-overs first and closes
 * them (`resolved_at`) when an agent answers; until it exists they are listed by GET /api/v1/automation/handovers.
 */
export interface AutomationHandoversTable {
  id: string;
  contact_seq: number;
  sender_id: string | null;
  inbound_message_id: string;
  rule_id: string | null;
  note: string | null;
  created_at: number;
  resolved_at: number | null;
}

export interface AutomationTables {
  automation_rules: AutomationRulesTable;
  automation_settings: AutomationSettingsTable;
  automation_runs: AutomationRunsTable;
  automation_handovers: AutomationHandoversTable;
}
