/**
 * The dispatcher: messages (queued, due) → the provider → messages (sent | failed | retry | skipped).
 *
 * Input: `messages` rows with status `queued` and `due_at <= now`, of running campaigns or without a
 * campaign (replies, test sends), claimed per sender number in batches under a lease (status →
 * `sending`, attempts + 1).
 * Per message: re-check what can change after launch (an opt-out that arrived mid-campaign wins:
 * the row becomes `skipped` / `opted_out`), wait on the number's SendRateLimiter (never more than its
 * messages-per-second in any one-second window), call the provider with the row id as callback data
 * (so status webhooks find the row even before the result is written).
 * Output: outcomes buffered and written in one transaction per flush (every 100 ms or 200 results):
 * `sent` + provider id, `failed` + Meta's code, `queued` again with a later due time for transient
 * errors (130429 throughput, 131056 pair limit, 5xx, timeouts), up to MAX_SEND_ATTEMPTS. Errors that
 * mean the campaign or the number cannot go on (template paused, token invalid…) pause the campaign
 * with the reason.
 * Crash: rows stay `sending` with a lease; the scheduler turns expired leases into `unknown`
 * (store/messages.ts expireSendingLeases) and never resends them on its own (DESIGN invariant 1).
 */
import { hostname } from "node:os";
import type { Logger } from "../logger.js";
import type { SecretBox } from "../secret-box.js";
import { pauseCampaignForError } from "../store/campaigns.js";
import { recordConversationReplies } from "../store/conversations.js";
import type { Store } from "../store/db.js";
import { claimDueMessages, finishMessages, type MessageRow, type SendOutcome } from "../store/messages.js";
import { optedOutContactSeqs } from "../store/messages-gates.js";
import { getSenderCredentials, listSenders, type SenderCredentials } from "../store/senders.js";
import type { OutboundMessage } from "../whatsapp/provider.js";
import { isProviderError } from "../whatsapp/provider-error.js";
import type { ProviderRegistry } from "./providers.js";
import { senderRef } from "./providers.js";
import { SendRateLimiter } from "./rate-limiter.js";
import { retryDelayMs } from "./retry.js";

export const MAX_SEND_ATTEMPTS = 6;
export const SEND_LEASE_MS = 60_000;
const FLUSH_EVERY_MS = 100;
const FLUSH_AT = 200;
const RETRY = { baseMs: 2_000, maxMs: 10 * 60_000 };

export interface DispatcherOptions {
  store: Store;
  box: SecretBox;
  providers: ProviderRegistry;
  logger: Logger;
  now: () => number;
  /** How often an idle sender looks for due messages. */
  pollMs?: number;
  /** How often the list of senders is reloaded. */
  sendersEveryMs?: number;
}

export interface Dispatcher {
  /** Look for due messages now (a launch or a reply was queued). */
  wake(): void;
  /** Resolves when no sender has due work it can claim now (tests, benchmarks). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts one pump per enabled sender number. */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const owner = `${hostname()}:${process.pid}:dispatcher:${Math.random().toString(36).slice(2, 8)}`;
  const pumps = new Map<string, SenderPump>();
  let stopped = false;
  let reloadTimer: NodeJS.Timeout | undefined;

  // Reloads run one at a time: two overlapping reloads would each start a pump for a new sender,
  // and two pumps with two limiters would together exceed the number's rate.
  let reloading: Promise<void> = Promise.resolve();
  function reload(): Promise<void> {
    reloading = reloading.then(reloadNow, reloadNow);
    return reloading;
  }

  async function reloadNow(): Promise<void> {
    const senders = await listSenders(options.store.db);
    const active = new Set(senders.filter((s) => !s.disabled).map((s) => s.id));
    for (const [id, pump] of pumps) {
      if (!active.has(id)) {
        pumps.delete(id);
        await pump.stop();
      }
    }
    for (const id of active) {
      const creds = await getSenderCredentials(options.store.db, options.box, id);
      const pump = pumps.get(id);
      if (pump) pump.update(creds);
      else if (!stopped) pumps.set(id, new SenderPump(creds, owner, options));
    }
  }

