export { type ContactFacts, failingCondition } from "./conditions.js";
export {
  type Evaluation,
  type EvaluationInput,
  evaluateRules,
  type Plan,
  type PlannedReply,
  planActions,
  type RuleOutcome,
  type RuleVerdict,
} from "./evaluate.js";
export { type GuardVerdict, looksAutomated, replyAllowed } from "./guards.js";
export * from "./model.js";
export {
  actionSchema,
  actionsSchema,
  conditionSchema,
  guardPolicySchema,
  type RuleInput,
  ruleInputSchema,
  sendsMessage,
  triggerSchema,
} from "./schema.js";
export { containsPhrase, matchText, withoutFiller } from "./text.js";
export { compileRuleRegex, type InboundFacts, isOpen, triggerFires } from "./triggers.js";
