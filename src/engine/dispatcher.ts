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
 * Replies: `sendNow` takes rows the applier wrote already `sending` under this dispatcher's lease (automatic
 * replies, docs/architecture.md "Auto-replies") and sends them at once beside the batch loop, through the same
 * limiter, skipping the claim.
 * Crash: rows stay `sending` with a lease; the scheduler turns expired leases into `unknown`
 * (store/messages.ts expireSendingLeases) and never resends them on its own (DESIGN invariant 1).
 * Several processes (DESIGN §5): a process runs a sender's pump only while it holds the lease row
 * `sender:<id>` (engine/lease.ts), renewed every RENEW_EVERY_MS, so one process at a time spends the
 * number's messages per second. A holder stops sending LEASE_SAFETY_MS before its lease ends unless
 * renewed (claimed rows it did not send go back to `queued`); a process that takes a sender over
 * waits one second before its first send, so the old and new holders' sends never share a window,
 * and turns the old holder's `sending` rows into `unknown` at once.
 */
import { sql } from "kysely";
import type { Logger } from "../logger.js";
import type { SecretBox } from "../secret-box.js";
import { requeueReplies } from "../store/automation-runs.js";
import { pauseCampaignForError } from "../store/campaigns.js";
import { recordConversationReplies } from "../store/conversations.js";
import type { Store } from "../store/db.js";
import { releaseLeases } from "../store/leases.js";
import {
  claimDueMessages,
  expireOthersSending,
  finishMessages,
  type MessageRow,
  type SendOutcome,
} from "../store/messages.js";
import { optedOutContactSeqs } from "../store/messages-gates.js";
import { getSenderCredentials, listSenders, type SenderCredentials } from "../store/senders.js";
import { DEFAULT_CONNECTIONS } from "../whatsapp/cloud-api/client.js";
import type { OutboundMessage } from "../whatsapp/provider.js";
import { isProviderError } from "../whatsapp/provider-error.js";
import { InFlight } from "./in-flight.js";
import { holdLease, processOwner, TAKEOVER_SILENCE_MS } from "./lease.js";
import type { ProviderRegistry } from "./providers.js";
import { senderRef } from "./providers.js";
import { QuietHoursGuard } from "./quiet-hours-guard.js";
import { SendRateLimiter } from "./rate-limiter.js";
import { retryDelayMs } from "./retry.js";
import { Waker } from "./waker.js";

export const MAX_SEND_ATTEMPTS = 6;
export const SEND_LEASE_MS = 60_000;
/** How long a process owns a sender number's sending after each renewal. */
export const SENDER_LEASE_MS = 10_000;
/** Renewals (and sender reloads) come this often: a lease survives two missed renewals. */
export const RENEW_EVERY_MS = 2_000;
const FLUSH_EVERY_MS = 100;
const FLUSH_AT = 200;
/** Outcomes of directly sent replies wait this long for company before their commit. */
const URGENT_FLUSH_MS = 5;
const RETRY = { baseMs: 2_000, maxMs: 10 * 60_000 };

export interface DispatcherOptions {
  store: Store;
  box: SecretBox;
  providers: ProviderRegistry;
  logger: Logger;
  now: () => number;
  /** How often an idle sender looks for due messages. */
  pollMs?: number;
  /** How often the list of senders is reloaded and the sender leases renewed (default RENEW_EVERY_MS). */
  sendersEveryMs?: number;
  /** Length of a sender lease (default SENDER_LEASE_MS); tests shorten it. */
  senderLeaseMs?: number;
}

export interface Dispatcher {
  /** The lease owner of this dispatcher's claims (rows written already leased to it may be handed to sendNow). */
  readonly owner: string;
  /** Look for due messages now (a launch or a reply was queued). */
  wake(): void;
  /**
   * Sends rows that are already `sending` under this dispatcher's lease (automatic replies the applier wrote)
   * at once, beside the claimed campaign work and through the same per-number rate limiter. Rows of a sender
   * this process does not send for go back to the queue.
   */
  sendNow(rows: MessageRow[]): void;
  /**
   * Resolves when this process holds every enabled sender's lease and none has due work it can claim
   * now (tests, benchmarks; with another live worker holding a sender it waits for that lease).
   */
  idle(): Promise<void>;
  /** The senders this process sends for now (holds the lease of). */
  heldSenders(): string[];
  stop(): Promise<void>;
}