  const ready = reload().catch((err: unknown) => options.logger.error({ err }, "dispatcher could not load senders"));
  reloadTimer = setInterval(() => {
    reload().catch((err: unknown) => options.logger.error({ err }, "dispatcher could not reload senders"));
  }, options.sendersEveryMs ?? 5_000);
  reloadTimer.unref();

  return {
    wake() {
      // A new sender may have been added with the work: reload first, then wake every pump.
      reload()
        .catch(() => {})
        .finally(() => {
          for (const pump of pumps.values()) pump.wake();
        });
    },
    async idle() {
      await ready;
      await reload();
      await Promise.all([...pumps.values()].map((p) => p.idle()));
    },
    async stop() {
      stopped = true;
      if (reloadTimer) clearInterval(reloadTimer);
      reloadTimer = undefined;
      await ready;
      await Promise.all([...pumps.values()].map((p) => p.stop()));
      pumps.clear();
    },
  };
}

/** The loop of one sender number. */
class SenderPump {
  #creds: SenderCredentials;
  readonly #owner: string;
  readonly #o: DispatcherOptions;
  readonly #limiter: SendRateLimiter;
  #stopped = false;
  #wakeUp: (() => void) | null = null;
  #cycle = 0;
  #idleWaiters: { after: number; resolve: () => void }[] = [];
  #outcomes: SendOutcome[] = [];
  /** Claimed agent and automatic replies (the team inbox times them once sent). */
  readonly #replies = new Set<string>();
  #lastFlush = 0;
  /** Flushes run one after another in the background, so sending never waits on the database. */
  #flushing: Promise<void> = Promise.resolve();
  readonly #loop: Promise<void>;

  constructor(creds: SenderCredentials, owner: string, options: DispatcherOptions) {
    this.#creds = creds;
    this.#owner = owner;
    this.#o = options;
    this.#limiter = new SendRateLimiter(creds.sender.mpsLimit);
    this.#loop = this.#run();
  }

  update(creds: SenderCredentials): void {
    this.#creds = creds;
    this.#limiter.setRate(creds.sender.mpsLimit, this.#o.now());
  }

