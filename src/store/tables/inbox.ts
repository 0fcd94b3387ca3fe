/**
 * The team inbox (issue 6, migration 0010_inbox): one conversation per contact × sender number, the first-response
 * record of each answered waiting period, who wrote each agent reply, canned replies, and the inbox settings row.
 */
import type { ConversationStatus } from "../../domain/inbox/conversation.js";

export interface ConversationsTable {
  id: string;
  contact_seq: number;
  sender_id: string;
  status: ConversationStatus;
  /** users.id of the agent it is assigned to. */
  assigned_to: string | null;
  /** The contact's last message to this number: the 24-hour window is counted from it (Meta: per number). */
  last_inbound_at: number | null;
  /** The last agent or automatic reply sent in it. */
  last_outbound_at: number | null;
  /** The newer of the two, for display. */
  last_message_at: number;
  /** The first characters of the last message, for the list. */
  last_preview: string | null;
  /** Inbound messages since an agent last read or answered it. */
  unread: number;
  /** The contact's first message not answered yet; null when nothing is waiting. */
  waiting_since: number | null;
  created_at: number;
  /** Every change moves it: the live stream (SSE) sends what changed since it last looked. */
  updated_at: number;
}

/** One answered waiting period: how long the customer waited for the first reply, and who gave it. */
export interface ConversationResponsesTable {
  id: string;
  conversation_id: string;
  waiting_since: number;
  responded_at: number;
  response_ms: number;
  responder: "agent" | "auto";
  /** The agent (users.id); null for an automatic reply or an API-key reply. */
  user_id: string | null;
  message_id: string;
}

/** The author of each agent reply (`messages` rows with origin 'agent' carry no user). */
export interface ConversationRepliesTable {
  message_id: string;
  conversation_id: string;
  /** null when an integration (API key) replied. */
  user_id: string | null;
  created_at: number;
}

export interface CannedRepliesTable {
  id: string;
  /** Typed after "/" in the composer; unique per language (domain/inbox SHORTCUT_PATTERN). */
  shortcut: string;
  title: string;
  body: string;
  /** A language code like `ko` or `en`. */
  language: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A single row (id = 1): what makes a customer "high value" for the inbox's ordering. */
export interface InboxSettingsTable {
  id: number;
  /** Contacts with this tag come first (default VIP). */
  priority_tag: string | null;
  /** Or: contacts in this segment come first (when both are set, either counts). */
  priority_segment_id: string | null;
  updated_at: number;
}

export interface InboxTables {
  conversations: ConversationsTable;
  conversation_responses: ConversationResponsesTable;
  conversation_replies: ConversationRepliesTable;
  canned_replies: CannedRepliesTable;
  inbox_settings: InboxSettingsTable;
}