/**
 * Rows per claim: a quarter second of sending (at least 10, at most 250). The next claim starts when half a claim
 * is left, so a claim's round trip always overlaps sending.
 */
export function claimSizeFor(mpsLimit: number): number {
  return Math.min(250, Math.max(10, Math.ceil(mpsLimit / 4)));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts one pump per enabled sender number whose lease this process holds. */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const owner = processOwner("dispatcher");
  const leaseMs = options.senderLeaseMs ?? SENDER_LEASE_MS;
  const pumps = new Map<string, SenderPump>();
  /** Enabled senders another process holds now. */
  let elsewhere = new Set<string>();
  let stopped = false;
  let reloadTimer: NodeJS.Timeout | undefined;

  // Reloads run one at a time: two overlapping reloads would each start a pump for a new sender,
  // and two pumps with two limiters would together exceed the number's rate.
  let reloading: Promise<void> = Promise.resolve();
  let reloadedAt = Number.NEGATIVE_INFINITY;
  function reload(): Promise<void> {
    reloading = reloading.then(reloadNow, reloadNow);
    return reloading;
  }

  async function dropPump(id: string): Promise<void> {
    const pump = pumps.get(id);
    if (!pump) return;
    pumps.delete(id);
    await pump.stop();
  }

  async function reloadNow(): Promise<void> {
    if (stopped) return;
    const senders = await listSenders(options.store.db);
    const active = new Set(senders.filter((s) => !s.disabled).map((s) => s.id));
    for (const id of pumps.keys()) {
      if (!active.has(id)) {
        await dropPump(id);
        await releaseLeases(options.store.db, owner, options.now(), [`sender:${id}`]);
      }
    }
    const notHeld = new Set<string>();
    for (const id of active) {
      const now = options.now();
      const lease = await holdLease(options.store, { resource: `sender:${id}`, owner, leaseMs }, now);
      if (!lease) {
        // Another process sends for this number now; a pump of ours (lease lost) stops at once.
        notHeld.add(id);
        await dropPump(id);
        continue;
      }
      const creds = await getSenderCredentials(options.store.db, options.box, id);
      let pump = pumps.get(id);
      if (lease.fresh || !pump) {
        await dropPump(id);
        const orphans = await expireOthersSending(options.store.db, id, owner);
        if (orphans > 0)
          options.logger.warn(
            { senderId: id, orphans },
            "took over a sender: its previous holder's in-flight messages are unknown",
          );
        if (stopped) return;
        // The previous holder's last sends were before its lease ended: a second of silence after that keeps its
        // sends and ours out of any common one-second window (none when no other process held the number, or
        // it stopped more than a second ago). A pump of our own that was dropped may have sent just now.
        const firstSendAt = lease.fresh ? lease.quietUntil : now + TAKEOVER_SILENCE_MS;
        pump = new SenderPump(creds, owner, options, firstSendAt);
        pumps.set(id, pump);
      } else pump.update(creds);
      pump.extend(lease.deadline);
    }
    elsewhere = notHeld;
    reloadedAt = options.now();
  }

  const ready = reload().catch((err: unknown) => options.logger.error({ err }, "dispatcher could not load senders"));
  reloadTimer = setInterval(() => {
    reload().catch((err: unknown) => options.logger.error({ err }, "dispatcher could not reload senders"));
  }, options.sendersEveryMs ?? RENEW_EVERY_MS);
  reloadTimer.unref();

  return {
    owner,
    sendNow(rows) {
      const bySender = new Map<string, MessageRow[]>();
      for (const row of rows) {
        const list = bySender.get(row.sender_id);
        if (list) list.push(row);
        else bySender.set(row.sender_id, [row]);
      }
      for (const [senderId, list] of bySender) {
        const pump = pumps.get(senderId);
        if (pump) pump.push(list);
        else
          requeueReplies(
            options.store.db,
            owner,
            list.map((r) => r.id),
          )
            .then(() => reload())
            .then(() => pumps.get(senderId)?.wake())
            .catch((err: unknown) => options.logger.error({ err, senderId }, "could not requeue replies"));
      }
    },
    wake() {
      const wakeAll = () => {
        for (const pump of pumps.values()) pump.wake();
      };
      // A new sender may have been added with the work: reload first (at most once a second: a reload
      // renews every lease, and the API may wake us for each message it queues), then wake every pump.
      if (options.now() - reloadedAt < 1_000) return wakeAll();
      reload()
        .catch(() => {})
        .finally(wakeAll);
    },
    async idle() {
      await ready;
      for (;;) {
        await reload();
        if (elsewhere.size === 0 || stopped) break;
        await sleep(100);
      }
      await Promise.all([...pumps.values()].map((p) => p.idle()));
    },
    heldSenders: () => [...pumps.keys()],
    async stop() {
      stopped = true;
      if (reloadTimer) clearInterval(reloadTimer);
      reloadTimer = undefined;
      await ready;
      await reloading.catch(() => {});
      await Promise.all([...pumps.values()].map((p) => p.stop()));
      pumps.clear();
      // Sends are over and their results written: another process may take the numbers at once.
      await releaseLeases(options.store.db, owner, options.now()).catch((err: unknown) =>
        options.logger.warn({ err }, "could not release sender leases; they will expire"),
      );
    },
  };
}

