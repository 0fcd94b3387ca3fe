/**
 * How template operations reach the provider: which sender's credentials speak for a WhatsApp Business Account, and
 * how a provider failure becomes a HeraldError the API can answer with (Meta's code, message and meaning kept).
 */
import { HeraldError } from "../domain/errors.js";
import type { SecretBox } from "../secret-box.js";
import type { Store } from "../store/db.js";
import { getSenderCredentials, listSenders, type SenderCredentials } from "../store/senders.js";
import type { Provider, SenderRef } from "../whatsapp/provider.js";
import { isProviderError } from "../whatsapp/provider-error.js";
import { type ProviderRegistry, senderRef } from "./providers.js";

/** What template operations that call the provider need. */
export interface TemplateDeps {
  store: Store;
  box: SecretBox;
  providers: ProviderRegistry;
}

/** A provider client and the sender it speaks as. */
export interface ProviderHandle {
  creds: SenderCredentials;
  provider: Provider;
  ref: SenderRef;
}

/** Meta's answer when a template with this name and language already exists on the WABA (code 100). */
const DUPLICATE_SUBCODE = 2388024;
/** Meta's answer when deleting a template it does not have (code 100). */
export const MISSING_TEMPLATE_SUBCODE = 2593002;

/** The provider client for a sender; `not_found` when the sender does not exist. */
export async function handleForSender(deps: TemplateDeps, senderId: string): Promise<ProviderHandle> {
  const creds = await getSenderCredentials(deps.store.db, deps.box, senderId);
  return { creds, provider: providerOf(deps, creds), ref: senderRef(creds) };
}

/**
 * A sender that can speak for `wabaId`: `preferred` when it is still on that WABA, else the oldest enabled one.
 * `conflict` when Herald has no sender on that WABA any more (a template cannot be managed without credentials).
 */
export async function handleForWaba(
  deps: TemplateDeps,
  wabaId: string,
  preferred: string | null,
): Promise<ProviderHandle> {
  const senders = (await listSenders(deps.store.db)).filter((s) => s.wabaId === wabaId);
  const chosen =
    senders.find((s) => s.id === preferred && !s.disabled) ??
    senders.find((s) => !s.disabled) ??
    senders.find((s) => s.id === preferred);
  if (!chosen) {
    throw new HeraldError("conflict", `no sender number on WhatsApp Business Account ${wabaId}; add one to manage it`, {
      issues: [{ path: "wabaId", message: "no sender number on this account" }],
    });
  }
  return handleForSender(deps, chosen.id);
}

function providerOf(deps: TemplateDeps, creds: SenderCredentials): Provider {
  try {
    return deps.providers.forSender(creds.sender);
  } catch (err) {
    // e.g. a sandbox sender while the embedded sandbox is off.
    throw new HeraldError("unavailable", err instanceof Error ? err.message : String(err));
  }
}

/** True when `err` is Meta saying the template to delete does not exist (already gone: fine to ignore). */
export function isMissingTemplate(err: unknown): boolean {
  return isProviderError(err, 100) && err.subcode === MISSING_TEMPLATE_SUBCODE;
}

/**
 * Maps a failed provider call to the API's error: a duplicate name+language → `conflict` (409); rate limits →
 * `rate_limited` (429); transient trouble and unreachable providers → `unavailable` (503); everything else Meta
 * refused (bad definition, revoked token, missing permission) → `validation_failed` (400). `details.provider` keeps
 * Meta's code, subcode, message and meaning.
 */
export function providerFailure(err: unknown, doing: string): HeraldError {
  if (err instanceof HeraldError) return err;
  if (!isProviderError(err)) {
    return new HeraldError("unavailable", `${doing}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const provider = {
    code: err.code,
    subcode: err.subcode ?? null,
    message: err.message,
    meaning: err.meaning,
    action: err.action,
    details: err.details,
  };
  const message = `${doing}: the provider answered (#${err.code}) ${err.message}`;
  if (err.code === 100 && err.subcode === DUPLICATE_SUBCODE) {
    return new HeraldError("conflict", message, {
      provider,
      issues: [{ path: "name", message: "a template with this name and language already exists at WhatsApp" }],
    });
  }
  if (err.action === "backoff") {
    return new HeraldError("rate_limited", message, {
      provider,
      retryAfterSeconds: Math.ceil((err.retryAfterMs ?? 60_000) / 1000),
    });
  }
  if (err.retryable) return new HeraldError("unavailable", message, { provider });
  const path = err.action === "stop_sender" ? "sender" : "provider";
  return new HeraldError("validation_failed", message, { provider, issues: [{ path, message: err.meaning }] });
}
