import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { HeraldError } from "../../domain/errors.js";
import { createSession, deleteSession } from "../../store/sessions.js";
import { findUserForLogin, recordLogin, toUser } from "../../store/users.js";
import { actorOf, SESSION_COOKIE } from "../auth/authenticate.js";
import type { LoginLimiter } from "../auth/login-limiter.js";
import { decoyHash, verifyPassword } from "../auth/password.js";
import type { AppContext } from "../context.js";
import { loginBody, meResponse, sessionResponse } from "../schemas/auth.js";
import { errorSchema, noContent } from "../schemas/common.js";

/** Dashboard sign-in, sign-out and "who am I". */
export async function authRoutes(app: FastifyInstance, ctx: AppContext & { limiter: LoginLimiter }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/api/v1/auth/login",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Sign in to the dashboard (sets the session cookie)",
        body: loginBody,
        response: { 200: sessionResponse, 400: errorSchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const now = ctx.now();
      const wait = ctx.limiter.hit(request.ip, request.body.email, now);
      if (wait > 0) {
        throw new HeraldError("rate_limited", `too many sign-in attempts; try again in ${wait} s`, {
          retryAfterSeconds: wait,
        });
      }
      const row = await findUserForLogin(ctx.store.db, request.body.email);
      const ok = await verifyPassword(request.body.password, row?.password_hash ?? (await decoyHash()));
      if (!row || !ok || row.disabled === 1) throw new HeraldError("unauthorized", "wrong email or password");
      const session = await createSession(
        ctx.store.db,
        row.id,
        { ip: request.ip, userAgent: request.headers["user-agent"] ?? null, ttlMs: ctx.config.sessionTtlMs },
        now,
      );
      await recordLogin(ctx.store.db, row.id, now);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.config.cookieSecure,
        expires: new Date(session.expiresAt),
      });
      request.log.info({ userId: row.id }, "user signed in");
      return { user: { ...toUser(row), lastLoginAt: now }, csrfToken: session.csrfToken };
    },
  );

  r.post(
    "/api/v1/auth/logout",
    {
      config: { permission: "self.read" },
      schema: {
        tags: ["auth"],
        summary: "Sign out (ends the session)",
        response: { 204: noContent, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.kind === "user") await deleteSession(ctx.store.db, actor.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send(null);
    },
  );

  r.get(
    "/api/v1/auth/me",
    {
      config: { permission: "self.read" },
      schema: {
        tags: ["auth"],
        summary: "The signed-in user or API key",
        response: { 200: meResponse, 401: errorSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.kind === "user")
        return { user: actor.user, apiKey: null, role: actor.role, csrfToken: actor.csrfToken };
      const { id, name, role } = actor.apiKey;
      return { user: null, apiKey: { id, name, role }, role: actor.role, csrfToken: null };
    },
  );
}
