/**
 * The notifier: webhook_deliveries (pending) → the CRMs' endpoints (DESIGN §1 "notifier", issue 6).
 *
 * Input: subscriptions with pending outbox rows and no back-off, claimed under a lease (one POST in flight per
 * subscription, so its events arrive in the order they happened). For each, the oldest pending events (up to
 * `batchSize`) go out as one signed POST `{ deliveryId, sentAt, events: [...] }` (docs/webhooks.md).
 * Output: a 2xx marks them delivered; anything else (status, timeout, refused connection, redirect) counts an
 * attempt on each, holds the subscription for an exponential back-off (engine/retry.ts), and parks an event after
 * `maxAttempts` (visible in the delivery log, re-deliverable from the API and Settings).
 * Crash: a lease expires after LEASE_MS and the subscription is claimed again; the events of a POST whose result
 * was not recorded are sent again. Delivery is at least once: receivers deduplicate on each event's `id`.
 * Several processes on PostgreSQL claim disjoint subscriptions (SKIP LOCKED); results are written only while the
 * lease is still held.
 */
import { hostname } from "node:os";
import { HeraldError } from "../domain/errors.js";
import type { OutboundBody, OutboundEvent } from "../domain/webhooks/events.js";
import { newId } from "../ids.js";
import type { Logger } from "../logger.js";
import type { SecretBox } from "../secret-box.js";
import type { Store } from "../store/db.js";
import {
  claimDueSubscriptions,
  finishDelivery,
  headOfQueue,
  pruneWebhookDeliveries,
  recordSentEvent,
  type SubscriptionRow,
  type WebhookDeliveryRow,
  type WebhookDeliveryView,
} from "../store/webhook-outbox.js";
import { openSigningSecret } from "../store/webhook-subscriptions.js";
import { retryDelayMs } from "./retry.js";
import { Waker } from "./waker.js";
import { SIGNATURE_HEADER, signWebhookBody } from "./webhook-signature.js";

export const LEASE_MS = 60_000;

export interface NotifierOptions {
  store: Store;
  box: SecretBox;
  logger: Logger;
  now: () => number;
  /** Events per POST (default 200: ~60 KB of status events). */
  batchSize?: number;
  /** Attempts before an event is parked (default 10: with the default back-off, ~3 hours of retries). */
  maxAttempts?: number;
  /** Back-off after a failed POST: base × 2^(attempt−1), capped, ±20% jitter (default 30 s … 1 h). */
  backoff?: { baseMs: number; maxMs: number };
  /** Time allowed for one POST, answer included (default 10 s). */
  timeoutMs?: number;
  /** Subscriptions served at once (default 4). */
  concurrency?: number;
  /** How often to look for work when not woken (default 1 s). */
  pollMs?: number;
  /** Delivered events are kept this long in the log, then deleted (default 7 days). */
  keepDeliveredMs?: number;
}

export interface Notifier {
  /** Look for work now. */
  wake(): void;
  /** Delivers everything due now and resolves when nothing is left (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** What one POST came to. */
interface PostResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/** The outbox row as the receiver sees it. */
function toEvent(row: WebhookDeliveryRow): OutboundEvent {
  return {
    id: row.event_id,
    type: row.event_type as OutboundEvent["type"],
    occurredAt: row.occurred_at,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/** POSTs one signed body; never throws. Redirects are failures (a moved endpoint should be updated, not followed). */
async function post(url: string, secret: string, body: OutboundBody, timeoutMs: number): Promise<PostResult> {
  const text = JSON.stringify(body);
  try {
    const response = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Herald-Webhooks/1",
        [SIGNATURE_HEADER]: signWebhookBody(text, secret),
        "x-herald-delivery": body.deliveryId,
        "x-herald-timestamp": String(body.sentAt),
      },
      body: text,
    });
    const answer = (await response.text().catch(() => "")).slice(0, 200);
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null };
    return {
      ok: false,
      statusCode: response.status,
      error: `HTTP ${response.status}${answer ? `: ${answer.replace(/\s+/g, " ")}` : ""}`,
    };
  } catch (err) {
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { ok: false, statusCode: null, error: timedOut ? `no answer within ${timeoutMs} ms` : cause };
  }
}

