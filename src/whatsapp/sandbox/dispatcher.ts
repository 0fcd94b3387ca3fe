// Webhook delivery like Meta's (whatsapp-platform.md §4, reference §4.2): updates are batched per webhook URL
// (up to `maxBatch` per POST, after `batchWindowMs`), signed with X-Hub-Signature-256 over the exact escaped
// bytes, POSTed over keep-alive connections, retried with backoff on anything but 2xx until the horizon, and,
// when configured, duplicated into a later POST or shuffled inside one (Meta guarantees neither order nor
// uniqueness). One batch = one envelope = one HMAC, which keeps the sandbox fast at 30k sends/s.
import { Pool } from "undici";
import { signBody } from "../webhook/signature.js";
import type { WebhookOptions } from "./options.js";
import { Rng } from "./random.js";
import type { Clock, Scheduler } from "./scheduler.js";
import type { PhoneState } from "./state.js";
import type { ChangeWriter } from "./status-bytes.js";
import { BufferPool, ChangeQueue } from "./webhook-queue.js";

const ENVELOPE_START = '{"object":"whatsapp_business_account","entry":[';

interface Batch {
  /** The signed bytes: a view of `buffer`. */
  body: Buffer;
  /** A pooled buffer holding `body` until the POST is done (undefined once the bytes were copied out). */
  pooled: Buffer | undefined;
  signature: string;
  items: number;
  attempt: number;
  firstAt: number;
}

interface Route {
  target: Target;
  messages: number;
  other: number;
}

interface Target {
  raw: string;
  url: URL;
  path: string;
  appSecret: string;
  pool: Pool;
  pending: ChangeQueue;
  flushAt: number | undefined;
  ready: Batch[];
  inflight: number;
}

/** One POST attempt, as GET /_sandbox/webhooks lists it. */
export interface DeliveryRecord {
  at: number;
  url: string;
  updates: number;
  attempt: number;
  status: number;
  ok: boolean;
}

/** Counters of webhook delivery. */
export interface DispatchStats {
  posts: number;
  updatesDelivered: number;
  failedAttempts: number;
  droppedBatches: number;
  duplicated: number;
}

/** Batches, signs and delivers webhook updates. */
export class Dispatcher {
  readonly #targets = new Map<string, Target>();
  /** Where a number's changes go, and their entry groups (messages field or not), looked up once per number. */
  readonly #byPhone = new WeakMap<PhoneState, Route>();
  readonly #options: WebhookOptions;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #rng: Rng;
  readonly #inflight = new Set<Promise<void>>();
  readonly #bodies: BufferPool;
  /** Entry groups: one per (messages field or not, WABA), numbered in the order first seen. */
  readonly #groupIds = new Map<string, number>();
  readonly #groups: { messages: boolean; idJson: string }[] = [];
  readonly log: DeliveryRecord[] = [];
  readonly stats: DispatchStats = {
    posts: 0,
    updatesDelivered: 0,
    failedAttempts: 0,
    droppedBatches: 0,
    duplicated: 0,
  };

  constructor(options: WebhookOptions, clock: Clock, scheduler: Scheduler, seed: number) {
    this.#options = options;
    this.#clock = clock;
    this.#scheduler = scheduler;
    this.#rng = new Rng(seed ^ 0x5eed);
    this.#bodies = new BufferPool(options.concurrency + 2);
  }

  /** Queues one change for the number's webhook (ignored when it has none). */
  enqueue(phone: PhoneState, json: string, messagesField = true): void {
    const route = this.#route(phone);
    if (route === undefined) return;
    route.target.pending.push(
      this.#options.escapeSlash ? json.replaceAll("/", "\\/") : json,
      messagesField ? route.messages : route.other,
    );
    this.#queued(route.target);
  }

  /** Queues one `messages` change written as bytes by `w` (statuses); callers use enqueue() when escapeSlash. */
  enqueueWritten(phone: PhoneState, w: ChangeWriter): void {
    const route = this.#route(phone);
    if (route === undefined) return;
    route.target.pending.pushWritten(w, route.messages);
    this.#queued(route.target);
  }

