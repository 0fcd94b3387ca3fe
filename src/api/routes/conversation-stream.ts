import type { IncomingMessage, ServerResponse } from "node:http";
import { conversationsChangedSince } from "../../store/conversations-list.js";
import type { AppContext } from "../context.js";

/** How often the stream looks for changed conversations. */
const POLL_MS = 1_000;
/** Changes are read from a little before the last look, so a write committed late in a millisecond is not missed. */
const OVERLAP_MS = 2_000;
const HEARTBEAT_MS = 15_000;
const PAGE = 200;

/**
 * The inbox's live stream (`GET /api/v1/conversations/events`): one poller per process, running while someone
 * listens, reads conversations whose `updated_at` moved and sends each change once to every listener. Reading the
 * database (not an in-process event bus) lets changes made by another Herald process reach this one's listeners.
 */
export class ConversationStream {
  readonly #ctx: AppContext;
  readonly #clients = new Set<ServerResponse>();
  /** Conversation id → the updatedAt last sent; forgotten once older than the overlap. */
  #sent = new Map<string, number>();
  #cursor = 0;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
  }

  add(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
    this.#clients.add(res);
    req.on("close", () => {
      this.#clients.delete(res);
      if (this.#clients.size === 0) this.#stop();
    });
    if (this.#timer === undefined) this.#start();
  }

  closeAll(): void {
    for (const res of this.#clients) res.end();
    this.#clients.clear();
    this.#stop();
  }

  #start(): void {
    this.#cursor = this.#ctx.now();
    this.#sent.clear();
    this.#timer = setInterval(() => void this.#poll(), POLL_MS);
    this.#heartbeat = setInterval(() => {
      for (const res of this.#clients) res.write(": ping\n\n");
    }, HEARTBEAT_MS);
    this.#timer.unref();
    this.#heartbeat.unref();
  }

  #stop(): void {
    clearInterval(this.#timer);
    clearInterval(this.#heartbeat);
    this.#timer = undefined;
    this.#heartbeat = undefined;
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const now = this.#ctx.now();
      const since = this.#cursor - OVERLAP_MS;
      const changed = await conversationsChangedSince(this.#ctx.store.db, since, now, PAGE);
      for (const conversation of changed) {
        if (this.#sent.get(conversation.id) === conversation.updatedAt) continue;
        this.#sent.set(conversation.id, conversation.updatedAt);
        const frame = `event: conversation\ndata: ${JSON.stringify(conversation)}\n\n`;
        for (const res of this.#clients) res.write(frame);
      }
      // A full page may have more behind it: continue from its last change; otherwise everything up to now was read.
      const last = changed.at(-1)?.updatedAt ?? now;
      this.#cursor = Math.max(this.#cursor, changed.length >= PAGE ? last : now);
      for (const [id, at] of this.#sent) if (at < this.#cursor - OVERLAP_MS) this.#sent.delete(id);
    } catch (err) {
      this.#ctx.logger.warn({ err }, "inbox stream could not read changes");
    } finally {
      this.#polling = false;
    }
  }
}