/** Starts the notifier loop. */
export function startNotifier(options: NotifierOptions): Notifier {
  const { store, box, logger, now } = options;
  const owner = `${hostname()}:${process.pid}:notifier:${Math.random().toString(36).slice(2, 8)}`;
  const batchSize = options.batchSize ?? 200;
  const maxAttempts = options.maxAttempts ?? 10;
  const backoff = options.backoff ?? { baseMs: 30_000, maxMs: 60 * 60_000 };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 1_000;
  const keepDeliveredMs = options.keepDeliveredMs ?? 7 * 24 * 3600_000;
  let stopped = false;
  const waker = new Waker();
  let cycle = 0;
  let idleWaiters: { after: number; resolve: () => void }[] = [];
  let lastPrune = 0;

  /** Sends the head of one claimed subscription's queue and records the result. */
  async function serve(subscription: SubscriptionRow): Promise<void> {
    const rows = await headOfQueue(store.db, subscription.id, batchSize);
    const seqs = rows.map((r) => r.seq);
    const sentAt = now();
    const result =
      rows.length === 0
        ? { ok: true, statusCode: 0, error: null }
        : await post(
            subscription.url,
            openSigningSecret(box, subscription),
            { deliveryId: newId(sentAt), sentAt, events: rows.map(toEvent) },
            timeoutMs,
          );
    const at = now();
    const attempt = Math.max(0, ...rows.map((r) => r.attempts)) + 1;
    const kept = await finishDelivery(
      store.db,
      owner,
      subscription.id,
      seqs,
      result.ok
        ? { ok: true, statusCode: result.statusCode ?? 0, at }
        : {
            ok: false,
            statusCode: result.statusCode,
            error: result.error ?? "failed",
            at,
            retryAt: at + retryDelayMs(attempt, backoff),
            maxAttempts,
          },
    );
    if (!kept) logger.warn({ subscriptionId: subscription.id }, "webhook lease lost; the events will be sent again");
    else if (!result.ok)
      logger.warn(
        { subscriptionId: subscription.id, events: rows.length, attempt, statusCode: result.statusCode },
        "webhook delivery failed",
      );
  }

  async function runOnce(): Promise<number> {
    const t = now();
    if (t - lastPrune > 60_000) {
      lastPrune = t;
      // 10,000 rows per statement, repeated for up to 1 s a minute: a subscription to every status of a large
      // campaign adds millions of rows a day, so one small batch now and then would never catch up.
      let pruned = 0;
      const until = performance.now() + 1_000;
      for (;;) {
        const n = await pruneWebhookDeliveries(store.db, t - keepDeliveredMs, 10_000);
        pruned += n;
        if (n < 10_000 || performance.now() > until || stopped) break;
      }
      if (pruned > 0) logger.info({ pruned }, "old delivered webhook events deleted");
    }
    const claimed = await claimDueSubscriptions(
      store.db,
      store.dialect,
      { owner, limit: concurrency, leaseUntil: t + LEASE_MS },
      t,
    );
    await Promise.all(
      claimed.map((s) =>
        serve(s).catch((err: unknown) => logger.error({ err, subscriptionId: s.id }, "webhook delivery crashed")),
      ),
    );
    return claimed.length;
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      const thisCycle = ++cycle;
      waker.claiming();
      try {
        claimed = await runOnce();
      } catch (err) {
        logger.error({ err }, "notifier batch failed");
      }
      if (claimed > 0) continue;
      for (const w of idleWaiters) if (w.after < thisCycle) w.resolve();
      idleWaiters = idleWaiters.filter((w) => w.after >= thisCycle);
      if (stopped) break;
      await waker.sleep(pollMs);
    }
    for (const w of idleWaiters) w.resolve();
  })();

  return {
    wake: () => waker.wake(),
    drain: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        idleWaiters.push({ after: cycle, resolve });
        waker.interrupt();
      }),
    stop: async () => {
      stopped = true;
      waker.interrupt();
      await loop;
    },
  };
}

/**
 * Sends a `webhook.test` event to one subscription now, outside its queue (the "send test event" button: it works
 * while the subscription is disabled or backing off), and records the result in its delivery log.
 */
export async function sendTestEvent(
  deps: { store: Store; box: SecretBox; now: () => number; timeoutMs?: number },
  subscriptionId: string,
): Promise<WebhookDeliveryView & { durationMs: number }> {
  const subscription = await deps.store.db
    .selectFrom("webhook_subscriptions")
    .selectAll()
    .where("id", "=", subscriptionId)
    .executeTakeFirst();
  if (!subscription) throw new HeraldError("not_found", `webhook subscription ${subscriptionId} not found`);
  const started = deps.now();
  const event: OutboundEvent = {
    id: newId(started),
    type: "webhook.test",
    occurredAt: started,
    data: { subscriptionId, name: subscription.name, message: "A test event from Herald." },
  };
  const result = await post(
    subscription.url,
    openSigningSecret(deps.box, subscription),
    { deliveryId: newId(started), sentAt: started, events: [event] },
    deps.timeoutMs ?? 10_000,
  );
  const at = deps.now();
  const view = await recordSentEvent(deps.store.db, subscriptionId, event, { ...result, at });
  return { ...view, durationMs: at - started };
}
