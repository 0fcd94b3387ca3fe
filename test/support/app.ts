import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/api/app.js";
import { addUser } from "../../src/api/auth/accounts.js";
import { type Config, loadConfig } from "../../src/config.js";
import type { Role } from "../../src/domain/auth/roles.js";
import { ProviderRegistry } from "../../src/engine/providers.js";
import { createLogger } from "../../src/logger.js";
import { SecretBox } from "../../src/secret-box.js";
import { createApiKey } from "../../src/store/api-keys.js";
import type { Store } from "../../src/store/db.js";
import { sqlite, type TestDialect } from "./dialects.js";

/**
 * An in-process app for API tests (`app.inject`): real routes, auth and database (a fresh
 * SQLite by default); no network. `now` is a settable clock.
 */
export interface TestApp {
  app: FastifyInstance;
  store: Store;
  config: Config;
  clock: { now: number };
  /** Creates a user and returns a signed-in session (cookie + CSRF token). */
  login(role?: Role, email?: string): Promise<{ cookie: string; csrf: string; userId: string; email: string }>;
  /** Creates an API key with a role and returns its Authorization header value. */
  bearer(role: Role): Promise<string>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = "correct horse battery";

export async function buildTestApp(
  env: Record<string, string> = {},
  dialect: TestDialect = sqlite,
  options: { sandboxOrigin?: string } = {},
): Promise<TestApp> {
  const store = await dialect.open();
  const config = loadConfig({
    env: { HERALD_DATA_DIR: "/tmp/herald-unused", HERALD_LOG_LEVEL: "silent", ...env },
    envFileDir: null,
  });
  const clock = { now: Date.UTC(2026, 10, 26, 9, 0, 0) };
  const providers = new ProviderRegistry({
    cloudOrigin: config.graphOrigin,
    sandboxOrigin: options.sandboxOrigin ?? null,
  });
  const { app } = await buildApp({
    config,
    store,
    logger: createLogger(config),
    now: () => clock.now,
    box: new SecretBox(config.secretKey),
    providers,
    sandbox: null,
    engine: { wakeApplier: () => {}, wakeDispatcher: () => {}, tickScheduler: async () => {} },
  });
  await app.ready();
  let n = 0;
  return {
    app,
    store,
    config,
    clock,
    async login(role = "admin", email) {
      n += 1;
      const address = email ?? `${role}${n}@example.com`;
      const user = await addUser(store, { email: address, password: TEST_PASSWORD, role }, clock.now);
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: address, password: TEST_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      return { cookie: sessionCookie(res), csrf: res.json().csrfToken, userId: user.id, email: address };
    },
    async bearer(role) {
      const { key } = await createApiKey(store.db, { name: `${role} key`, role, createdBy: null }, clock.now);
      return `Bearer ${key}`;
    },
    async close() {
      await app.close();
      await providers.close();
      await store.close();
    },
  };
}

/** The `name=value` of the session cookie set by a response. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === "herald_session");
  if (!cookie) throw new Error("no session cookie");
  return `herald_session=${cookie.value}`;
}
