import { type Logger, pino } from "pino";
import type { Config } from "./config.js";

/** Paths that must never reach a log line, whatever logs them. */
const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-csrf-token']",
  "res.headers['set-cookie']",
  "password",
  "*.password",
  "accessToken",
  "*.accessToken",
  "appSecret",
  "*.appSecret",
  "key",
  "*.key",
];

/** The one structured logger: JSON lines to stdout, secrets redacted. */
export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({ level: config.logLevel, redact: { paths: REDACT, censor: "[redacted]" } });
}

export type { Logger };
