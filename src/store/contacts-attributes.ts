import type { Kysely, Selectable } from "kysely";
import { HeraldError } from "../domain/errors.js";
import type { AttributeType } from "../domain/segment/fields.js";
import { isUniqueViolation } from "./dialect.js";
import type { Database } from "./schema.js";
import type { AttributeDefinitionsTable } from "./tables/customers.js";

/** A custom attribute a business defines for its contacts; segments address it as `attributes.<name>`. */
export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  label: string;
  createdAt: number;
  updatedAt: number;
}

/** Attribute names: lower-case identifiers, so they are safe in JSON paths, CSV headers and rule trees. */
export const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

function toDefinition(row: Selectable<AttributeDefinitionsTable>): AttributeDefinition {
  return { name: row.name, type: row.type, label: row.label, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Every attribute definition, by name. */
export async function listAttributes(db: Kysely<Database>): Promise<AttributeDefinition[]> {
  const rows = await db.selectFrom("attribute_definitions").selectAll().orderBy("name").execute();
  return rows.map(toDefinition);
}

/** Name → type of every attribute: what contact validation and the segment validator need. */
export async function attributeTypes(db: Kysely<Database>): Promise<Record<string, AttributeType>> {
  const rows = await db.selectFrom("attribute_definitions").select(["name", "type"]).execute();
  const types: Record<string, AttributeType> = {};
  for (const row of rows) types[row.name] = row.type;
  return types;
}

/** Defines an attribute; `conflict` when the name exists (types never change, see docs/api-customers.md). */
export async function createAttribute(
  db: Kysely<Database>,
  input: { name: string; type: AttributeType; label?: string | undefined },
  now: number,
): Promise<AttributeDefinition> {
  if (!ATTRIBUTE_NAME.test(input.name)) {
    throw new HeraldError("validation_failed", `invalid attribute name "${input.name}"`, {
      issues: [{ path: "name", message: "must be a-z, 0-9 and _, starting with a letter, at most 40 characters" }],
    });
  }
  const row = { name: input.name, type: input.type, label: input.label ?? "", created_at: now, updated_at: now };
  try {
    await db.insertInto("attribute_definitions").values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new HeraldError("conflict", `attribute "${input.name}" already exists`, {
        issues: [{ path: "name", message: "already exists" }],
      });
    throw err;
  }
  return toDefinition(row);
}

/** Changes an attribute's label; `not_found` for an unknown name. */
export async function relabelAttribute(
  db: Kysely<Database>,
  name: string,
  label: string,
  now: number,
): Promise<AttributeDefinition> {
  const row = await db
    .updateTable("attribute_definitions")
    .set({ label, updated_at: now })
    .where("name", "=", name)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `no attribute named "${name}"`);
  return toDefinition(row);
}
