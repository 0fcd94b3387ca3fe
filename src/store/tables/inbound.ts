/** Inbound messages (migration 0007): the typed copy of each message a contact sent, one row per wamid. */
export interface InboundMessagesTable {
  id: string;
  /** Meta's wamid (unique: duplicated deliveries are ignored). */
  provider_message_id: string;
  /** The sender number the message was addressed to (null when no sender has that phone number id). */
  sender_id: string | null;
  contact_seq: number | null;
  /** The WhatsApp id (digits) it came from. */
  wa_id: string;
  /** text, button, interactive, image, … as Meta names it. */
  type: string;
  /** What a person reads: the text, the button's or list row's title, a caption. */
  text: string | null;
  /** A quick-reply button's payload or an interactive reply's id. */
  payload: string | null;
  /** The wamid it quoted (`context.id`), when it did. */
  context_message_id: string | null;
  /** Our `messages.id` it answers: the quoted one, or else the latest message sent to the contact in the 24 hours before. */
  reply_to_message_id: string | null;
  campaign_id: string | null;
  /** The typed message as JSON (src/whatsapp/webhook/events.ts InboundMessage). */
  message: string;
  /** Meta's timestamp of the message. */
  received_at: number;
  created_at: number;
}

export interface InboundTables {
  inbound_messages: InboundMessagesTable;
}
