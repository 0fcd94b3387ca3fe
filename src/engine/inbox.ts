/**
 * Team inbox actions the API calls: a conversation's full picture (header, thread, contact, window, response
 * times), the templates a closed window allows, and replying as an agent. A reply is a `messages` row with origin
 * `agent`, due now, sent by the dispatcher like every other message (rate limits, retries, statuses); the
 * dispatcher's result recording then ends the conversation's waiting period (store/conversations.ts).
 */
import { requiredPlaces } from "../domain/campaign/variables.js";
import { HeraldError } from "../domain/errors.js";
import { windowState } from "../domain/inbox/conversation.js";
import { type RenderValues, renderTemplate } from "../domain/template/render.js";
import { newId } from "../ids.js";
import { getMetricsState, toMetricsView } from "../store/contact-metrics.js";
import { toContact } from "../store/contacts.js";
import { conversationThread } from "../store/conversation-thread.js";
import { recordReplyAuthor } from "../store/conversations.js";
import { getConversationView } from "../store/conversations-list.js";
import type { Store } from "../store/db.js";
import { insertMessages } from "../store/messages.js";
import { conversationResponses } from "../store/team-metrics.js";
import { getTemplate, type StoredTemplate } from "../store/templates.js";
import type { EngineHandle } from "./engine.js";
import { templateMessage } from "./template-message.js";

export interface InboxDeps {
  store: Store;
  now: () => number;
  engine: EngineHandle;
}

/** What an agent sends: free text (inside the window) or an approved template (any time). */
export type ReplyInput =
  | { kind: "text"; text: string }
  | { kind: "template"; templateId: string; values?: Record<string, string> };

