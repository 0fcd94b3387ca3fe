// createSandbox: a standalone Cloud API emulator — its own Fastify app, in-memory state, one timer — that any
// Cloud API client can use by pointing its Graph origin at it (issue 3, reference §9).
import Fastify, { type FastifyInstance } from "fastify";
import { badParam, failureBody, SandboxFailure } from "./meta-errors.js";
import {
  DEFAULT_AUDIENCE,
  DEFAULT_WEBHOOK,
  type ResolvedOptions,
  type SandboxOptions,
  type SandboxPhoneNumberOptions,
} from "./options.js";
import { seedOf } from "./random.js";
import { controlRoutes, type TimeControl } from "./routes/control.js";
import { graphRoutes } from "./routes/graph.js";
import { type InboundSpec, Simulator } from "./sim.js";
import type { PhoneState, ReceivedMessage } from "./state.js";

/** A running (or ready to run) sandbox. */
export interface Sandbox {
  app: FastifyInstance;
  sim: Simulator;
  /** Starts serving; returns the origin, e.g. "http://127.0.0.1:4010". Port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** Current sandbox time (virtual or wall clock). */
  now(): number;
  /** Runs everything due in the next `ms` (virtual: moves time; real: waits ms). */
  advance(ms: number): Promise<void>;
  /** Runs every pending event (statuses, replies, reviews, webhook batches and retries) and waits for delivery. */
  flush(): Promise<void>;
  /** Registers a business number at run time. */
  addPhoneNumber(o: SandboxPhoneNumberOptions): PhoneState;
  /** A simulated user sends a message to a business number; returns its wamid. */
  inbound(phoneNumberId: string, from: string, spec: InboundSpec, name?: string): string;
  /** Messages a number received. */
  received(waId: string): ReceivedMessage[];
  reset(): void;
}

function resolve(o: SandboxOptions): ResolvedOptions {
  return {
    seed: seedOf(o.seed ?? 1),
    virtual: o.clock === "virtual",
    // Monday 5 January 2026, 00:00 UTC: a fixed, realistic start for virtual time.
    startTime: o.startTime ?? Date.UTC(2026, 0, 5),
    tickMs: o.tickMs ?? 10,
    templateReviewDelayMs: o.templateReviewDelayMs ?? 60_000,
    templateRandomRejectRate: o.templateRandomRejectRate ?? 0,
    utilityPromotional: o.utilityPromotional ?? "recategorize",
    windowMs: o.windowMs ?? 24 * 3_600_000,
    pairLimit: o.pairLimit ?? { intervalMs: 6_000, burst: 45 },
    tierExhaustedCode: o.tierExhaustedCode ?? 131048,
    receivedLogLimit: o.receivedLogLimit ?? 200,
    webhook: { ...DEFAULT_WEBHOOK, ...o.webhook },
    audience: { ...DEFAULT_AUDIENCE, ...o.audience },
    publicOrigin: o.publicOrigin,
  };
}

