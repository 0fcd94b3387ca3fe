/**
 * Tables for several Herald processes on one database and for single API messages. Created by
 * migrations/0008_workers.ts.
 */

/** One resource that one process owns at a time (DESIGN §5): `sender:<id>` (the number's send rate), `scheduler`. */
export interface EngineLeasesTable {
  resource: string;
  /** `host:pid:random` of the process holding it. */
  owner: string;
  /** Epoch ms, by the holder's clock, after which another process may take the resource. */
  lease_until: number;
  /** When the current owner took it. */
  acquired_at: number;
  renewed_at: number;
}

/** The idempotency key a client sent with `POST /api/v1/messages`, and the message it created. */
export interface MessageRequestsTable {
  idempotency_key: string;
  message_id: string;
  /** SHA-256 of the request's canonical JSON: a repeat with other content is refused. */
  request_hash: string;
  created_at: number;
}

export interface WorkerTables {
  engine_leases: EngineLeasesTable;
  message_requests: MessageRequestsTable;
}
