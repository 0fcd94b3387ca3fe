/**
 * The rule tester behind POST /api/v1/automation/test: a message text or button payload (and optionally a real
 * contact) → which rule fires, why each other rule did not, and the exact message it would send. Reads only.
 */
import {
  type Evaluation,
  evaluateRules,
  type GuardVerdict,
  type Plan,
  replyAllowed,
} from "../../domain/automation/index.js";
import { HeraldError } from "../../domain/errors.js";
import { automationContactFacts, contactSegments } from "../../store/automation-runs.js";
import type { Store } from "../../store/db.js";
import type { OutboundMessage } from "../../whatsapp/provider.js";
import { buildReply } from "./reply-message.js";
import { RulesCache } from "./rules-cache.js";

export interface TestInput {
  text?: string | undefined;
  payload?: string | undefined;
  contactId?: string | undefined;
  /** Pretend the 24-hour window is closed (to see a rule's template fallback). */
  windowClosed?: boolean | undefined;
  /** Pretend this is the contact's first message (default: true without a contact, else from its history). */
  firstMessage?: boolean | undefined;
}

export interface TestResult extends Evaluation {
  guard: GuardVerdict;
  /** The message the fired rule would send, as the provider would receive it. */
  wouldSend: OutboundMessage | null;
  /** Why the fired rule's reply would not go out. */
  replyProblem: string | null;
  plan: Plan | null;
}

/** Runs the tester. `not_found` for an unknown contact. */
export async function testRules(store: Store, input: TestInput, now: number): Promise<TestResult> {
  const active = await new RulesCache().current(store.db);
  let tags = new Set<string>();
  let segments = new Set<string>();
  let consent: "unknown" | "opted_in" | "opted_out" = "unknown";
  let firstMessage = input.firstMessage ?? true;
  let guard: GuardVerdict = { allowed: true };
  let to = "821000000000";
  if (input.contactId !== undefined) {
    const contact = await store.db
      .selectFrom("contacts")
      .select(["seq", "phone"])
      .where("id", "=", input.contactId)
      .executeTakeFirst();
    if (!contact) throw new HeraldError("not_found", `no contact with id ${input.contactId}`);
    to = contact.phone.replace(/^\+/, "");
    const facts = await automationContactFacts(store.db, { contactSeq: contact.seq, inboundMessageId: "", now });
    tags = new Set(facts.tags);
    consent = facts.consent;
    firstMessage = input.firstMessage ?? facts.firstMessage;
    segments = await contactSegments(store.db, contact.seq, active.segmentIds, now);
    guard = replyAllowed(active.policy, { text: input.text ?? null, recentReplies: facts.recentReplies, now });
  } else {
    guard = replyAllowed(active.policy, { text: input.text ?? null, recentReplies: [], now });
  }
  const evaluation = evaluateRules({
    rules: active.rules,
    inbound: { text: input.text ?? null, payload: input.payload ?? null, firstMessage, receivedAt: now },
    contact: { tags, segments, consent },
    windowOpen: input.windowClosed !== true,
    guard,
    now,
    regexes: active.regexes,
  });
  let wouldSend: OutboundMessage | null = null;
  let replyProblem = evaluation.plan?.replySuppressed ?? null;
  if (evaluation.plan?.reply) {
    const built = await buildReply(store.db, evaluation.plan.reply, to);
    if (built.ok) wouldSend = built.message;
    else replyProblem = built.reason;
  }
  return { ...evaluation, guard, wouldSend, replyProblem };
}
