/**
 * Auto-reply rules (tables/automation.ts): CRUD, ordering, the guard settings, and the version every rule change
 * bumps so engines (in this process or another) reload their cached rules. Rules are stored as validated JSON and
 * read back through the domain's schemas.
 */
import type { Kysely, Selectable, Transaction } from "kysely";
import { z } from "zod";
import {
  actionsSchema,
  conditionSchema,
  DEFAULT_GUARD_POLICY,
  type GuardPolicy,
  type Rule,
  type RuleInput,
  triggerSchema,
} from "../domain/automation/index.js";
import { HeraldError } from "../domain/errors.js";
import { newId } from "../ids.js";
import type { Database } from "./schema.js";
import type { AutomationRulesTable } from "./tables/automation.js";

type Db = Kysely<Database> | Transaction<Database>;
type RuleRow = Selectable<AutomationRulesTable>;

/** A rule with its statistics. */
export interface StoredRule extends Rule {
  stats: { matches: number; replies: number; repliesSent: number; lastMatchedAt: number | null };
  createdAt: number;
  updatedAt: number;
}

const conditionsSchema = z.array(conditionSchema);

function toRule(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    position: row.position,
    trigger: triggerSchema.parse(JSON.parse(row.trigger)),
    conditions: conditionsSchema.parse(JSON.parse(row.conditions)),
    actions: actionsSchema.parse(JSON.parse(row.actions)),
  };
}

