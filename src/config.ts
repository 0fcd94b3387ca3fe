import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";

/**
 * Herald's whole configuration, read once at start from the environment and an optional `.env`
 * (the environment wins). Every value is validated; a bad one stops the start with its name.
 */
export interface Config {
  port: number;
  host: string;
  /** `postgres://…` selects PostgreSQL; absent means SQLite in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** 32 bytes that encrypt provider credentials at rest (AES-256-GCM). */
  secretKey: Buffer;
  /** Where the secret key came from, for the start banner (never the key itself). */
  secretKeySource: "env" | "file" | "generated";
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  adminEmail: string | null;
  adminPassword: string | null;
  /** Largest accepted request body in bytes; larger bodies get 413. */
  bodyLimit: number;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** Login attempts allowed per client address and email within `loginRateWindowMs`. */
  loginRateMax: number;
  loginRateWindowMs: number;
  sessionTtlMs: number;
  /** Set the Secure flag on the session cookie (turn on behind HTTPS). */
  cookieSecure: boolean;
  /** The URL printed at start and used in links; defaults to http://HOST:PORT. */
  publicUrl: string;
  /** Fastify's trustProxy: true when Herald sits behind a reverse proxy that sets X-Forwarded-For. */
  trustProxy: boolean;
  /** Meta's Graph API origin for `cloud` senders. */
  graphOrigin: string;
  /** Graph API version new senders use by default. */
  graphVersion: string;
  /** Run the Cloud API sandbox inside `herald start` (on `sandboxPort`). */
  sandbox: boolean;
  sandboxPort: number;
  /** How long the embedded sandbox takes to review a submitted template (Meta: minutes to a day). */
  sandboxReviewDelayMs: number;
  /**
   * `herald start`: run the engine's loops in a worker thread of their own (HERALD_ENGINE_THREAD, default off: on
   * SQLite it measured slower, docs/architecture.md#threads).
   */
  engineThread: boolean;
}

/** Raised when the configuration is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const schema = z.object({
  PORT: intIn(0, 65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "must be a postgres:// URL (leave it unset for SQLite)")
    .optional(),
  HERALD_DATA_DIR: z.string().min(1).default("./data"),
  HERALD_SECRET_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== null, "must be 32 bytes as 64 hex characters or 44 base64 characters")
    .optional(),
  HERALD_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HERALD_ADMIN_EMAIL: z.email("must be an email address").optional(),
  HERALD_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  HERALD_BODY_LIMIT: intIn(1024, 512 * 1024 * 1024).default(10 * 1024 * 1024),
  HERALD_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  HERALD_LOGIN_RATE_MAX: intIn(1, 10_000).default(10),
  HERALD_LOGIN_RATE_WINDOW_SECONDS: intIn(1, 86_400).default(300),
  HERALD_SESSION_TTL_HOURS: intIn(1, 24 * 90).default(24 * 7),
  HERALD_COOKIE_SECURE: boolish.default(false),
  HERALD_PUBLIC_URL: z.url("must be a URL such as https://herald.example.com").optional(),
  HERALD_TRUST_PROXY: boolish.default(false),
  HERALD_GRAPH_ORIGIN: z
    .url("must be a URL such as https://graph.facebook.com")
    .refine((v) => /^https?:\/\/[^/]+\/?$/.test(v), "must be an origin only (scheme, host, port; no path)")
    .default("https://graph.facebook.com"),
  HERALD_GRAPH_VERSION: z
    .string()
    .regex(/^v\d{1,3}\.\d$/, "must look like v23.0")
    .default("v23.0"),
  HERALD_SANDBOX: boolish.default(true),
  HERALD_SANDBOX_PORT: intIn(0, 65535).default(4010),
  HERALD_SANDBOX_REVIEW_DELAY_MS: intIn(0, 7 * 86_400_000).default(20_000),
  HERALD_ENGINE_THREAD: boolish.default(false),
});

/** Decodes a 32-byte key given as hex or base64; null when it is neither. */
export function decodeKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const buf = Buffer.from(trimmed, "base64");
    return buf.length === 32 ? buf : null;
  }
  return null;
}