  wake(): void {
    this.#wakeUp?.();
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stopped) return resolve();
      this.#idleWaiters.push({ after: this.#cycle, resolve });
      this.#wakeUp?.();
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeUp?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const cycle = ++this.#cycle;
      let claimed = 0;
      try {
        claimed = await this.#batch();
      } catch (err) {
        this.#o.logger.error({ err, senderId: this.#creds.sender.id }, "dispatch batch failed");
        await sleep(1_000);
      }
      if (claimed > 0) continue;
      for (const w of this.#idleWaiters) if (w.after < cycle) w.resolve();
      this.#idleWaiters = this.#idleWaiters.filter((w) => w.after >= cycle);
      if (this.#stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#o.pollMs ?? 250);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = null;
    }
    for (const w of this.#idleWaiters) w.resolve();
  }

  /** Claims and sends one batch; returns how many rows it claimed. */
  async #batch(): Promise<number> {
    const { store, now } = this.#o;
    const sender = this.#creds.sender;
    // One second of sending per claim: small enough that pause takes effect within a second.
    const limit = Math.min(500, Math.max(10, sender.mpsLimit));
    const rows = await claimDueMessages(
      store.db,
      store.dialect,
      { senderId: sender.id, owner: this.#owner, limit, leaseUntil: now() + SEND_LEASE_MS },
      now(),
    );
    if (rows.length === 0) return 0;
    const optedOut = await optedOutContactSeqs(
      store.db,
      rows.filter((r) => r.category === "marketing" && r.contact_seq !== null).map((r) => r.contact_seq as number),
    );
    const inFlight = new Set<Promise<void>>();
    // Enough concurrency to keep the rate busy at ~50 ms provider latency, bounded.
    const maxInFlight = Math.min(256, Math.max(8, Math.ceil(sender.mpsLimit / 10)));
    for (const row of rows) {
      if (row.origin === "agent" || row.origin === "auto_reply") this.#replies.add(row.id);
      if (row.contact_seq !== null && optedOut.has(row.contact_seq) && row.category === "marketing") {
        this.#outcomes.push({ id: row.id, kind: "skipped", reason: "opted_out" });
        continue;
      }
      for (let wait = this.#limiter.waitMs(now()); wait > 0; wait = this.#limiter.waitMs(now())) await sleep(wait);
      // One clock reading serves the limiter and sent_at, so the stored times are exactly the limiter's.
      const at = now();
      this.#limiter.record(at);
      const p = this.#send(row, at).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      if (this.#outcomes.length >= FLUSH_AT || now() - this.#lastFlush >= FLUSH_EVERY_MS) this.#flushSoon();
    }
    await Promise.all(inFlight);
    this.#flushSoon();
    await this.#flushing;
    return rows.length;
  }

  async #send(row: MessageRow, startedAt: number): Promise<void> {
    const { providers, logger } = this.#o;
    const creds = this.#creds;
    // sent_at is when the request left (the limiter's reading), so the stored times show the rate we kept.
    try {
      const message = { ...(JSON.parse(row.payload) as OutboundMessage), callbackData: row.id };
      const result = await providers.forSender(creds.sender).send(senderRef(creds), message);
      this.#outcomes.push({ id: row.id, kind: "sent", providerMessageId: result.messageId, at: startedAt });
    } catch (err) {
      this.#outcomes.push(this.#failure(row, err));
      if (!isProviderError(err)) logger.warn({ err, messageId: row.id }, "send failed outside the provider");
    }
  }

  #failure(row: MessageRow, err: unknown): SendOutcome {
    const now = this.#o.now();
    if (!isProviderError(err)) {
      const message = err instanceof Error ? err.message : String(err);
      return row.attempts >= MAX_SEND_ATTEMPTS
        ? { id: row.id, kind: "failed", code: 0, message, at: now }
        : { id: row.id, kind: "retry", code: 0, message, dueAt: now + retryDelayMs(row.attempts, RETRY) };
    }
    if (err.action === "backoff") this.#limiter.pauseUntil(now + (err.retryAfterMs ?? 1_000));
    if (err.retryable && row.attempts < MAX_SEND_ATTEMPTS) {
      const delay = Math.max(err.retryAfterMs ?? 0, retryDelayMs(row.attempts, RETRY));
      return { id: row.id, kind: "retry", code: err.code, message: err.message, dueAt: now + delay };
    }
    if ((err.action === "stop_campaign" || err.action === "stop_sender") && row.campaign_id) {
      const reason = `${err.code}: ${err.meaning}`;
      pauseCampaignForError(this.#o.store.db, row.campaign_id, reason, now).catch((e: unknown) =>
        this.#o.logger.error({ err: e, campaignId: row.campaign_id }, "could not pause the campaign"),
      );
    }
    return { id: row.id, kind: "failed", code: err.code, message: err.message, at: now };
  }

  /** Takes the buffered outcomes now and writes them after any flush already running (one transaction). */
  #flushSoon(): void {
    this.#lastFlush = this.#o.now();
    if (this.#outcomes.length === 0) return;
    const batch = this.#outcomes;
    this.#outcomes = [];
    const replies = batch.filter((o) => this.#replies.delete(o.id));
    // If the write fails the rows stay `sending` and become `unknown` when their lease expires: never resent.
    this.#flushing = this.#flushing
      .then(() => this.#o.store.db.transaction().execute((trx) => finishMessages(trx, this.#owner, batch)))
      // After the results are safe: agent and automatic replies end their inbox conversation's wait (never fatal;
      // a campaign batch has none and costs nothing here).
      .then(() =>
        replies.length === 0
          ? undefined
          : recordConversationReplies(this.#o.store.db, replies, this.#o.now()).catch((err: unknown) =>
              this.#o.logger.error({ err }, "could not update inbox conversations for sent replies"),
            ),
      )
      .catch((err: unknown) =>
        this.#o.logger.error(
          { err, messages: batch.length },
          "could not record send results; the rows will become unknown",
        ),
      );
  }
}
