import { timingSafeEqual } from "node:crypto";
import { HeraldError } from "../domain/errors.js";
import type { SecretBox } from "../secret-box.js";
import type { Store } from "../store/db.js";
import { findSenderCredentialsForWebhook, listVerifyTokens, type SenderCredentials } from "../store/senders.js";
import { insertWebhookEvents } from "../store/webhook-events.js";
import { verifySignature } from "../whatsapp/webhook/index.js";

/**
 * The front door for WhatsApp webhooks: verify `X-Hub-Signature-256` over the exact raw bytes with
 * the app secret of a sender the payload names, store the body durably, and only then let the
 * route answer 200 (DESIGN invariant 2: every acknowledged event is stored). A bad signature
 * stores nothing. Applying the events is the applier's job (engine/applier.ts), after the answer.
 */
export interface WebhookIntakeDeps {
  store: Store;
  box: SecretBox;
  now: () => number;
}

// Sender credentials by id key, cached briefly: a campaign's status webhooks arrive at thousands per
// second and all name the same few numbers; 5 s bounds how long a rotated app secret takes to apply.
const CACHE_MS = 5_000;

/** Creates the intake: `accept` for POSTs and `verifyHandshake` for Meta's GET subscription check. */
export function createWebhookIntake(deps: WebhookIntakeDeps) {
  const cache = new Map<string, { at: number; creds: SenderCredentials[] }>();

  // Group commit: verified POSTs wait here (microseconds) and are stored together, one statement and one commit
  // for all that arrived while the previous group was being written, each answered only once its row is stored.
  // With the engine in its own thread (engine-thread.ts) a write may wait for the engine's transaction in progress:
  // awaited (store.writeTurn), so the event loop keeps reading, verifying and queueing the next POSTs meanwhile.
  type Waiting = { senderId: string; body: string; resolve: (id: string) => void; reject: (err: unknown) => void };
  let queue: Waiting[] = [];
  let writing = false;
  let scheduled = false;
  async function writeQueued(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const group = queue;
        queue = [];
        const release = deps.store.writeTurn ? await deps.store.writeTurn() : null;
        try {
          const ids = await insertWebhookEvents(deps.store.db, group, deps.now());
          for (const [i, w] of group.entries()) w.resolve(ids[i] as string);
        } catch (err) {
          for (const w of group) w.reject(err);
        } finally {
          release?.();
        }
      }
    } finally {
      writing = false;
    }
  }
  function store(senderId: string, body: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      queue.push({ senderId, body, resolve, reject });
      if (writing || scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        void writeQueued();
      });
    });
  }

  async function candidates(ids: { phoneNumberIds: string[]; wabaIds: string[] }): Promise<SenderCredentials[]> {
    const key = `${ids.phoneNumberIds.join(",")}|${ids.wabaIds.join(",")}`;
    const now = deps.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit.creds;
    const creds = await findSenderCredentialsForWebhook(deps.store.db, deps.box, ids);
    if (cache.size > 1000) cache.clear();
    cache.set(key, { at: now, creds });
    return creds;
  }

  return {
    /** Verifies and stores one POST; returns the stored event id. Throws `unauthorized` or `validation_failed`. */
    async accept(rawBody: Buffer, signature: string | undefined): Promise<string> {
      if (!signature) throw new HeraldError("unauthorized", "missing X-Hub-Signature-256 header");
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody.toString("utf8"));
      } catch {
        throw new HeraldError("validation_failed", "the webhook body is not JSON", {
          issues: [{ path: "body", message: "not JSON" }],
        });
      }
      const ids = namedIds(parsed);
      const creds = await candidates(ids);
      const secrets = [...new Map(creds.map((c) => [c.appSecret, c])).values()];
      const match = secrets.find((c) => verifySignature(rawBody, signature, c.appSecret));
      if (!match) {
        throw new HeraldError(
          "unauthorized",
          creds.length === 0
            ? "no sender matches this webhook's phone number id or WABA id"
            : "signature does not match",
        );
      }
      return store(match.sender.id, rawBody.toString("utf8"));
    },

    /** Meta's `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: true when the token is a sender's. */
    async verifyHandshake(mode: string | undefined, token: string | undefined): Promise<boolean> {
      if (mode !== "subscribe" || !token) return false;
      const given = Buffer.from(token);
      for (const { verifyToken } of await listVerifyTokens(deps.store.db, deps.box)) {
        const want = Buffer.from(verifyToken);
        if (want.length === given.length && timingSafeEqual(want, given)) return true;
      }
      return false;
    },
  };
}

export type WebhookIntake = ReturnType<typeof createWebhookIntake>;

/** The phone number ids (`value.metadata.phone_number_id`) and WABA ids (`entry[].id`) a payload names. */
export function namedIds(payload: unknown): { phoneNumberIds: string[]; wabaIds: string[] } {
  const phoneNumberIds = new Set<string>();
  const wabaIds = new Set<string>();
  const entries = (payload as { entry?: unknown } | null)?.entry;
  if (Array.isArray(entries)) {
    for (const entry of entries.slice(0, 1000)) {
      const e = entry as { id?: unknown; changes?: unknown };
      if (typeof e?.id === "string" && e.id.length <= 64) wabaIds.add(e.id);
      if (!Array.isArray(e?.changes)) continue;
      for (const change of e.changes.slice(0, 1000)) {
        const id = (change as { value?: { metadata?: { phone_number_id?: unknown } } })?.value?.metadata
          ?.phone_number_id;
        if (typeof id === "string" && id.length <= 64) phoneNumberIds.add(id);
      }
    }
  }
  return { phoneNumberIds: [...phoneNumberIds].sort(), wabaIds: [...wabaIds].sort() };
}