/**
 * Sends of one number in flight at once: a quarter of a second's worth (round trips up to 250 ms keep the full
 * rate), at least 8, at most the provider pool's connections (256, whatsapp/cloud-api/client.ts).
 */
function maxInFlightFor(mpsLimit: number): number {
  return Math.min(DEFAULT_CONNECTIONS, Math.max(8, Math.ceil(mpsLimit / 4)));
}

/** The loop of one sender number. */
class SenderPump {
  #creds: SenderCredentials;
  readonly #owner: string;
  readonly #o: DispatcherOptions;
  readonly #limiter: SendRateLimiter;
  #stopped = false;
  /** By this process's clock: no send at or after this time unless the lease is renewed (extend). */
  #deadline = 0;
  readonly #waker = new Waker();
  #cycle = 0;
  #idleWaiters: { after: number; resolve: () => void }[] = [];
  #outcomes: SendOutcome[] = [];
  readonly #quiet: QuietHoursGuard;
  /** Rows handed over already leased (automatic replies), sent by #drainUrgent beside the batch loop. */
  #urgent: MessageRow[] = [];
  #urgentLoop: Promise<void> | null = null;
  readonly #urgentInFlight = new InFlight();
  #flushTimer: NodeJS.Timeout | undefined;
  /** Claimed or handed-over agent and automatic replies (the team inbox times them once sent). */
  readonly #replies = new Set<string>();
  #lastFlush = 0;
  /** Flushes run one after another in the background, so sending never waits on the database. */
  #flushing: Promise<void> = Promise.resolve();
  readonly #loop: Promise<void>;

  constructor(creds: SenderCredentials, owner: string, options: DispatcherOptions, firstSendAt: number) {
    this.#creds = creds;
    this.#owner = owner;
    this.#o = options;
    this.#limiter = new SendRateLimiter(creds.sender.mpsLimit);
    this.#limiter.pauseUntil(firstSendAt);
    this.#quiet = new QuietHoursGuard(options.store);
    this.#loop = this.#run();
  }

  /** The lease was renewed: sending may go on until `deadline`. */
  extend(deadline: number): void {
    const was = this.#deadline;
    this.#deadline = Math.max(this.#deadline, deadline);
    if (was <= this.#o.now()) this.#waker.interrupt();
  }

  #mayNotSend(): boolean {
    return this.#o.now() >= this.#deadline;
  }

  update(creds: SenderCredentials): void {
    this.#creds = creds;
    this.#limiter.setRate(creds.sender.mpsLimit, this.#o.now());
  }

  wake(): void {
    this.#waker.wake();
  }