/** Builds a sandbox (not listening yet). */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const resolved = resolve(options);
  const sim = new Simulator(resolved);
  for (const p of options.phoneNumbers ?? []) sim.state.addPhone(p, sim.clock.now());

  // 110 MB: documents may be 100 MB (reference §5.6).
  const app = Fastify({ logger: false, bodyLimit: 110 * 2 ** 20, keepAliveTimeout: 30_000, return503OnClosing: false });
  app.removeContentTypeParser(["application/json", "text/plain"]);
  // Plain JSON.parse: Fastify's default secure-json-parse costs more and the sandbox trusts nothing anyway.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(badParam("body", "is not valid JSON"), undefined);
    }
  });
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, _req, reply) => {
    let failure: SandboxFailure;
    if (err instanceof SandboxFailure) failure = err;
    else if ((err as { statusCode?: number }).statusCode === 413) failure = badParam("body", "is too large");
    else if (
      (err as { statusCode?: number }).statusCode !== undefined &&
      (err as { statusCode: number }).statusCode < 500
    ) {
      failure = badParam("body", (err as Error).message);
    } else failure = new SandboxFailure(1, undefined, { message: "An unknown error occurred", httpStatus: 500 });
    if (!(err instanceof SandboxFailure)) sim.state.reject(failure.code);
    else sim.state.reject(err.code);
    reply.code(failure.httpStatus).header("content-type", "application/json; charset=UTF-8").send(failureBody(failure));
  });
  app.setNotFoundHandler((req, reply) => {
    const failure = new SandboxFailure(2500, undefined, {
      message: `Unknown path components: ${req.url.split("?")[0]}`,
    });
    reply.code(400).header("content-type", "application/json; charset=UTF-8").send(failureBody(failure));
  });

  let timer: NodeJS.Timeout | undefined;
  const runDue = () => {
    sim.scheduler.runDue(sim.clock.now());
  };
  const clock = sim.clock as { now(): number; set?: (t: number) => void };

  const time: TimeControl = {
    async advance(ms: number) {
      if (!resolved.virtual || !clock.set) {
        await new Promise((r) => setTimeout(r, ms));
        runDue();
        return;
      }
      const target = sim.clock.now() + ms;
      for (;;) {
        const next = sim.scheduler.nextAt();
        if (next !== undefined && next <= target) {
          clock.set(next);
          sim.scheduler.runDue(next, (at) => clock.set?.(at));
          await sim.dispatcher.settle();
          continue;
        }
        await sim.dispatcher.settle();
        const again = sim.scheduler.nextAt();
        if (again !== undefined && again <= target) continue;
        break;
      }
      clock.set(target);
    },
    async flush() {
      // Bounded: webhook retries against a dead receiver stop at the retry horizon (7 days by default).
      for (let i = 0; i < 1_000_000; i++) {
        const next = sim.scheduler.nextAt();
        if (next === undefined) {
          sim.dispatcher.flushAll();
          await sim.dispatcher.settle();
          if (sim.scheduler.nextAt() === undefined && sim.dispatcher.idle) return;
          continue;
        }
        if (resolved.virtual && clock.set) {
          clock.set(next);
          sim.scheduler.runDue(next, (at) => clock.set?.(at));
        } else sim.scheduler.runDue(Math.max(next, sim.clock.now()));
        sim.dispatcher.flushAll();
        await sim.dispatcher.settle();
      }
    },
  };

  graphRoutes(app, sim);
  controlRoutes(app, sim, time);

  return {
    app,
    sim,
    async listen(port = 0, host = "127.0.0.1") {
      await app.listen({ port, host });
      const address = app.server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      const origin = `http://${host.includes(":") ? `[${host}]` : host}:${actual}`;
      if (resolved.publicOrigin === undefined) resolved.publicOrigin = origin;
      // One interval drives every timer of the sandbox in real mode (see scheduler.ts).
      if (!resolved.virtual && timer === undefined) {
        timer = setInterval(runDue, resolved.tickMs);
        timer.unref();
      }
      return origin;
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await app.close();
      await sim.dispatcher.close();
    },
    now: () => sim.clock.now(),
    advance: (ms) => time.advance(ms),
    flush: () => time.flush(),
    addPhoneNumber: (o) => sim.state.addPhone(o, sim.clock.now()),
    inbound(phoneNumberId, from, spec, name) {
      const phone = sim.state.phones.get(phoneNumberId);
      if (!phone) throw new SandboxFailure(100, `No sandbox phone number ${phoneNumberId}`, { subcode: 33 });
      return sim.inbound(phone, from, spec, sim.clock.now(), name);
    },
    received: (waId) => sim.received(waId),
    reset: () => sim.reset(),
  };
}

/** Creates a sandbox and starts listening: the `herald sandbox` command in one call. */
export async function startSandbox(
  options: SandboxOptions & { port?: number; host?: string } = {},
): Promise<Sandbox & { origin: string }> {
  const sandbox = createSandbox(options);
  const origin = await sandbox.listen(options.port ?? 4010, options.host ?? "127.0.0.1");
  return Object.assign(sandbox, { origin });
}
