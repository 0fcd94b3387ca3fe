/**
 * Single messages from the API (`POST /api/v1/messages`): a CRM's order confirmation or shipping
 * update to one contact. The message passes the same gates as a campaign's recipients (consent,
 * frequency cap for MARKETING, a valid number, an APPROVED template) plus the 24-hour window for
 * free text, and is then one `messages` row (origin `api`, due now) that the dispatcher sends like any
 * other: under the number's rate limit and the claim lease, so crash safety and multi-worker limits
 * hold. Nothing here calls the provider.
 */
import { createHash } from "node:crypto";
import type { FrequencyCapPolicy } from "../domain/consent/frequency-cap.js";
import { DEFAULT_FREQUENCY_CAP } from "../domain/consent/frequency-cap.js";
import type { ConsentCategory } from "../domain/consent/state.js";
import { HeraldError } from "../domain/errors.js";
import { type SendRefusal, singleMessageGate } from "../domain/message/send-gate.js";
import { normalizePhone } from "../domain/phone/index.js";
import { type HeaderValue, type RenderIssue, renderTemplate } from "../domain/template/render.js";
import { newId } from "../ids.js";
import { type ContactRow, consentOf } from "../store/contacts.js";
import type { Store } from "../store/db.js";
import { isUniqueViolation } from "../store/dialect.js";
import {
  findMessageRequest,
  getMessageStatus,
  insertMessageRequest,
  type MessageStatusView,
} from "../store/message-requests.js";
import { insertMessages } from "../store/messages.js";
import { lastMarketingTimes } from "../store/messages-gates.js";
import { getSender } from "../store/senders.js";
import { findTemplateByKey } from "../store/templates.js";
import type { EngineHandle } from "./engine.js";
import { templateMessage } from "./template-message.js";

export interface MessageDeps {
  store: Store;
  now: () => number;
  engine: EngineHandle;
  cap?: FrequencyCapPolicy;
}

/** What a client asks to send (already shape-checked by the API schema). */
export interface SendMessageInput {
  senderId: string;
  /** A phone number (E.164 preferred) or a contact id: exactly one. */
  to?: string | undefined;
  contactId?: string | undefined;
  template?:
    | {
        name: string;
        language: string;
        variables?: Record<string, string> | undefined;
        header?:
          | { type: "text"; text: string }
          | { type: "media"; link?: string | undefined; id?: string | undefined; filename?: string | undefined }
          | undefined;
        buttons?: Record<string, string> | undefined;
      }
    | undefined;
  text?: { body: string; previewUrl?: boolean | undefined } | undefined;
  idempotencyKey?: string | undefined;
}

const invalid = (path: string, message: string) =>
  new HeraldError("validation_failed", `invalid message: ${path}: ${message}`, { issues: [{ path, message }] });

const refused = (refusal: SendRefusal) =>
  new HeraldError("unprocessable", refusal.message, { reason: refusal.reason, retryAt: refusal.retryAt });

/** JSON with object keys sorted, so the same request always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The result of a send request: the message, and whether it was made earlier by the same idempotency key. */
export interface SendMessageResult {
  message: MessageStatusView;
  replayed: boolean;
}

async function replay(store: Store, key: string, hash: string): Promise<SendMessageResult | null> {
  const earlier = await findMessageRequest(store.db, key);
  if (!earlier) return null;
  if (earlier.requestHash !== hash)
    throw new HeraldError(
      "conflict",
      "this idempotency key was already used for a different message; use a new key for a new message",
      { idempotencyKey: key, messageId: earlier.messageId },
    );
  return { message: await getMessageStatus(store.db, earlier.messageId), replayed: true };
}

/** The contact (with its last inbound time) and the recipient's digits. */
async function recipient(
  store: Store,
  input: SendMessageInput,
): Promise<{ contact: (ContactRow & { last_inbound_at: number | null }) | null; digits: string }> {
  const base = store.db
    .selectFrom("contacts as c")
    .leftJoin("contact_metrics as m", "m.contact_seq", "c.seq")
    .selectAll("c")
    .select("m.last_inbound_at");
  if (input.contactId !== undefined) {
    const contact = await base.where("c.id", "=", input.contactId).executeTakeFirst();
    if (!contact) throw new HeraldError("not_found", `no contact with id ${input.contactId}`);
    const phone = normalizePhone(contact.phone);
    if (!phone.ok)
      throw new HeraldError("unprocessable", `the contact's stored phone cannot receive messages: ${phone.message}`, {
        reason: "invalid_number",
      });
    return { contact, digits: phone.digits };
  }
  const phone = normalizePhone(input.to ?? "");
  if (!phone.ok) throw invalid("to", phone.message);
  const contact = (await base.where("c.phone", "=", phone.e164).executeTakeFirst()) ?? null;
  return { contact, digits: phone.digits };
}

