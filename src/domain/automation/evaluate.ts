/**
 * Which rule answers an inbound message, and what it does. Rules are tried in priority order; the first enabled
 * rule whose trigger fires and whose conditions all hold wins, and the rest are reported as not reached, so the
 * tester can say why each other rule did not fire. The plan honours the 24-hour window (free-form content inside
 * it, the rule's template outside it, nothing when there is none) and the guards.
 */
import { type ContactFacts, failingCondition } from "./conditions.js";
import type { GuardVerdict } from "./guards.js";
import type { Action, ReplyContent, Rule, TemplateFallback } from "./model.js";
import { type InboundFacts, triggerFires } from "./triggers.js";

export type RuleOutcome = "fired" | "disabled" | "no_match" | "condition_failed" | "not_reached";

export interface RuleVerdict {
  ruleId: string;
  name: string;
  outcome: RuleOutcome;
  detail: string;
}

export type PlannedReply = { kind: "free"; content: ReplyContent } | { kind: "template"; template: TemplateFallback };

/** What the fired rule does for this message. */
export interface Plan {
  ruleId: string;
  ruleName: string;
  reply: PlannedReply | null;
  /** Why a reply the rule has was not planned (window closed without a template, or a guard). */
  replySuppressed: string | null;
  addTags: string[];
  removeTags: string[];
  consent: "opt_out" | "opt_in" | null;
  handover: { note: string | null } | null;
}

export interface Evaluation {
  verdicts: RuleVerdict[];
  plan: Plan | null;
}

export interface EvaluationInput {
  rules: readonly Rule[];
  inbound: InboundFacts;
  contact: ContactFacts;
  /** Whether free-form messages may be sent (domain/consent/window.ts). */
  windowOpen: boolean;
  /** The loop and flood guards' verdict for this contact now (guards.ts). */
  guard: GuardVerdict;
  now: number;
  regexes?: Map<string, RegExp>;
}

/** Evaluates the rules (in the order given: callers sort by position) against one inbound message. */
export function evaluateRules(input: EvaluationInput): Evaluation {
  const verdicts: RuleVerdict[] = [];
  let plan: Plan | null = null;
  for (const rule of input.rules) {
    const base = { ruleId: rule.id, name: rule.name };
    if (plan !== null) {
      verdicts.push({ ...base, outcome: "not_reached", detail: `rule "${plan.ruleName}" fired first` });
      continue;
    }
    if (!rule.enabled) {
      verdicts.push({ ...base, outcome: "disabled", detail: "the rule is switched off" });
      continue;
    }
    const trigger = triggerFires(rule.trigger, input.inbound, input.regexes);
    if (!trigger.fired) {
      verdicts.push({ ...base, outcome: "no_match", detail: trigger.detail });
      continue;
    }
    const failing = failingCondition(rule.conditions, input.contact, input.now);
    if (failing !== null) {
      verdicts.push({ ...base, outcome: "condition_failed", detail: failing });
      continue;
    }
    verdicts.push({ ...base, outcome: "fired", detail: trigger.detail });
    plan = planActions(rule, input.windowOpen, input.guard);
  }
  return { verdicts, plan };
}

/** The plan of a fired rule's actions. */
export function planActions(rule: Rule, windowOpen: boolean, guard: GuardVerdict): Plan {
  const plan: Plan = {
    ruleId: rule.id,
    ruleName: rule.name,
    reply: null,
    replySuppressed: null,
    addTags: [],
    removeTags: [],
    consent: null,
    handover: null,
  };
  let wanted: { reply: PlannedReply | null; why: string | null } | null = null;
  for (const action of rule.actions) {
    const reply = applyAction(plan, action, windowOpen);
    if (reply !== undefined && wanted === null) wanted = reply;
  }
  if (wanted === null) return plan;
  if (wanted.reply === null) {
    plan.replySuppressed = wanted.why;
    return plan;
  }
  if (!guard.allowed) {
    plan.replySuppressed = `${guard.reason}: ${guard.detail}`;
    return plan;
  }
  plan.reply = wanted.reply;
  return plan;
}

/** Records a non-reply action on the plan; returns the reply an action wants (undefined when it sends nothing). */
function applyAction(
  plan: Plan,
  action: Action,
  windowOpen: boolean,
): { reply: PlannedReply | null; why: string | null } | undefined {
  switch (action.kind) {
    case "reply":
      if (windowOpen) return { reply: { kind: "free", content: action.content }, why: null };
      if (action.template) return { reply: { kind: "template", template: action.template }, why: null };
      return { reply: null, why: "window_closed: the 24-hour window is closed and the rule has no template" };
    case "add_tag":
      plan.addTags.push(action.tag);
      return undefined;
    case "remove_tag":
      plan.removeTags.push(action.tag);
      return undefined;
    case "opt_out":
    case "opt_in":
      plan.consent = action.kind;
      if (action.confirmation === null) return undefined;
      if (!windowOpen) return { reply: null, why: "window_closed: a confirmation is free text" };
      return { reply: { kind: "free", content: { kind: "text", body: action.confirmation } }, why: null };
    case "handover":
      plan.handover = { note: action.note };
      return undefined;
    default: {
      const never: never = action;
      return never;
    }
  }
}
