/** Raw inbound webhook POSTs, stored before they are acknowledged and applied afterwards (DESIGN §2 "Webhook"). */
export interface WebhookEventsTable {
  id: string;
  received_at: number;
  /** The sender whose app secret verified the signature. */
  sender_id: string | null;
  /** The exact body as received (UTF-8), so the signature can be checked again and nothing is lost. */
  body: string;
  status: "pending" | "applied" | "parked";
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  applied_at: number | null;
  last_error: string | null;
  /** JSON `{ kind: count }` of the events the body held. */
  kinds: string | null;
  /** JSON `{ kind: count }` of events no handler took (kept in `body`, visible in the API). */
  unhandled: string | null;
}

export interface WebhookTables {
  webhook_events: WebhookEventsTable;
}
