import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import type { Registry } from "prom-client";
import { HeraldError } from "../domain/errors.js";
import { installAuth } from "./auth/authenticate.js";
import { LoginLimiter } from "./auth/login-limiter.js";
import type { AppContext } from "./context.js";
import { handleError } from "./errors.js";
import { createMetrics, installMetrics } from "./metrics.js";
import { analyticsRoutes } from "./routes/analytics.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { authRoutes } from "./routes/auth.js";
import { automationRoutes } from "./routes/automation.js";
import { campaignRoutes } from "./routes/campaigns.js";
import { customerRoutes } from "./routes/customers.js";
import { healthRoutes } from "./routes/health.js";
import { inboxRoutes } from "./routes/inbox.js";
import { messageRoutes } from "./routes/messages.js";
import { senderRoutes } from "./routes/senders.js";
import { templateRoutes } from "./routes/templates.js";
import { userRoutes } from "./routes/users.js";
import { webhookSubscriptionRoutes } from "./routes/webhook-subscriptions.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { installWeb } from "./web.js";

/** Logs each request once, when it completes (with status and time), instead of twice. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
}

export interface BuiltApp {
  app: FastifyInstance;
  /** The Prometheus registry; engine loops add their counters here. */
  registry: Registry;
}

/**
 * Builds the HTTP application: JSON API under /api/v1 (zod-validated, documented at /docs and
 * /openapi.json), health, metrics, and the dashboard. Does not listen; `server.ts` does.
 */
export async function buildApp(ctx: AppContext, options: { webRoot?: string } = {}): Promise<BuiltApp> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    // On close, drop idle keep-alive sockets at once and let in-flight requests finish.
    forceCloseConnections: "idle",
    return503OnClosing: true,
    logController: new OneLinePerRequest(),
    requestIdHeader: "x-request-id",
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // The API speaks JSON only; any other body type gets 415 rather than a confusing validation error.
  app.removeContentTypeParser("text/plain");

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Herald API",
        version: "1",
        description:
          'Herald\'s JSON API. Authenticate with `Authorization: Bearer <API key>` (create keys in Settings or with `herald apikey create`). Errors: `{"error":{"code","message","details"}}`.',
      },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  const { registry, httpDuration } = createMetrics();
  installMetrics(app, registry, httpDuration, ctx.config.metricsToken);
  installAuth(app, { store: ctx.store, now: ctx.now, sessionTtlMs: ctx.config.sessionTtlMs });

  await healthRoutes(app, ctx);
  await authRoutes(app, { ...ctx, limiter: new LoginLimiter(ctx.config.loginRateMax, ctx.config.loginRateWindowMs) });
  await userRoutes(app, ctx);
  await apiKeyRoutes(app, ctx);
  await senderRoutes(app, ctx);
  await customerRoutes(app, ctx);
  await templateRoutes(app, ctx);
  await webhookRoutes(app, ctx);
  await webhookSubscriptionRoutes(app, ctx);
  await campaignRoutes(app, ctx);
  await messageRoutes(app, ctx);
  await inboxRoutes(app, ctx);
  await automationRoutes(app, ctx);
  await analyticsRoutes(app, ctx);
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const dashboard = await installWeb(app, options.webRoot);
  app.setNotFoundHandler((request, reply) => {
    const served = dashboard(request, reply);
    if (served) return served;
    return handleError(
      new HeraldError("not_found", `no route for ${request.method} ${request.url.split("?")[0]}`),
      request,
      reply,
    );
  });
  return { app, registry };
}