function renderIssues(issues: RenderIssue[]): HeraldError {
  const mapped = issues.map((i) => {
    const path = i.path.startsWith("body.")
      ? `template.variables.${i.path.slice(5)}`
      : i.path === "body"
        ? "template.variables"
        : `template.${i.path}`;
    return { path, message: `${i.message} (Meta would answer ${i.metaCode})` };
  });
  return new HeraldError(
    "validation_failed",
    `the template cannot be filled with these values: ${mapped.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    { issues: mapped },
  );
}

/**
 * Checks and queues one message; returns it (status `queued`). With an idempotency key, a repeat of
 * the same request returns the message the first one made; the same key with other content is a conflict.
 */
export async function sendMessage(deps: MessageDeps, input: SendMessageInput): Promise<SendMessageResult> {
  const { store } = deps;
  if ((input.to === undefined) === (input.contactId === undefined))
    throw invalid(input.to === undefined ? "to" : "contactId", "give either `to` (a phone number) or `contactId`");
  if ((input.template === undefined) === (input.text === undefined))
    throw invalid(input.template === undefined ? "template" : "text", "give either `template` or `text`");
  const key = input.idempotencyKey;
  const hash = createHash("sha256")
    .update(canonical({ ...input, idempotencyKey: undefined }))
    .digest("hex");
  if (key !== undefined) {
    const earlier = await replay(store, key, hash);
    if (earlier) return earlier;
  }

  const sender = await getSender(store.db, input.senderId);
  if (sender.disabled)
    throw new HeraldError("unprocessable", "the sender number is disabled", { reason: "sender_disabled" });
  const { contact, digits } = await recipient(store, input);
  const now = deps.now();

  let category: ConsentCategory = "SERVICE";
  let payload: string;
  if (input.template) {
    const t = input.template;
    const template = await findTemplateByKey(store.db, sender.wabaId, t.name, t.language);
    if (!template)
      throw new HeraldError(
        "not_found",
        `no template "${t.name}" in language ${t.language} on the sender's WhatsApp Business Account`,
        { issues: [{ path: "template.name", message: "no such template for this sender" }] },
      );
    if (template.status !== "APPROVED")
      throw new HeraldError(
        "unprocessable",
        `the template is ${template.status}; only APPROVED templates can be sent`,
        { reason: "template_not_approved", status: template.status },
      );
    category = template.category;
    const header: HeaderValue | undefined =
      t.header === undefined
        ? undefined
        : t.header.type === "text"
          ? { kind: "text", text: t.header.text }
          : {
              kind: "media",
              media: t.header.id !== undefined ? { id: t.header.id } : { link: t.header.link ?? "" },
              ...(t.header.filename !== undefined ? { filename: t.header.filename } : {}),
            };
    const rendered = renderTemplate(template.template, {
      body: t.variables ?? {},
      buttons: t.buttons ?? {},
      ...(header ? { header } : {}),
    });
    if (!rendered.ok) throw renderIssues(rendered.issues);
    payload = JSON.stringify(templateMessage(digits, template.name, template.language, rendered.components));
  } else {
    const text = input.text as NonNullable<SendMessageInput["text"]>;
    payload = JSON.stringify({
      kind: "text",
      to: digits,
      body: text.body,
      ...(text.previewUrl ? { previewUrl: true } : {}),
    });
  }

  const cap = deps.cap ?? DEFAULT_FREQUENCY_CAP;
  const recent =
    contact && category === "MARKETING"
      ? ((await lastMarketingTimes(store.db, [contact.seq], now - cap.windowMs)).get(contact.seq) ?? [])
      : [];
  const refusal = singleMessageGate({
    kind: input.text ? "text" : "template",
    category,
    consent: contact ? consentOf(contact) : { kind: "unknown" },
    lastInboundAt: contact?.last_inbound_at ?? null,
    marketingSentAt: recent,
    cap,
    now,
  });
  if (refusal) throw refused(refusal);

  const id = newId(now);
  try {
    await store.db.transaction().execute(async (trx) => {
      await insertMessages(trx, [
        {
          id,
          campaign_id: null,
          contact_seq: contact?.seq ?? null,
          sender_id: sender.id,
          to_phone: digits,
          origin: "api",
          category: category.toLowerCase(),
          payload,
          status: "queued",
          skip_reason: null,
          due_at: now,
          created_at: now,
        },
      ]);
      if (key !== undefined) await insertMessageRequest(trx, { key, messageId: id, requestHash: hash }, now);
    });
  } catch (err) {
    // Two requests with the same key at once: the second insert loses and returns the first's message.
    if (key !== undefined && isUniqueViolation(err)) {
      const earlier = await replay(store, key, hash);
      if (earlier) return earlier;
    }
    throw err;
  }
  deps.engine.wakeDispatcher();
  return { message: await getMessageStatus(store.db, id), replayed: false };
}
