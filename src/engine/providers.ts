import type { SecretBox } from "../secret-box.js";
import type { Store } from "../store/db.js";
import type { QualityRating } from "../store/schema.js";
import { getSenderCredentials, recordSenderCheck, type Sender, type SenderCredentials } from "../store/senders.js";
import { createCloudApiProvider } from "../whatsapp/cloud-api/client.js";
import type { PhoneNumberInfo, Provider, SenderRef } from "../whatsapp/provider.js";
import { isProviderError } from "../whatsapp/provider-error.js";

/** Where provider calls go when a sender does not override the origin. */
export interface ProviderDefaults {
  /** Meta's Graph API origin, normally https://graph.facebook.com. */
  cloudOrigin: string;
  /** The embedded or standalone sandbox's origin, when one runs. */
  sandboxOrigin: string | null;
}

/**
 * One Cloud API client (one keep-alive pool) per Graph origin and version, shared by every sender
 * that uses it. Sandbox senders use the same Cloud API adapter pointed at the sandbox's origin:
 * that is the point of the sandbox.
 */
export class ProviderRegistry {
  readonly #clients = new Map<string, Provider>();
  readonly #defaults: ProviderDefaults;

  constructor(defaults: ProviderDefaults) {
    this.#defaults = defaults;
  }

  /** The origin a sender's calls go to. */
  originFor(sender: Sender): string {
    if (sender.apiOrigin) return sender.apiOrigin;
    if (sender.provider === "sandbox") {
      if (!this.#defaults.sandboxOrigin)
        throw new Error("no sandbox is running; start Herald with the sandbox enabled");
      return this.#defaults.sandboxOrigin;
    }
    return this.#defaults.cloudOrigin;
  }

  /** The provider client for a sender. */
  forSender(sender: Sender): Provider {
    const origin = this.originFor(sender);
    const key = `${origin}|${sender.apiVersion}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = createCloudApiProvider({ origin, version: sender.apiVersion });
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Closes every pool. */
  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    this.#clients.clear();
  }
}

/** The provider-facing reference of a sender (ids and token). */
export function senderRef(creds: SenderCredentials): SenderRef {
  return { phoneNumberId: creds.sender.phoneNumberId, wabaId: creds.sender.wabaId, accessToken: creds.accessToken };
}

export type ConnectionTest =
  | { ok: true; sender: Sender; phoneNumber: PhoneNumberInfo }
  | { ok: false; sender: Sender; error: { code: number; message: string; meaning: string } };

/**
 * "Test connection": reads the number's profile with the stored credentials, records the outcome
 * (and the quality rating and tier the provider reports) on the sender, and returns it.
 */
export async function testSenderConnection(
  store: Store,
  box: SecretBox,
  providers: ProviderRegistry,
  id: string,
  now: number,
): Promise<ConnectionTest> {
  const creds = await getSenderCredentials(store.db, box, id);
  try {
    const info = await providers.forSender(creds.sender).getPhoneNumber(senderRef(creds));
    const quality: QualityRating | undefined = info.qualityRating;
    const sender = await recordSenderCheck(
      store.db,
      id,
      {
        ok: true,
        ...(info.displayPhoneNumber ? { displayPhoneNumber: info.displayPhoneNumber } : {}),
        ...(quality ? { qualityRating: quality } : {}),
        ...(info.messagingLimit ? { messagingTier: info.messagingLimit } : {}),
      },
      now,
    );
    return { ok: true, sender, phoneNumber: info };
  } catch (err) {
    const error = isProviderError(err)
      ? { code: err.code, message: err.message, meaning: err.meaning }
      : {
          code: 0,
          message: err instanceof Error ? err.message : String(err),
          meaning: "The provider could not be reached.",
        };
    const sender = await recordSenderCheck(store.db, id, { ok: false, error: `${error.code}: ${error.message}` }, now);
    return { ok: false, sender, error };
  }
}
