/**
 * Tags: the list of tags in use, manual tagging, and a contact's tags with why each holds. A rule's tag is
 * explained by re-running the domain evaluator on the contact's current facts, so the sentence always matches
 * the rule (domain/metrics/tag-rules.ts).
 */
import { type Kysely, sql } from "kysely";
import { HeraldError } from "../domain/errors.js";
import type { OrderRecord } from "../domain/metrics/orders.js";
import { evaluateHighFrequency, evaluateTopSpender } from "../domain/metrics/tag-rules.js";
import { badTag, ruleOwned, TAG_PATTERN } from "./contacts-input.js";
import { addManualTags } from "./contacts-upsert.js";
import type { Database } from "./schema.js";
import type { TagSource } from "./tables/customers.js";
import type { TagRuleSpec, TopSpenderState } from "./tags-apply.js";

export interface TagSummary {
  tag: string;
  contacts: number;
  ruleId: string | null;
}

export interface ContactTag {
  tag: string;
  source: TagSource;
  ruleId: string | null;
  note: string | null;
  addedAt: number;
  explanation: string;
}

/** Every known tag with how many contacts hold it and the rule that owns it, by name. */
export async function listTags(db: Kysely<Database>): Promise<TagSummary[]> {
  const rows = await sql<{ tag: string; contacts: number; rule_id: string | null }>`
    select t.name as tag, coalesce(ct.n, 0) as contacts, r.id as rule_id
    from tags t
    left join (select tag, count(*) as n from contact_tags group by tag) ct on ct.tag = t.name
    left join tag_rules r on r.tag = t.name
    order by t.name`.execute(db);
  return rows.rows.map((row) => ({ tag: row.tag, contacts: Number(row.contacts), ruleId: row.rule_id }));
}

async function checkManual(db: Kysely<Database>, tag: string): Promise<void> {
  if (!TAG_PATTERN.test(tag))
    throw new HeraldError("validation_failed", badTag(tag), { issues: [{ path: "tag", message: badTag(tag) }] });
  const rule = await db.selectFrom("tag_rules").select("id").where("tag", "=", tag).executeTakeFirst();
  if (rule) throw new HeraldError("conflict", ruleOwned(tag), { ruleId: rule.id });
}

/** Adds a manual tag to a contact (idempotent); `conflict` for a tag a rule owns. */
export async function tagContact(
  db: Kysely<Database>,
  seq: number,
  tag: string,
  note: string | null,
  actor: string | null,
  now: number,
): Promise<void> {
  await checkManual(db, tag);
  await addManualTags(db, [{ seq, tag }], now, actor, note);
}

/** Removes a manual tag; `not_found` when the contact lacks it, `conflict` for a rule's tag. */
export async function untagContact(db: Kysely<Database>, seq: number, tag: string): Promise<void> {
  await checkManual(db, tag);
  const result = await db
    .deleteFrom("contact_tags")
    .where("contact_seq", "=", seq)
    .where("tag", "=", tag)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new HeraldError("not_found", `the contact has no tag "${tag}"`);
}

/** A contact's tags with explanations; `orders` and `spent365d` are the contact's facts, `currency` the base. */
export async function contactTags(
  db: Kysely<Database>,
  seq: number,
  facts: { orders: readonly OrderRecord[]; spent365d: number; currency: string; now: number },
): Promise<ContactTag[]> {
  const rows = await db
    .selectFrom("contact_tags as ct")
    .leftJoin("tag_rules as r", "r.id", "ct.rule_id")
    .select(["ct.tag", "ct.source", "ct.rule_id", "ct.note", "ct.added_at", "ct.added_by", "r.rule", "r.state"])
    .where("ct.contact_seq", "=", seq)
    .orderBy("ct.tag")
    .execute();
  return rows.map((row) => ({
    tag: row.tag,
    source: row.source,
    ruleId: row.rule_id,
    note: row.note,
    addedAt: row.added_at,
    explanation:
      row.source === "manual"
        ? `Added by hand${row.note ? `: ${row.note}` : "."}`
        : explainRule(JSON.parse(row.rule ?? "{}") as TagRuleSpec, row.state, facts),
  }));
}

function explainRule(
  spec: TagRuleSpec,
  stateJson: string | null,
  facts: { orders: readonly OrderRecord[]; spent365d: number; currency: string; now: number },
): string {
  switch (spec.kind) {
    case "high_frequency":
      return evaluateHighFrequency(facts.orders, facts.now, spec.periods, spec.periodDays).explanation;
    case "top_spenders": {
      const state = stateJson === null ? null : (JSON.parse(stateJson) as TopSpenderState);
      return evaluateTopSpender(facts.spent365d, state?.threshold ?? null, {
        share: spec.share,
        buyers: state?.buyers ?? 0,
        currency: facts.currency,
      }).explanation;
    }
    case "segment":
      return `Matches the rule: ${spec.description || "a segment condition"}.`;
    default:
      return "Applied by a tag rule.";
  }
}