function toStored(row: RuleRow, sent: number): StoredRule {
  return {
    ...toRule(row),
    stats: { matches: row.matches, replies: row.replies, repliesSent: sent, lastMatchedAt: row.last_matched_at },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Bumps the rules' version (in the caller's transaction), creating the settings row on first use. */
async function bumpVersion(db: Db, now: number): Promise<void> {
  const updated = await db
    .updateTable("automation_settings")
    .set((eb) => ({ rules_version: eb("rules_version", "+", 1), updated_at: now }))
    .where("id", "=", 1)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await insertSettings(db, DEFAULT_GUARD_POLICY, 1, now);
}

async function insertSettings(db: Db, policy: GuardPolicy, version: number, now: number): Promise<void> {
  await db
    .insertInto("automation_settings")
    .values({
      id: 1,
      max_replies_per_hour: policy.maxRepliesPerHour,
      loop_max_replies: policy.loopMaxReplies,
      loop_window_minutes: policy.loopWindowMinutes,
      rules_version: version,
      updated_at: now,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** All rules in evaluation order, with statistics (replies sent: reply messages that reached `sent` or later). */
export async function listRules(db: Db): Promise<StoredRule[]> {
  const rows = await db.selectFrom("automation_rules").selectAll().orderBy("position").orderBy("created_at").execute();
  const sent = await db
    .selectFrom("automation_runs as r")
    .innerJoin("messages as m", "m.id", "r.message_id")
    .select((eb) => ["r.rule_id", eb.fn.countAll<number>().as("n")])
    .where("m.status", "in", ["sent", "delivered", "read"])
    .groupBy("r.rule_id")
    .execute();
  const byRule = new Map(sent.map((s) => [s.rule_id, Number(s.n)]));
  return rows.map((row) => toStored(row, byRule.get(row.id) ?? 0));
}

/** One rule; `not_found` when absent. */
export async function getRule(db: Db, id: string): Promise<StoredRule> {
  const row = await db.selectFrom("automation_rules").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no automation rule with id ${id}`);
  const sent = await db
    .selectFrom("automation_runs as r")
    .innerJoin("messages as m", "m.id", "r.message_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("r.rule_id", "=", id)
    .where("m.status", "in", ["sent", "delivered", "read"])
    .executeTakeFirstOrThrow();
  return toStored(row, Number(sent.n));
}

/** The enabled and disabled rules in evaluation order, and the version they were read at (for the engine's cache). */
export async function loadRules(db: Db): Promise<{ rules: Rule[]; version: number }> {
  const settings = await getAutomationSettings(db);
  const rows = await db.selectFrom("automation_rules").selectAll().orderBy("position").orderBy("created_at").execute();
  return { rules: rows.map(toRule), version: settings.version };
}

/** Creates a rule at the end of the order (or at `position`, moving the others down). */
export async function createRule(
  db: Kysely<Database>,
  input: RuleInput & { position?: number },
  createdBy: string | null,
  now: number,
): Promise<StoredRule> {
  const id = newId(now);
  await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom("automation_rules")
      .select((eb) => eb.fn.max("position").as("max"))
      .executeTakeFirst();
    const end = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
    const position = input.position === undefined ? end : Math.max(0, Math.min(input.position, end));
    if (position < end)
      await trx
        .updateTable("automation_rules")
        .set((eb) => ({ position: eb("position", "+", 1) }))
        .where("position", ">=", position)
        .execute();
    await trx
      .insertInto("automation_rules")
      .values({
        id,
        name: input.name,
        enabled: input.enabled ? 1 : 0,
        position,
        trigger: JSON.stringify(input.trigger),
        conditions: JSON.stringify(input.conditions),
        actions: JSON.stringify(input.actions),
        matches: 0,
        replies: 0,
        last_matched_at: null,
        created_by: createdBy,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await bumpVersion(trx, now);
  });
  return getRule(db, id);
}

/** Changes a rule's fields (those given); `not_found` when absent. */
export async function updateRule(
  db: Kysely<Database>,
  id: string,
  patch: Partial<RuleInput>,
  now: number,
): Promise<StoredRule> {
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("automation_rules")
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
        ...(patch.trigger !== undefined ? { trigger: JSON.stringify(patch.trigger) } : {}),
        ...(patch.conditions !== undefined ? { conditions: JSON.stringify(patch.conditions) } : {}),
        ...(patch.actions !== undefined ? { actions: JSON.stringify(patch.actions) } : {}),
        updated_at: now,
      })
      .where("id", "=", id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new HeraldError("not_found", `no automation rule with id ${id}`);
    await bumpVersion(trx, now);
  });
  return getRule(db, id);
}

/** Deletes a rule (its runs keep their history without it); `not_found` when absent. */
export async function deleteRule(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom("automation_rules").where("id", "=", id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new HeraldError("not_found", `no automation rule with id ${id}`);
    await bumpVersion(trx, now);
  });
}

/**
 * Sets the evaluation order: `ids` must name every rule exactly once (a partial list would leave the others'
 * order ambiguous). `validation_failed` naming the missing or unknown ids otherwise.
 */
export async function reorderRules(db: Kysely<Database>, ids: string[], now: number): Promise<StoredRule[]> {
  await db.transaction().execute(async (trx) => {
    const existing = (await trx.selectFrom("automation_rules").select("id").execute()).map((r) => r.id);
    const known = new Set(existing);
    const given = new Set(ids);
    const unknown = ids.filter((id) => !known.has(id));
    const missing = existing.filter((id) => !given.has(id));
    if (unknown.length > 0 || missing.length > 0 || given.size !== ids.length) {
      const message = "ids must list every rule exactly once";
      throw new HeraldError("validation_failed", message, {
        issues: [{ path: "ids", message }],
        unknown,
        missing,
      });
    }
    for (const [position, id] of ids.entries())
      await trx.updateTable("automation_rules").set({ position, updated_at: now }).where("id", "=", id).execute();
    await bumpVersion(trx, now);
  });
  return listRules(db);
}

/** The guard settings and the rules' version (defaults until someone changes them). */
export async function getAutomationSettings(db: Db): Promise<GuardPolicy & { version: number }> {
  const row = await db.selectFrom("automation_settings").selectAll().where("id", "=", 1).executeTakeFirst();
  if (!row) return { ...DEFAULT_GUARD_POLICY, version: 0 };
  return {
    maxRepliesPerHour: row.max_replies_per_hour,
    loopMaxReplies: row.loop_max_replies,
    loopWindowMinutes: row.loop_window_minutes,
    version: Number(row.rules_version),
  };
}

/** Changes the guard settings (and bumps the version, so engines pick them up with the rules). */
export async function putAutomationSettings(
  db: Kysely<Database>,
  policy: GuardPolicy,
  now: number,
): Promise<GuardPolicy & { version: number }> {
  await db.transaction().execute(async (trx) => {
    await insertSettings(trx, policy, 0, now);
    await trx
      .updateTable("automation_settings")
      .set((eb) => ({
        max_replies_per_hour: policy.maxRepliesPerHour,
        loop_max_replies: policy.loopMaxReplies,
        loop_window_minutes: policy.loopWindowMinutes,
        rules_version: eb("rules_version", "+", 1),
        updated_at: now,
      }))
      .where("id", "=", 1)
      .execute();
  });
  return getAutomationSettings(db);
}
