import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { HeraldError } from "../domain/errors.js";

/**
 * Prometheus metrics. One registry per app (tests build many apps in one process); the engine
 * registers its counters on `registry` too. Default metrics include event-loop lag
 * (`nodejs_eventloop_lag_seconds` and its percentiles).
 */
export function createMetrics(): { registry: Registry; httpDuration: Histogram<"method" | "route" | "status"> } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const httpDuration = new Histogram({
    name: "herald_http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/** Times every request by its route pattern (not its URL, so label cardinality stays bounded) and serves GET /metrics. */
export function installMetrics(
  app: FastifyInstance,
  registry: Registry,
  httpDuration: Histogram<"method" | "route" | "status">,
  token: string | null,
): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    if (token !== null) {
      const sent = Buffer.from(request.headers.authorization ?? "");
      const want = Buffer.from(`Bearer ${token}`);
      if (sent.length !== want.length || !timingSafeEqual(sent, want)) {
        throw new HeraldError("unauthorized", "metrics need Authorization: Bearer <HERALD_METRICS_TOKEN>");
      }
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
