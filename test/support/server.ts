import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startServer } from "../../src/server.js";

export interface TestServer {
  url: string;
  admin: { email: string; password: string };
  close(): Promise<void>;
}

/**
 * A real Herald server on 127.0.0.1 with a random port, a fresh SQLite database in a temp dir,
 * an admin user, and the built dashboard (web/dist). Real: HTTP, database, auth. Faked: nothing.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "herald-server-"));
  const admin = { email: "admin@example.com", password: "correct horse battery" };
  const config = loadConfig({
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      HERALD_DATA_DIR: dir,
      HERALD_LOG_LEVEL: "silent",
      HERALD_SANDBOX_PORT: "0",
      HERALD_ADMIN_EMAIL: admin.email,
      HERALD_ADMIN_PASSWORD: admin.password,
      ...env,
    },
    envFileDir: null,
    createDataDir: true,
  });
  const server = await startServer({ config, logger: createLogger(config) });
  return {
    url: server.url,
    admin,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
