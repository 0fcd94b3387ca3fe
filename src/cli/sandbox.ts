import { type Command, InvalidArgumentError } from "commander";
import { isMessagingTier, MESSAGING_TIERS } from "../domain/sender/tiers.js";
import { parsePort } from "./common.js";

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`must be a probability between 0 and 1 (got "${value}")`);
  return n;
}

function parseMs(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`must be a whole number of milliseconds (got "${value}")`);
  return Number(value);
}

function parseMps(value: string): number {
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError(`must be a whole number of messages per second, 1 to 9,999,999 (got "${value}")`);
  return Number(value);
}

function parseTier(value: string): string {
  if (!isMessagingTier(value))
    throw new InvalidArgumentError(`must be one of ${MESSAGING_TIERS.join(", ")} (got "${value}")`);
  return value;
}

function parseDigits(value: string): string {
  if (!/^\d{1,32}$/.test(value)) throw new InvalidArgumentError(`must be digits only (got "${value}")`);
  return value;
}

interface SandboxFlags {
  port: number;
  host: string;
  seed: string;
  reviewDelay: number;
  duplicates: number;
  reorder: number;
  phoneNumberId?: string;
  wabaId?: string;
  displayPhoneNumber?: string;
  accessToken?: string;
  appSecret?: string;
  webhookUrl?: string;
  verifyToken?: string;
  mps?: number;
  tier: string;
}

/**
 * `herald sandbox`: the Cloud API emulator on its own port, serving Meta's paths at the root, so any
 * Cloud API client works against it by changing the Graph origin. Numbers can be given with flags or
 * added later through `POST /_sandbox/phone-numbers` (docs/sandbox.md).
 */
export function registerSandboxCommand(program: Command): void {
  program
    .command("sandbox")
    .description("run the WhatsApp Cloud API sandbox (emulator) standalone")
    .option("--port <port>", "listen on this port", parsePort, 4010)
    .option("--host <host>", "listen on this address", "127.0.0.1")
    .option("--seed <seed>", "seed of the simulated audience (same seed, same behaviour)", "1")
    .option("--review-delay <ms>", "delay before a created template is reviewed", parseMs, 60_000)
    .option("--duplicates <p>", "probability that a webhook update is delivered twice", parseRate, 0)
    .option("--reorder <p>", "probability that a webhook POST's updates are shuffled", parseRate, 0)
    .option("--phone-number-id <id>", "register one business number with this id", parseDigits)
    .option("--waba-id <id>", "its WhatsApp Business Account id", parseDigits)
    .option("--display-phone-number <digits>", "its display number", "15550783881")
    .option("--access-token <token>", "the access token clients must send (prefer SANDBOX_ACCESS_TOKEN)")
    .option("--app-secret <secret>", "the app secret webhooks are signed with (prefer SANDBOX_APP_SECRET)")
    .option("--webhook-url <url>", "where to POST webhooks for this number")
    .option("--verify-token <token>", "the verify token of the webhook handshake")
    .option("--mps <n>", "messages per second before 130429", parseMps, 80)
    .option("--tier <tier>", "messaging tier (TIER_250 … TIER_UNLIMITED)", parseTier, "TIER_10K")
    .action(async (flags: SandboxFlags) => {
      const { startSandbox } = await import("../whatsapp/sandbox/index.js");
      const accessToken = flags.accessToken ?? process.env.SANDBOX_ACCESS_TOKEN;
      const appSecret = flags.appSecret ?? process.env.SANDBOX_APP_SECRET;
      const phoneNumbers = [];
      if (flags.phoneNumberId) {
        if (!flags.wabaId || !accessToken || !appSecret) {
          throw new InvalidArgumentError(
            "--phone-number-id needs --waba-id, and an access token and app secret (flags or SANDBOX_ACCESS_TOKEN / SANDBOX_APP_SECRET)",
          );
        }
        phoneNumbers.push({
          id: flags.phoneNumberId,
          wabaId: flags.wabaId,
          displayPhoneNumber: flags.displayPhoneNumber ?? "15550783881",
          accessToken,
          appSecret,
          ...(flags.webhookUrl ? { webhookUrl: flags.webhookUrl } : {}),
          ...(flags.verifyToken ? { verifyToken: flags.verifyToken } : {}),
          mpsLimit: flags.mps ?? 80,
          tier: flags.tier,
        });
      }
      const sandbox = await startSandbox({
        port: flags.port,
        host: flags.host,
        seed: flags.seed,
        templateReviewDelayMs: flags.reviewDelay,
        webhook: { duplicateRate: flags.duplicates, reorderRate: flags.reorder },
        phoneNumbers,
      });
      process.stderr.write(
        `Cloud API sandbox listening on ${sandbox.origin}\n` +
          `  Graph paths at the root, e.g. POST ${sandbox.origin}/v23.0/{phone-number-id}/messages\n` +
          `  Control API under ${sandbox.origin}/_sandbox/ (docs/sandbox.md)\n` +
          (phoneNumbers.length
            ? `  Number ${flags.phoneNumberId} registered\n`
            : "  No number registered yet: POST /_sandbox/phone-numbers\n"),
      );
      const stop = () => {
        sandbox.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
}
