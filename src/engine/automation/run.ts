/**
 * One inbound message through the auto-reply rules, inside the applier's transaction (so the reply row, the
 * tags, the consent change, the hand-over and the statistics commit together with the inbound message, or not at
 * all). The reply is written as a `messages` row (origin `auto_reply`) already leased to the dispatcher, and
 * returned so the caller can hand it to the dispatcher once the transaction has committed.
 */
import type { Transaction } from "kysely";
import { evaluateRules, type Plan, replyAllowed } from "../../domain/automation/index.js";
import { isWindowOpen } from "../../domain/consent/window.js";
import {
  type AutomationContactFacts,
  automationContactFacts,
  automationContactFactsBatch,
  claimRun,
  contactSegments,
  countRuleMatch,
  countRuleMatches,
  finishRun,
  insertLeasedReplies,
  insertLeasedReply,
  insertRuns,
  type LeasedReplyInput,
  leasedReplyRow,
  type NewRun,
  openHandover,
} from "../../store/automation-runs.js";
import { changeConsent } from "../../store/contacts.js";
import { addManualTags } from "../../store/contacts-upsert.js";
import type { MessageRow } from "../../store/messages.js";
import type { Database } from "../../store/schema.js";
import type { AutomationInbound } from "./inbound.js";
import { buildReply } from "./reply-message.js";
import type { ActiveRules } from "./rules-cache.js";

export interface RunDeps {
  /** The dispatcher's lease owner and how long a lease lasts. */
  leaseOwner: string;
  leaseMs: number;
  /** The sender number an inbound message's phone number id belongs to (null: none, or disabled). */
  senderFor(trx: Transaction<Database>, phoneNumberId: string | undefined): Promise<string | null>;
}

/** Evaluates and performs the rules for one inbound message; returns the reply row written, if any. */
export async function runAutomation(
  trx: Transaction<Database>,
  active: ActiveRules,
  deps: RunDeps,
  item: AutomationInbound,
  now: number,
): Promise<MessageRow | null> {
  if (!active.rules.some((r) => r.enabled)) return null;
  const facts = await automationContactFacts(trx, {
    contactSeq: item.contactSeq,
    inboundMessageId: item.inboundMessageId,
    now,
  });
  const plan = await planFor(trx, active, item, facts, now);
  if (plan === null) return null;
  const senderId = await deps.senderFor(trx, item.phoneNumberId);
  const runId = await claimRun(
    trx,
    { inboundMessageId: item.inboundMessageId, ruleId: plan.ruleId, contactSeq: item.contactSeq, senderId },
    now,
  );
  if (runId === null) return null; // this inbound message was answered already
  await performSideEffects(trx, plan, item, senderId, now);
  const { reply: input, detail } = await replyOf(trx, deps, plan, item, senderId, now);
  const reply = input === null ? null : await insertLeasedReply(trx, input, now);
  await finishRun(trx, runId, { outcome: outcomeOf(reply, detail), detail, messageId: reply?.id ?? null });
  await countRuleMatch(trx, plan.ruleId, reply !== null, now);
  return reply;
}

/**
 * `runAutomation` for the inbound messages of one applier round (at most one per contact, in arrival order), with
 * the same outcome as one at a time: the contacts' facts are read in four queries for all, the rules run in JS,
 * side effects (tags, consent, hand-over) happen per message in order, and the replies, runs and rule counters
 * are written at the end in one statement each. Messages of different contacts do not see each other's writes
 * (facts, runs and replies are per contact), which is what makes the one read and the one write per round exact.
 */
export async function runAutomationBatch(
  trx: Transaction<Database>,
  active: ActiveRules,
  deps: RunDeps,
  items: readonly AutomationInbound[],
  now: number,
): Promise<MessageRow[]> {
  if (items.length === 0 || !active.rules.some((r) => r.enabled)) return [];
  const contacts = new Set(items.map((i) => i.contactSeq));
  if (contacts.size !== items.length) throw new Error("runAutomationBatch: one message per contact at a time");
  const allFacts = await automationContactFactsBatch(
    trx,
    items.filter((i) => i.newContact !== true),
    now,
  );
  for (const item of items)
    if (item.newContact === true)
      allFacts.set(item.contactSeq, { tags: [], consent: "unknown", firstMessage: true, recentReplies: [] });
  const replies: MessageRow[] = [];
  const runs: NewRun[] = [];
  const counts = new Map<string, { matches: number; replies: number }>();
  for (const item of items) {
    const facts = allFacts.get(item.contactSeq) as AutomationContactFacts;
    const plan = await planFor(trx, active, item, facts, now);
    if (plan === null) continue;
    const senderId = await deps.senderFor(trx, item.phoneNumberId);
    await performSideEffects(trx, plan, item, senderId, now);
    const { reply: input, detail } = await replyOf(trx, deps, plan, item, senderId, now);
    const reply = input === null ? null : leasedReplyRow(input, now);
    if (reply !== null) replies.push(reply);
    runs.push({
      inboundMessageId: item.inboundMessageId,
      ruleId: plan.ruleId,
      contactSeq: item.contactSeq,
      senderId,
      outcome: outcomeOf(reply, detail),
      detail,
      messageId: reply?.id ?? null,
    });
    const count = counts.get(plan.ruleId) ?? { matches: 0, replies: 0 };
    count.matches += 1;
    if (reply !== null) count.replies += 1;
    counts.set(plan.ruleId, count);
  }
  await insertLeasedReplies(trx, replies);
  const existing = await insertRuns(trx, runs, now);
  // A run exists only if an inbound message was handed twice: fail, so the caller's savepoint undoes the side
  // effects and its one-at-a-time path (claim first, then act) handles the message.
  if (existing.size > 0) throw new Error(`runAutomationBatch: runs already exist for ${[...existing].join(", ")}`);
  await countRuleMatches(trx, counts, now);
  return replies;
}

