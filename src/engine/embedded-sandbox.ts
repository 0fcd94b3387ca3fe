import type { SecretBox } from "../secret-box.js";
import type { Store } from "../store/db.js";
import { getSenderCredentials, listSenders, type SenderCredentials } from "../store/senders.js";
import { type Sandbox, startSandbox } from "../whatsapp/sandbox/index.js";

/**
 * The Cloud API sandbox running inside `herald start` on its own port. Its state is in memory, so on
 * every start Herald registers its sandbox senders with it again (the sandbox plays Meta, which
 * would remember them), with Herald's own webhook URL as their callback; senders added or changed
 * later are registered as they are saved.
 */
export interface EmbeddedSandbox {
  origin: string;
  sandbox: Sandbox;
  /** Points every sandbox sender's webhooks at `webhookUrl` (Herald's /webhooks/whatsapp) and registers them all. */
  attach(webhookUrl: string): Promise<void>;
  /** Makes the sandbox know (or update) a sender number with its credentials. */
  register(creds: SenderCredentials): void;
  /** Forgets a sender number. */
  unregister(phoneNumberId: string): void;
  close(): Promise<void>;
}

/** True when a sender is served by the embedded sandbox (a sandbox sender without its own origin). */
export function usesEmbeddedSandbox(sender: { provider: string; apiOrigin: string | null }): boolean {
  return sender.provider === "sandbox" && sender.apiOrigin === null;
}

export interface EmbeddedSandboxOptions {
  port: number;
  host: string;
  seed?: number;
  /** Delay before the sandbox reviews a submitted template. */
  templateReviewDelayMs?: number;
  /** Meta duplicates and reorders webhook deliveries; the demo does too, so Herald's idempotency shows. */
  duplicateRate?: number;
  reorderRate?: number;
}

/** Starts the sandbox on `port` (0 = any free port); `attach` then registers the senders. */
export async function startEmbeddedSandbox(
  options: EmbeddedSandboxOptions,
  store: Store,
  box: SecretBox,
): Promise<EmbeddedSandbox> {
  let sandbox: Sandbox & { origin: string };
  try {
    sandbox = await startSandbox({
      port: options.port,
      host: options.host,
      seed: options.seed ?? 1,
      templateReviewDelayMs: options.templateReviewDelayMs ?? 20_000,
      webhook: { duplicateRate: options.duplicateRate ?? 0.02, reorderRate: options.reorderRate ?? 0.1 },
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `the sandbox port ${options.port} is in use; set HERALD_SANDBOX_PORT to another port, or HERALD_SANDBOX=false`,
      );
    }
    throw err;
  }
  let webhookUrl: string | undefined;
  const register = (creds: SenderCredentials) => {
    const s = creds.sender;
    sandbox.addPhoneNumber({
      id: s.phoneNumberId,
      wabaId: s.wabaId,
      displayPhoneNumber: s.displayPhoneNumber || s.phoneNumberId,
      accessToken: creds.accessToken,
      appSecret: creds.appSecret,
      verifyToken: creds.verifyToken,
      ...(webhookUrl ? { webhookUrl } : {}),
      verifiedName: s.name,
      mpsLimit: s.mpsLimit,
      tier: s.messagingTier,
      quality: s.qualityRating === "UNKNOWN" ? "GREEN" : s.qualityRating,
    });
  };
  return {
    origin: sandbox.origin,
    sandbox,
    async attach(url) {
      webhookUrl = url;
      for (const sender of await listSenders(store.db)) {
        if (usesEmbeddedSandbox(sender)) register(await getSenderCredentials(store.db, box, sender.id));
      }
    },
    register,
    unregister: (phoneNumberId) => sandbox.sim.state.removePhone(phoneNumberId),
    close: () => sandbox.close(),
  };
}