async function conversationRow(store: Store, id: string) {
  const row = await store.db
    .selectFrom("conversations as cv")
    .innerJoin("contacts as ct", "ct.seq", "cv.contact_seq")
    .innerJoin("senders as s", "s.id", "cv.sender_id")
    .select([
      "cv.id",
      "cv.contact_seq",
      "cv.sender_id",
      "cv.last_inbound_at",
      "ct.phone",
      "ct.consent_state",
      "s.waba_id",
      "s.disabled",
    ])
    .where("cv.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no conversation ${id}`);
  return row;
}

/** Everything the inbox's thread view shows about one conversation. */
export async function conversationDetail(deps: InboxDeps, id: string) {
  const now = deps.now();
  const db = deps.store.db;
  const conversation = await getConversationView(db, id, now);
  const row = await conversationRow(deps.store, id);
  const contactRow = await db
    .selectFrom("contacts")
    .selectAll()
    .where("seq", "=", row.contact_seq)
    .executeTakeFirstOrThrow();
  const metricsRow = await db
    .selectFrom("contact_metrics")
    .selectAll()
    .where("contact_seq", "=", row.contact_seq)
    .executeTakeFirst();
  const tags = await db
    .selectFrom("contact_tags")
    .select(["tag", "source"])
    .where("contact_seq", "=", row.contact_seq)
    .orderBy("tag")
    .execute();
  return {
    conversation,
    contact: toContact(contactRow),
    tags: tags.map((t) => ({ tag: t.tag, source: t.source })),
    metrics: metricsRow ? toMetricsView(metricsRow, await getMetricsState(db)) : null,
    messages: await conversationThread(db, {
      contactSeq: row.contact_seq,
      senderId: row.sender_id,
      wabaId: row.waba_id,
    }),
    responses: await conversationResponses(db, id),
  };
}

/** The approved templates of the conversation's WhatsApp Business Account, with the places an agent must fill. */
export async function replyTemplates(deps: InboxDeps, id: string) {
  const row = await conversationRow(deps.store, id);
  const rows = await deps.store.db
    .selectFrom("templates")
    .select("id")
    .where("waba_id", "=", row.waba_id)
    .where("status", "=", "APPROVED")
    .orderBy("name")
    .orderBy("language")
    .execute();
  const templates = await Promise.all(rows.map((r) => getTemplate(deps.store.db, r.id)));
  return templates.map((t) => ({
    id: t.id,
    name: t.name,
    language: t.language,
    category: t.category,
    body: t.template.body,
    places: requiredPlaces(t.template),
    examples: t.template.examples,
  }));
}

function renderValues(values: Record<string, string>): RenderValues {
  const body: Record<string, string> = {};
  const buttons: Record<string, string> = {};
  let header: RenderValues["header"];
  for (const [place, value] of Object.entries(values)) {
    if (place === "header") header = { kind: "text", text: value };
    else if (place.startsWith("button.")) buttons[place.slice(7)] = value;
    else body[place] = value;
  }
  return { body, buttons, ...(header ? { header } : {}) };
}

function checkTemplate(template: StoredTemplate, wabaId: string): void {
  if (template.status !== "APPROVED")
    throw new HeraldError("conflict", `the template is ${template.status}; only APPROVED templates can be sent`, {
      issues: [{ path: "templateId", message: "not approved" }],
    });
  if (template.wabaId !== wabaId)
    throw new HeraldError("conflict", "the template belongs to another WhatsApp Business Account than this number", {
      issues: [{ path: "templateId", message: "another WhatsApp Business Account" }],
    });
}

/**
 * Replies as an agent: free text only inside the 24-hour window opened by the contact's last message to this
 * number (Meta error 131047 otherwise), a template at any time. The reply is queued due now and the dispatcher
 * woken; the conversation is marked read and, when nobody had it, assigned to the agent who answered.
 */
export async function replyToConversation(
  deps: InboxDeps,
  id: string,
  input: ReplyInput,
  author: { userId: string | null },
): Promise<{ messageId: string }> {
  const now = deps.now();
  const row = await conversationRow(deps.store, id);
  if (row.disabled === 1) throw new HeraldError("conflict", "the sender number is disabled");
  const to = row.phone.replace(/^\+/, "");
  let payload: string;
  let category: string;
  if (input.kind === "text") {
    const window = windowState(row.last_inbound_at, now);
    if (!window.open)
      throw new HeraldError(
        "conflict",
        "the 24-hour customer-service window is closed: free text cannot be sent, choose an approved template",
        { window, issues: [{ path: "text", message: "window closed: send a template" }] },
      );
    payload = JSON.stringify({ kind: "text", to, body: input.text });
    category = "service";
  } else {
    const template = await getTemplate(deps.store.db, input.templateId).catch(() => {
      throw new HeraldError("validation_failed", "no such template", {
        issues: [{ path: "templateId", message: "no such template" }],
      });
    });
    checkTemplate(template, row.waba_id);
    if (template.category === "MARKETING" && row.consent_state === "opted_out")
      throw new HeraldError("conflict", "the contact opted out of marketing messages: choose a utility template", {
        issues: [{ path: "templateId", message: "marketing template to an opted-out contact" }],
      });
    const rendered = renderTemplate(template.template, renderValues(input.values ?? {}));
    if (!rendered.ok)
      throw new HeraldError("validation_failed", "the template cannot be filled with these values", {
        issues: rendered.issues.map((i) => ({ path: `values.${i.path}`, message: i.message })),
      });
    payload = JSON.stringify(templateMessage(to, template.name, template.language, rendered.components));
    category = template.category.toLowerCase();
  }
  const messageId = newId(now);
  await deps.store.db.transaction().execute(async (trx) => {
    await insertMessages(trx, [
      {
        id: messageId,
        campaign_id: null,
        contact_seq: row.contact_seq,
        sender_id: row.sender_id,
        to_phone: to,
        origin: "agent",
        category,
        payload,
        status: "queued",
        skip_reason: null,
        due_at: now,
        created_at: now,
      },
    ]);
    await recordReplyAuthor(trx, { messageId, conversationId: id, userId: author.userId }, now);
    await trx
      .updateTable("conversations")
      .set((eb) => ({
        unread: 0,
        assigned_to:
          author.userId === null ? eb.ref("assigned_to") : eb.fn.coalesce("assigned_to", eb.val(author.userId)),
        updated_at: now,
      }))
      .where("id", "=", id)
      .execute();
  });
  deps.engine.wakeDispatcher();
  return { messageId };
}