/** The reply a plan asks for, as the row to write, or why there is none (detail; both null: no reply asked). */
async function replyOf(
  trx: Transaction<Database>,
  deps: RunDeps,
  plan: Plan,
  item: AutomationInbound,
  senderId: string | null,
  now: number,
): Promise<{ reply: LeasedReplyInput | null; detail: string | null }> {
  if (plan.reply === null) return { reply: null, detail: plan.replySuppressed };
  if (senderId === null) return { reply: null, detail: "no_sender: no enabled sender number has this phone number id" };
  const built = await buildReply(trx, plan.reply, item.waId);
  if (!built.ok) return { reply: null, detail: built.reason };
  return {
    reply: {
      senderId,
      contactSeq: item.contactSeq,
      toPhone: item.waId,
      category: built.category,
      payload: JSON.stringify(built.message),
      leaseOwner: deps.leaseOwner,
      leaseUntil: now + deps.leaseMs,
    },
    detail: plan.replySuppressed,
  };
}

function outcomeOf(reply: MessageRow | null, detail: string | null): "replied" | "suppressed" | "no_reply" {
  return reply !== null ? "replied" : detail !== null ? "suppressed" : "no_reply";
}

/** The plan of the rules for one inbound message given its contact's facts (null: no rule fired). */
async function planFor(
  trx: Transaction<Database>,
  active: ActiveRules,
  item: AutomationInbound,
  facts: AutomationContactFacts,
  now: number,
): Promise<Plan | null> {
  const segments =
    active.segmentIds.length > 0
      ? await contactSegments(trx, item.contactSeq, active.segmentIds, now)
      : new Set<string>();
  return evaluateRules({
    rules: active.rules,
    inbound: { text: item.text, payload: item.payload, firstMessage: facts.firstMessage, receivedAt: item.receivedAt },
    contact: { tags: new Set(facts.tags), segments, consent: facts.consent },
    windowOpen: isWindowOpen(item.receivedAt, now),
    guard: replyAllowed(active.policy, { text: item.text, recentReplies: facts.recentReplies, now }),
    now,
    regexes: active.regexes,
  }).plan;
}

/** Tags, consent and hand-over: they happen whatever the guards say about the reply. */
async function performSideEffects(
  trx: Transaction<Database>,
  plan: Plan,
  item: AutomationInbound,
  senderId: string | null,
  now: number,
): Promise<void> {
  if (plan.addTags.length > 0) {
    // A tag that a tag rule owns is the rule's to apply: leave it alone.
    const owned = new Set(
      (await trx.selectFrom("tag_rules").select("tag").where("tag", "in", plan.addTags).execute()).map((r) => r.tag),
    );
    const pairs = plan.addTags.filter((tag) => !owned.has(tag)).map((tag) => ({ seq: item.contactSeq, tag }));
    await addManualTags(trx, pairs, now, null, `auto-reply rule "${plan.ruleName}"`);
  }
  if (plan.removeTags.length > 0)
    await trx
      .deleteFrom("contact_tags")
      .where("contact_seq", "=", item.contactSeq)
      .where("tag", "in", plan.removeTags)
      .where("source", "=", "manual")
      .execute();
  if (plan.consent !== null) {
    // The inbound handler already applied the default consent words and buttons; this covers a rule's own words.
    // The same event twice is "unchanged" (domain/consent/state.ts), so nothing moves twice.
    const how = item.payload !== null ? "button" : "keyword";
    await changeConsent(
      trx,
      item.contactId,
      plan.consent === "opt_out"
        ? { kind: "opt_out", reason: how, at: item.receivedAt, note: `rule "${plan.ruleName}"` }
        : { kind: "opt_in", source: how, at: item.receivedAt },
      now,
    );
  }
  if (plan.handover !== null)
    await openHandover(
      trx,
      {
        contactSeq: item.contactSeq,
        senderId,
        inboundMessageId: item.inboundMessageId,
        ruleId: plan.ruleId,
        note: plan.handover.note,
      },
      now,
    );
}