  /**
   * Sends leased rows now. The limiter's check and record run without an await between them, so this loop and
   * the batch loop together never exceed the number's rate. Outcomes are written in one transaction a few ms
   * after the calls return (coalescing a burst of replies into one commit).
   */
  push(rows: MessageRow[]): void {
    for (const row of rows) if (row.origin === "agent" || row.origin === "auto_reply") this.#replies.add(row.id);
    this.#urgent.push(...rows);
    this.#urgentLoop ??= this.#drainUrgent().finally(() => {
      this.#urgentLoop = null;
    });
  }

  async #drainUrgent(): Promise<void> {
    const maxInFlight = maxInFlightFor(this.#creds.sender.mpsLimit);
    while (this.#urgent.length > 0) {
      const row = this.#urgent.shift() as MessageRow;
      const at = await this.#waitForSlot();
      this.#urgentInFlight.add(
        this.#send(row, at).finally(() => {
          this.#flushTimer ??= setTimeout(() => {
            this.#flushTimer = undefined;
            this.#flushSoon();
          }, URGENT_FLUSH_MS);
        }),
      );
      await this.#urgentInFlight.below(maxInFlight);
    }
  }

  /** Waits until the urgent rows are sent and their outcomes written. */
  async #urgentSettled(): Promise<void> {
    while (this.#urgentLoop || this.#urgentInFlight.size > 0) {
      await this.#urgentLoop;
      await this.#urgentInFlight.settled();
    }
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#flushSoon();
    await this.#flushing;
  }

  /** Waits on the number's rate limiter and records a send; returns the instant (sent_at). */
  async #waitForSlot(): Promise<number> {
    const { now } = this.#o;
    for (let wait = this.#limiter.waitMs(now()); wait > 0; wait = this.#limiter.waitMs(now())) await sleep(wait);
    // One clock reading serves the limiter and sent_at, so the stored times are exactly the limiter's.
    const at = now();
    this.#limiter.record(at);
    return at;
  }

  async idle(): Promise<void> {
    await this.#urgentSettled();
    return new Promise((resolve) => {
      if (this.#stopped) return resolve();
      this.#idleWaiters.push({ after: this.#cycle, resolve });
      this.#waker.interrupt();
    });
  }

  /** Stops after the batch in flight; rows it has not sent yet go back to `queued`. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#waker.interrupt();
    await this.#loop;
    await this.#urgentSettled();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const cycle = ++this.#cycle;
      let claimed = 0;
      this.#waker.claiming();
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
      await this.#waker.sleep(this.#o.pollMs ?? 250);
    }
    for (const w of this.#idleWaiters) w.resolve();
  }

  /**
   * Claims and sends due rows until a claim comes back empty; returns how many rows it claimed.
   *
   * Sends are continuous: the next claim starts while the rows of the previous one are still being sent (when at
   * most half a claim is left), so the limiter never waits for a claim's round trip, and results are flushed in
   * the background. At 1,000 msg/s, waiting for the last replies, the flush and a new claim at every batch of 500
   * cost ~25 ms per batch, 5% of the time (bench campaign --part rate). Rows claimed but not sent stay below one
   * claim and a half: a quarter second of sending at 1,000 msg/s, so a worker killed mid-campaign leaves at most
   * that as `unknown`, and a pause takes effect within it.
   */
  async #batch(): Promise<number> {
    const { now } = this.#o;
    const sender = this.#creds.sender;
    if (this.#mayNotSend() || this.#stopped) return 0;
    const claimSize = claimSizeFor(sender.mpsLimit);
    const ready: MessageRow[] = [];
    let head = 0;
    let claiming: Promise<void> | null = null;
    let claimError: unknown = null;
    let exhausted = false;
    let claimed = 0;
    // Never rejects: a failed claim ends this batch once the rows already claimed are sent.
    const claimNext = () => {
      claiming = this.#claim(claimSize).then(
        (rows) => {
          claiming = null;
          claimed += rows.claimed;
          if (rows.claimed === 0) exhausted = true;
          for (const row of rows.toSend) ready.push(row);
        },
        (err: unknown) => {
          claiming = null;
          claimError = err;
          exhausted = true;
        },
      );
    };
    const inFlight = new InFlight();
    // A quarter second of sends in flight: the full rate at provider round trips up to 250 ms.
    const maxInFlight = maxInFlightFor(sender.mpsLimit);
    try {
      for (;;) {
        if (claiming === null && !exhausted && ready.length - head <= claimSize / 2 && !this.#stopped) claimNext();
        if (head === ready.length) {
          if (claiming === null) break;
          await claiming;
          continue;
        }
        if (head >= 1024) {
          ready.splice(0, head);
          head = 0;
        }
        for (let wait = this.#limiter.waitMs(now()); wait > 0; wait = this.#limiter.waitMs(now())) {
          await sleep(Math.min(wait, 250));
          if (this.#mayNotSend() || this.#stopped) break;
        }
        if (this.#mayNotSend() || (this.#stopped && this.#limiter.waitMs(now()) > 0)) {
          // The lease ran out (or we are stopping while the number's budget is spent): what is left was
          // not sent and goes back to the queue for whoever holds the number next.
          if (claiming !== null) await claiming;
          for (const rest of ready.slice(head)) this.#outcomes.push({ id: rest.id, kind: "released" });
          head = ready.length;
          break;
        }
        const row = ready[head++] as MessageRow;
        // One clock reading serves the limiter and sent_at, so the stored times are exactly the limiter's.
        const at = now();
        this.#limiter.record(at);
        inFlight.add(this.#send(row, at));
        await inFlight.below(maxInFlight);
        if (this.#outcomes.length >= FLUSH_AT || now() - this.#lastFlush >= FLUSH_EVERY_MS) this.#flushSoon();
      }
    } finally {
      await inFlight.settled();
      this.#flushSoon();
      await this.#flushing;
    }
    if (claimError !== null) throw claimError;
    return claimed;
  }

  /**
   * Claims up to `limit` due rows; marketing rows whose contact opted out since launch are recorded as skipped
   * at once and left out of `toSend`.
   */
  async #claim(limit: number): Promise<{ claimed: number; toSend: MessageRow[] }> {
    const { store, now } = this.#o;
    const rows = await claimDueMessages(
      store.db,
      store.dialect,
      { senderId: this.#creds.sender.id, owner: this.#owner, limit, leaseUntil: now() + SEND_LEASE_MS },
      now(),
    );
    if (rows.length === 0) return { claimed: 0, toSend: rows };
    const optedOut = await optedOutContactSeqs(
      store.db,
      rows.filter((r) => r.category === "marketing" && r.contact_seq !== null).map((r) => r.contact_seq as number),
    );
    // Campaign quiet hours, in case the campaign fell behind its due times into the window (quiet-hours-guard.ts).
    const deferred = await this.#quiet.deferrals(rows, now());
    const toSend: MessageRow[] = [];
    for (const row of rows) {
      if (row.origin === "agent" || row.origin === "auto_reply") this.#replies.add(row.id);
      const waitUntil = deferred.get(row.id);
      if (row.contact_seq !== null && optedOut.has(row.contact_seq) && row.category === "marketing")
        this.#outcomes.push({ id: row.id, kind: "skipped", reason: "opted_out" });
      else if (waitUntil !== undefined) this.#outcomes.push({ id: row.id, kind: "deferred", dueAt: waitUntil });
      else toSend.push(row);
    }
    return { claimed: rows.length, toSend };
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
      .then(() =>
        this.#o.store.db.transaction().execute(async (trx) => {
          await finishMessages(trx, this.#owner, batch);
          if (replies.length === 0) return;
          // Agent and automatic replies end their inbox conversation's wait, in the same commit (one commit per
          // flush: at 500 replies/s a second one cost ~5% of a core), behind a savepoint so that a failure there
          // never loses the send results (PostgreSQL would abort the whole transaction otherwise).
          await sql`savepoint inbox_replies`.execute(trx);
          try {
            await recordConversationReplies(trx, replies, this.#o.now());
            await sql`release savepoint inbox_replies`.execute(trx);
          } catch (err) {
            await sql`rollback to savepoint inbox_replies`.execute(trx);
            await sql`release savepoint inbox_replies`.execute(trx);
            this.#o.logger.error({ err }, "could not update inbox conversations for sent replies");
          }
        }),
      )
      .catch((err: unknown) =>
        this.#o.logger.error(
          { err, messages: batch.length },
          "could not record send results; the rows will become unknown",
        ),
      );
  }
}
