import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where `vite build` puts the dashboard (web/dist), resolved from this file in src/ or dist/. */
export const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));

// Paths the dashboard never owns: a miss there is a real 404 in the API error shape.
const NOT_DASHBOARD = /^\/(api|docs|openapi\.json|healthz|metrics|webhooks|assets|r)(\/|$|\?)/;

/**
 * Serves the built dashboard: hashed assets with a long cache, everything else falls back to
 * index.html (client-side routing). Returns the fallback for the app's not-found handler.
 */
export async function installWeb(
  app: FastifyInstance,
  root = WEB_DIST,
): Promise<(request: FastifyRequest, reply: FastifyReply) => FastifyReply | null> {
  const built = existsSync(`${root}index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: "/",
      wildcard: false,
      index: false,
      serve: true,
      setHeaders: (res, path) => {
        res.setHeader("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  }
  return (request, reply) => {
    const path = request.url;
    if (request.method !== "GET" || NOT_DASHBOARD.test(path)) return null;
    if (!built) {
      return reply
        .status(503)
        .type("text/html")
        .send(
          "<!doctype html><title>Herald</title><p>The dashboard is not built. Run <code>npm run build</code> (npm start does it for you).</p>",
        );
    }
    return reply.header("cache-control", "no-cache").sendFile("index.html", root);
  };
}
