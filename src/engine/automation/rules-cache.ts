/**
 * The active rules and guard settings, cached in memory. Every rule or settings change bumps a version in the
 * database (store/automation-rules.ts); the cache reads that one number once per applier transaction and reloads
 * only when it moved, so a change made through any process applies to the next batch, and a batch of 500 inbound
 * messages costs one small query instead of 500 rule loads.
 */
import type { Kysely, Transaction } from "kysely";
import { DEFAULT_GUARD_POLICY, type GuardPolicy, type Rule } from "../../domain/automation/index.js";
import { getAutomationSettings, loadRules } from "../../store/automation-rules.js";
import type { Database } from "../../store/schema.js";

export interface ActiveRules {
  version: number;
  /** Every rule in evaluation order (disabled ones too: the tester explains them). */
  rules: Rule[];
  policy: GuardPolicy;
  /** Segments named by enabled rules' conditions (only these memberships are looked up). */
  segmentIds: string[];
  /** Compiled regex patterns by source. */
  regexes: Map<string, RegExp>;
}

/** A version-checked cache of the rules. */
export class RulesCache {
  #current: ActiveRules = {
    version: -1,
    rules: [],
    policy: DEFAULT_GUARD_POLICY,
    segmentIds: [],
    regexes: new Map(),
  };

  /** The rules as of now: one version query, and a reload when the version moved. */
  async current(db: Kysely<Database> | Transaction<Database>): Promise<ActiveRules> {
    const settings = await getAutomationSettings(db);
    if (settings.version === this.#current.version) return this.#current;
    const { rules } = await loadRules(db);
    const segmentIds = new Set<string>();
    for (const rule of rules)
      if (rule.enabled) for (const c of rule.conditions) if (c.kind === "segment") segmentIds.add(c.segmentId);
    const { version, ...policy } = settings;
    this.#current = { version, rules, policy, segmentIds: [...segmentIds], regexes: new Map() };
    return this.#current;
  }

  /** Forget the cache (the next call reloads). */
  invalidate(): void {
    this.#current = { ...this.#current, version: -1 };
  }
}
