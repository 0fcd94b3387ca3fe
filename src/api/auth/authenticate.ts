import { timingSafeEqual } from "node:crypto";
import type {} from "@fastify/cookie";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { can, type Permission, type Role } from "../../domain/auth/roles.js";
import { HeraldError } from "../../domain/errors.js";
import { type ApiKey, findLiveApiKey, touchApiKey } from "../../store/api-keys.js";
import type { Store } from "../../store/db.js";
import { findActiveSession, touchSession } from "../../store/sessions.js";
import type { User } from "../../store/users.js";

/** Who is making a request: a dashboard user with a session, or an integration with an API key. */
export type Actor =
  | { kind: "user"; user: User; role: Role; sessionId: string; csrfToken: string }
  | { kind: "apikey"; apiKey: ApiKey; role: Role };

declare module "fastify" {
  interface FastifyContextConfig {
    /** The permission a route needs; every /api/v1 route declares one, or `public: true`. */
    permission?: Permission;
    /** No authentication (login, health). */
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export const SESSION_COOKIE = "herald_session";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Refresh sliding expiry and last-used times at most this often, so reads do not become writes.
const TOUCH_EVERY_MS = 60_000;

export interface AuthOptions {
  store: Store;
  now: () => number;
  sessionTtlMs: number;
}

/**
 * Installs authentication and authorisation for `/api/v1`: a Bearer API key or the session cookie
 * identifies the actor; cookie requests that change state must carry the session's CSRF token in
 * `X-CSRF-Token`; the route's declared permission is checked against the actor's role. A route
 * under /api/v1 that declares neither a permission nor `public` fails at startup, not at runtime.
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  app.decorateRequest("actor", null);

  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/api/v1")) return;
    const config = route.config as { permission?: Permission; public?: boolean } | undefined;
    if (!config?.permission && !config?.public) {
      throw new Error(`route ${route.method} ${route.url} declares no permission`);
    }
  });

  app.addHook("onRequest", async (request) => {
    const config = request.routeOptions.config;
    if (!request.routeOptions.url?.startsWith("/api/v1") || config.public) return;
    request.actor = await identify(request, options);
    if (!request.actor) throw new HeraldError("unauthorized", "sign in or send an API key as Authorization: Bearer …");
    if (request.actor.kind === "user" && UNSAFE_METHODS.has(request.method))
      checkCsrf(request, request.actor.csrfToken);
    const permission = config.permission;
    if (permission && !can(request.actor.role, permission)) {
      throw new HeraldError("forbidden", `the ${request.actor.role} role may not do this (needs ${permission})`, {
        permission,
        role: request.actor.role,
      });
    }
  });
}

/** Resolves the actor from a Bearer key (preferred) or the session cookie; null when neither is valid. */
export async function identify(request: FastifyRequest, options: AuthOptions): Promise<Actor | null> {
  const now = options.now();
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new HeraldError("unauthorized", "the Authorization header must be `Bearer <api key>`");
    const apiKey = await findLiveApiKey(options.store.db, match[1]);
    if (!apiKey) throw new HeraldError("unauthorized", "the API key is unknown or revoked");
    if (apiKey.lastUsedAt === null || now - apiKey.lastUsedAt > TOUCH_EVERY_MS) {
      await touchApiKey(options.store.db, apiKey.id, now);
    }
    return { kind: "apikey", apiKey, role: apiKey.role };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await findActiveSession(options.store.db, token, now);
  if (!session) return null;
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
    await touchSession(options.store.db, session.sessionId, now + options.sessionTtlMs, now);
  }
  return {
    kind: "user",
    user: session.user,
    role: session.user.role,
    sessionId: session.sessionId,
    csrfToken: session.csrfToken,
  };
}

function checkCsrf(request: FastifyRequest, expected: string): void {
  const sent = request.headers["x-csrf-token"];
  const given = Buffer.from(typeof sent === "string" ? sent : "");
  const want = Buffer.from(expected);
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new HeraldError(
      "forbidden",
      "missing or wrong CSRF token: send the X-CSRF-Token header from /api/v1/auth/me",
      {
        header: "X-CSRF-Token",
      },
    );
  }
}

/** The actor of an authenticated route; throws if a route forgot its permission (cannot happen after startup checks). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new HeraldError("unauthorized", "not signed in");
  return request.actor;
}