export interface LoadOptions {
  /** The environment to read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Read `.env` from this folder when present (default: the working directory). Null skips it. */
  envFileDir?: string | null;
  /** Create the data dir and the secret key file when missing (the CLI's start and migrate do). */
  createDataDir?: boolean;
}

/** Reads, validates and completes the configuration; throws ConfigError naming each bad variable. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = { ...readEnvFile(options.envFileDir), ...(options.env ?? process.env) };
  // Empty strings mean "unset", as in most twelve-factor tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "?");
      const got = present[name];
      const shown =
        name.includes("SECRET") || name.includes("PASSWORD") || name.includes("TOKEN") ? "" : ` (got "${got}")`;
      return `  ${name}: ${issue.message}${got === undefined ? "" : shown}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const v = parsed.data;
  const dataDir = isAbsolute(v.HERALD_DATA_DIR) ? v.HERALD_DATA_DIR : resolve(v.HERALD_DATA_DIR);
  if (options.createDataDir) mkdirSync(dataDir, { recursive: true });
  const key = resolveSecretKey(v.HERALD_SECRET_KEY, dataDir, options.createDataDir ?? false);
  const shownHost = v.HOST === "0.0.0.0" || v.HOST === "::" ? "localhost" : v.HOST;
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL ?? null,
    dataDir,
    secretKey: key.key,
    secretKeySource: key.source,
    logLevel: v.HERALD_LOG_LEVEL,
    adminEmail: v.HERALD_ADMIN_EMAIL?.toLowerCase() ?? null,
    adminPassword: v.HERALD_ADMIN_PASSWORD ?? null,
    bodyLimit: v.HERALD_BODY_LIMIT,
    metricsToken: v.HERALD_METRICS_TOKEN ?? null,
    loginRateMax: v.HERALD_LOGIN_RATE_MAX,
    loginRateWindowMs: v.HERALD_LOGIN_RATE_WINDOW_SECONDS * 1000,
    sessionTtlMs: v.HERALD_SESSION_TTL_HOURS * 3_600_000,
    cookieSecure: v.HERALD_COOKIE_SECURE,
    publicUrl: (v.HERALD_PUBLIC_URL ?? `http://${shownHost}:${v.PORT}`).replace(/\/$/, ""),
    trustProxy: v.HERALD_TRUST_PROXY,
    graphOrigin: v.HERALD_GRAPH_ORIGIN.replace(/\/$/, ""),
    graphVersion: v.HERALD_GRAPH_VERSION,
    sandbox: v.HERALD_SANDBOX,
    sandboxPort: v.HERALD_SANDBOX_PORT,
    sandboxReviewDelayMs: v.HERALD_SANDBOX_REVIEW_DELAY_MS,
    engineThread: v.HERALD_ENGINE_THREAD,
  };
}

function readEnvFile(dir: string | null | undefined): Record<string, string> {
  if (dir === null) return {};
  const path = join(dir ?? process.cwd(), ".env");
  if (!existsSync(path)) return {};
  return parseDotenv(readFileSync(path));
}

/**
 * HERALD_SECRET_KEY wins; otherwise `<dataDir>/secret.key` (created with mode 0600 on first run).
 * Several machines sharing one PostgreSQL must share the key: set HERALD_SECRET_KEY on each.
 */
function resolveSecretKey(
  fromEnv: string | undefined,
  dataDir: string,
  create: boolean,
): { key: Buffer; source: Config["secretKeySource"] } {
  if (fromEnv) return { key: decodeKey(fromEnv)!, source: "env" };
  const path = join(dataDir, "secret.key");
  if (existsSync(path)) {
    const key = decodeKey(readFileSync(path, "utf8"));
    if (!key) throw new ConfigError(`invalid configuration:\n  ${path}: must hold 32 bytes as 64 hex characters`);
    return { key, source: "file" };
  }
  const key = randomBytes(32);
  if (create) {
    writeFileSync(path, `${key.toString("hex")}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    return { key, source: "generated" };
  }
  // Without a data dir to keep it in (e.g. a read-only check), the key lives for this process only.
  return { key, source: "generated" };
}
