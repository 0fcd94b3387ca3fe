/**
 * Tag rules: CRUD. A rule owns its tag (no manual holders, no second rule) and is applied to the whole base at once
 * when created or changed, then by every metrics refresh and order change (tags-apply.ts).
 */
import type { Kysely, Selectable } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { newId } from "../ids.js";
import { badTag, TAG_PATTERN } from "./contacts-input.js";
import type { Database } from "./schema.js";
import { parseDefinition, segmentContext } from "./segments.js";
import type { TagRulesTable } from "./tables/customers.js";
import { applyTagRule, type TagRuleSpec, type TopSpenderState } from "./tags-apply.js";

export interface TagRule {
  id: string;
  tag: string;
  rule: TagRuleSpec;
  enabled: boolean;
  contacts: number;
  lastAppliedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

function toTagRule(row: Selectable<TagRulesTable>): TagRule {
  return {
    id: row.id,
    tag: row.tag,
    rule: JSON.parse(row.rule) as TagRuleSpec,
    enabled: row.enabled === 1,
    contacts: row.contacts,
    lastAppliedAt: row.last_applied_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A rule as a caller sends it: segment rules are untrusted JSON until checked. */
export type TagRuleInput =
  | Exclude<TagRuleSpec, { kind: "segment" }>
  | { kind: "segment"; rules: unknown; description: string };

function invalid(path: string, message: string): HeraldError {
  return new HeraldError("validation_failed", `${path}: ${message}`, { issues: [{ path, message }] });
}

/** Checks a rule's parameters (segment rules against the whitelist); returns the spec to store. */
async function checkSpec(db: Kysely<Database>, spec: TagRuleInput): Promise<TagRuleSpec> {
  switch (spec.kind) {
    case "high_frequency":
      if (!Number.isInteger(spec.periods) || spec.periods < 1 || spec.periods > 12)
        throw invalid("rule.periods", "must be a whole number from 1 to 12");
      if (!Number.isInteger(spec.periodDays) || spec.periodDays < 1 || spec.periodDays > 365)
        throw invalid("rule.periodDays", "must be a whole number of days from 1 to 365");
      return { kind: spec.kind, periods: spec.periods, periodDays: spec.periodDays };
    case "top_spenders":
      if (!(spec.share > 0 && spec.share <= 1))
        throw invalid("rule.share", "must be a fraction above 0 and at most 1 (0.1 = top 10%)");
      return { kind: spec.kind, share: spec.share };
    case "segment": {
      const definition = parseDefinition(
        { rules: spec.rules, excludeInactive: false, excludeOptedOut: false },
        await segmentContext(db),
        "rule.",
      );
      return { kind: spec.kind, rules: definition.rules, description: spec.description.trim() };
    }
    default: {
      const unexpected: never = spec;
      throw invalid("rule.kind", `unknown rule kind ${JSON.stringify(unexpected)}`);
    }
  }
}

/** Every rule, by tag. */
export async function listTagRules(db: Kysely<Database>): Promise<TagRule[]> {
  return (await db.selectFrom("tag_rules").selectAll().orderBy("tag").execute()).map(toTagRule);
}

/** One rule; `not_found` when absent. */
export async function getTagRule(db: Kysely<Database>, id: string): Promise<TagRule> {
  const row = await db.selectFrom("tag_rules").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no tag rule with id ${id}`);
  return toTagRule(row);
}

/** Creates a rule and applies it; `conflict` when another rule owns the tag or contacts hold it by hand. */
export async function createTagRule(
  db: Kysely<Database>,
  input: { tag: string; rule: TagRuleInput; enabled?: boolean | undefined },
  now: number,
): Promise<TagRule> {
  const tag = input.tag.trim();
  if (!TAG_PATTERN.test(tag)) throw invalid("tag", badTag(tag));
  const rule = await checkSpec(db, input.rule);
  const owner = await db.selectFrom("tag_rules").select("id").where("tag", "=", tag).executeTakeFirst();
  if (owner)
    throw new HeraldError("conflict", `tag "${tag}" already has a rule`, {
      issues: [{ path: "tag", message: "already has a rule" }],
    });
  const manual = await db
    .selectFrom("contact_tags")
    .select("contact_seq")
    .where("tag", "=", tag)
    .limit(1)
    .executeTakeFirst();
  if (manual)
    throw new HeraldError("conflict", `contacts hold "${tag}" by hand; remove it from them or choose another tag`, {
      issues: [{ path: "tag", message: "held by hand by some contacts" }],
    });
  await db
    .insertInto("tags")
    .values({ name: tag, created_at: now })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row: Selectable<TagRulesTable> = {
    id: newId(now),
    tag,
    rule: JSON.stringify(rule),
    enabled: input.enabled === false ? 0 : 1,
    state: null,
    contacts: 0,
    last_applied_at: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto("tag_rules").values(row).execute();
  if (row.enabled === 1) await applyTagRule(db, { id: row.id, tag, rule, enabled: true, state: null }, now);
  return getTagRule(db, row.id);
}

/** Changes a rule's condition or enabled flag and re-applies it (disabling removes its tags). */
export async function updateTagRule(
  db: Kysely<Database>,
  id: string,
  patch: { rule?: TagRuleInput | undefined; enabled?: boolean | undefined },
  now: number,
): Promise<TagRule> {
  const current = await getTagRule(db, id);
  const rule = patch.rule === undefined ? current.rule : await checkSpec(db, patch.rule);
  const enabled = patch.enabled ?? current.enabled;
  await db
    .updateTable("tag_rules")
    .set({ rule: JSON.stringify(rule), enabled: enabled ? 1 : 0, updated_at: now })
    .where("id", "=", id)
    .execute();
  if (enabled) {
    const row = await db.selectFrom("tag_rules").select("state").where("id", "=", id).executeTakeFirstOrThrow();
    const state = row.state === null ? null : (JSON.parse(row.state) as TopSpenderState);
    await applyTagRule(db, { id, tag: current.tag, rule, enabled, state }, now);
  } else {
    await db.deleteFrom("contact_tags").where("rule_id", "=", id).execute();
    await db.updateTable("tag_rules").set({ contacts: 0 }).where("id", "=", id).execute();
  }
  return getTagRule(db, id);
}

/** Deletes a rule and the tags it applied; `not_found` when absent. */
export async function deleteTagRule(db: Kysely<Database>, id: string): Promise<void> {
  await getTagRule(db, id);
  await db.deleteFrom("contact_tags").where("rule_id", "=", id).execute();
  await db.deleteFrom("tag_rules").where("id", "=", id).execute();
}