  /** True when changes of this number are written as bytes (enqueueWritten), not escaped from a string. */
  get writesBytes(): boolean {
    return !this.#options.escapeSlash;
  }

  #route(phone: PhoneState): Route | undefined {
    if (phone.webhookUrl === undefined) return undefined;
    let route = this.#byPhone.get(phone);
    if (route === undefined || route.target.raw !== phone.webhookUrl || route.target.appSecret !== phone.appSecret) {
      route = {
        target: this.#target(phone.webhookUrl, phone.appSecret),
        messages: this.#group(phone.wabaId, true),
        other: this.#group(phone.wabaId, false),
      };
      this.#byPhone.set(phone, route);
    }
    return route;
  }

  #queued(target: Target): void {
    if (target.pending.length >= this.#options.maxBatch) this.#flushTarget(target);
    else if (target.flushAt === undefined) this.#scheduleFlush(target, this.#clock.now() + this.#options.batchWindowMs);
  }

  /** Sends every pending batch now, whatever its window. */
  flushAll(): void {
    for (const t of this.#targets.values()) if (t.pending.length > 0) this.#flushTarget(t);
  }

  /** True when nothing is pending, waiting to be retried, or in flight. */
  get idle(): boolean {
    if (this.#inflight.size > 0) return false;
    for (const t of this.#targets.values()) if (t.pending.length > 0 || t.ready.length > 0) return false;
    return true;
  }

  /** Resolves when the POSTs in flight have finished. */
  async settle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
  }

  /** Drops everything pending and closes the connections. */
  async close(): Promise<void> {
    await this.settle();
    const pools = [...this.#targets.values()].map((t) => t.pool.close());
    this.#targets.clear();
    await Promise.allSettled(pools);
  }

  /** Forgets pending updates (reset); connections stay open. */
  clear(): void {
    for (const t of this.#targets.values()) {
      t.pending.clear();
      t.ready.length = 0;
      t.flushAt = undefined;
    }
    this.log.length = 0;
    Object.assign(this.stats, { posts: 0, updatesDelivered: 0, failedAttempts: 0, droppedBatches: 0, duplicated: 0 });
  }

  #target(url: string, appSecret: string): Target {
    const key = `${appSecret}\u0000${url}`;
    let t = this.#targets.get(key);
    if (!t) {
      const parsed = new URL(url);
      t = {
        raw: url,
        url: parsed,
        path: parsed.pathname + parsed.search,
        appSecret,
        pool: new Pool(parsed.origin, {
          connections: this.#options.concurrency,
          pipelining: 1,
          keepAliveTimeout: 30_000,
        }),
        pending: new ChangeQueue(),
        flushAt: undefined,
        ready: [],
        inflight: 0,
      };
      this.#targets.set(key, t);
    }
    return t;
  }

  #scheduleFlush(t: Target, at: number): void {
    t.flushAt = at;
    this.#scheduler.add({
      at,
      run: () => {
        if (t.flushAt !== at) return;
        t.flushAt = undefined;
        if (t.pending.length > 0) this.#flushTarget(t);
      },
    });
  }

  #group(wabaId: string, messages: boolean): number {
    const key = `${messages ? "m" : "o"}${wabaId}`;
    let id = this.#groupIds.get(key);
    if (id === undefined) {
      id = this.#groups.length;
      const idJson = JSON.stringify(wabaId);
      this.#groups.push({ messages, idJson: this.#options.escapeSlash ? idJson.replaceAll("/", "\\/") : idJson });
      this.#groupIds.set(key, id);
    }
    return id;
  }

  #flushTarget(t: Target): void {
    t.flushAt = undefined;
    const o = this.#options;
    const q = t.pending;
    while (q.length > 0) {
      const items = q.take(o.maxBatch);
      if (o.reorderRate > 0 && this.#rng.next() < o.reorderRate) {
        for (let i = items.length - 1; i > 0; i--) {
          const j = Math.floor(this.#rng.next() * (i + 1));
          [items[i], items[j]] = [items[j] as number, items[i] as number];
        }
      }
      if (o.duplicateRate > 0) {
        for (const item of items) {
          if (!q.duplicate(item) && this.#rng.next() < o.duplicateRate) {
            q.requeueDuplicate(item);
            this.stats.duplicated++;
          }
        }
        // Duplicates go out in a later POST, like a Meta retry would.
        if (q.length > 0) {
          this.#scheduleFlush(t, this.#clock.now() + o.batchWindowMs);
          t.ready.push(this.#batch(items, t));
          break;
        }
      }
      t.ready.push(this.#batch(items, t));
    }
    q.compact();
    this.#pump(t);
  }

  /** One POST body: one entry per group (Meta puts `time` on entries of non-messages fields only). */
  #batch(items: number[], t: Target): Batch {
    const q = t.pending;
    const order: number[] = [];
    const members = new Map<number, number[]>();
    let size = ENVELOPE_START.length + 2;
    for (const i of items) {
      const g = q.group(i);
      let list = members.get(g);
      if (list === undefined) {
        list = [];
        members.set(g, list);
        order.push(g);
      }
      list.push(i);
      size += q.size(i) + 1;
    }
    const now = this.#clock.now();
    const time = `,"time":${Math.floor(now / 1000)}`;
    for (const g of order) size += (this.#groups[g] as { idJson: string }).idJson.length * 3 + time.length + 20;
    const buffer = this.#bodies.acquire(size);
    let at = buffer.write(ENVELOPE_START, 0, "latin1");
    order.forEach((g, k) => {
      const group = this.#groups[g] as { messages: boolean; idJson: string };
      at += buffer.write(
        `${k > 0 ? "," : ""}{"id":${group.idJson}${group.messages ? "" : time},"changes":[`,
        at,
        "utf8",
      );
      at = q.copyTo(members.get(g) as number[], buffer, at);
      at += buffer.write("]}", at, "latin1");
    });
    at += buffer.write("]}", at, "latin1");
    const body = buffer.subarray(0, at);
    return {
      body,
      pooled: buffer,
      signature: signBody(body, t.appSecret),
      items: items.length,
      attempt: 1,
      firstAt: now,
    };
  }

  #pump(t: Target): void {
    while (t.inflight < this.#options.concurrency && t.ready.length > 0) {
      const batch = t.ready.shift() as Batch;
      t.inflight++;
      const p = this.#post(t, batch).finally(() => {
        t.inflight--;
        this.#inflight.delete(p);
        this.#pump(t);
      });
      this.#inflight.add(p);
    }
  }

  async #post(t: Target, batch: Batch): Promise<void> {
    let status = 0;
    try {
      const res = await t.pool.request({
        method: "POST",
        path: t.path,
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": batch.signature,
          "user-agent": "facebookexternalua",
        },
        body: batch.body,
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
      });
      status = res.statusCode;
      await res.body.dump();
    } catch {
      status = 0;
      // The socket may still hold the bytes: keep them out of the pool.
      if (batch.pooled) {
        batch.body = Buffer.from(batch.body);
        batch.pooled = undefined;
      }
    }
    const ok = status >= 200 && status < 300;
    const now = this.#clock.now();
    this.stats.posts++;
    this.log.push({ at: now, url: t.url.href, updates: batch.items, attempt: batch.attempt, status, ok });
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
    if (ok) {
      this.stats.updatesDelivered += batch.items;
      if (batch.pooled) this.#bodies.release(batch.pooled);
      return;
    }
    if (batch.pooled) {
      // Meta retries the same bytes: copy them out of the pooled buffer.
      const pooled = batch.pooled;
      batch.body = Buffer.from(batch.body);
      batch.pooled = undefined;
      this.#bodies.release(pooled);
    }
    this.stats.failedAttempts++;
    const backoff = this.#options.retryBackoffMs;
    const wait = backoff[Math.min(batch.attempt - 1, backoff.length - 1)] ?? 60_000;
    if (now + wait - batch.firstAt > this.#options.retryHorizonMs) {
      this.stats.droppedBatches++;
      return;
    }
    batch.attempt++;
    // Meta retries the same payload: same bytes, same signature.
    this.#scheduler.add({
      at: now + wait,
      run: () => {
        t.ready.push(batch);
        this.#pump(t);
      },
    });
  }
}
