/** What the inbound-message handler hands to the auto-replies for one newly stored inbound message. */
export interface AutomationInbound {
  /** The `inbound_messages.id` (the run is unique per inbound message). */
  inboundMessageId: string;
  contactId: string;
  contactSeq: number;
  /** The sender's WhatsApp id: the reply goes there. */
  waId: string;
  /** The phone number id the message was addressed to (which sender number answers). */
  phoneNumberId: string | undefined;
  /** What a person reads (text, button title, caption). */
  text: string | null;
  /** A quick-reply payload or an interactive reply id. */
  payload: string | null;
  /** Meta's timestamp of the message. */
  receivedAt: number;
  /**
   * The contact was created for this message in the same transaction and nothing changed it since: no tags, no
   * other message, no replies, consent unknown (its facts need no reading).
   */
  newContact?: boolean;
}
