import type { Kysely, Selectable, Transaction } from "kysely";
import { HeraldError } from "../domain/errors.js";
import { newId } from "../ids.js";
import type { SecretBox } from "../secret-box.js";
import { isUniqueViolation } from "./dialect.js";
import type { Database, QualityRating, SenderProvider, SendersTable } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** A sender number as the API and dashboard see it: never its secrets, only whether they are set. */
export interface Sender {
  id: string;
  name: string;
  provider: SenderProvider;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  apiOrigin: string | null;
  apiVersion: string;
  mpsLimit: number;
  messagingTier: string;
  qualityRating: QualityRating;
  disabled: boolean;
  lastCheckedAt: number | null;
  lastCheckError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What the engine needs to call the provider and to check webhooks; never leaves the server. */
export interface SenderCredentials {
  sender: Sender;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

export interface NewSender {
  name: string;
  provider: SenderProvider;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber?: string;
  apiOrigin?: string | null;
  apiVersion: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  mpsLimit: number;
  messagingTier: string;
  qualityRating?: QualityRating;
}

export type SenderPatch = Partial<Omit<NewSender, "provider" | "phoneNumberId">> & {
  disabled?: boolean;
};

type SecretColumn = "access_token_sealed" | "app_secret_sealed" | "verify_token_sealed";
/** The associated data a secret is sealed with: a ciphertext only opens in its own row and column. */
const context = (id: string, column: SecretColumn) => `senders:${id}:${column}`;

function toSender(row: Selectable<SendersTable>): Sender {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id,
    displayPhoneNumber: row.display_phone_number,
    apiOrigin: row.api_origin,
    apiVersion: row.api_version,
    mpsLimit: row.mps_limit,
    messagingTier: row.messaging_tier,
    qualityRating: row.quality_rating,
    disabled: row.disabled === 1,
    lastCheckedAt: row.last_checked_at,
    lastCheckError: row.last_check_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function conflict(phoneNumberId: string): HeraldError {
  return new HeraldError("conflict", `a sender with phone number id ${phoneNumberId} already exists`, {
    issues: [{ path: "phoneNumberId", message: "already configured" }],
  });
}

/** Stores a sender with its secrets sealed; `conflict` when the phone number id is already configured. */
export async function createSender(db: Db, box: SecretBox, input: NewSender, now: number): Promise<Sender> {
  const id = newId(now);
  const row: Selectable<SendersTable> = {
    id,
    name: input.name,
    provider: input.provider,
    phone_number_id: input.phoneNumberId,
    waba_id: input.wabaId,
    display_phone_number: input.displayPhoneNumber ?? "",
    api_origin: input.apiOrigin ?? null,
    api_version: input.apiVersion,
    access_token_sealed: box.seal(input.accessToken, context(id, "access_token_sealed")),
    app_secret_sealed: box.seal(input.appSecret, context(id, "app_secret_sealed")),
    verify_token_sealed: box.seal(input.verifyToken, context(id, "verify_token_sealed")),
    mps_limit: input.mpsLimit,
    messaging_tier: input.messagingTier,
    quality_rating: input.qualityRating ?? "UNKNOWN",
    disabled: 0,
    last_checked_at: null,
    last_check_error: null,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.insertInto("senders").values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(input.phoneNumberId);
    throw err;
  }
  return toSender(row);
}

/** Every sender, oldest first. */
export async function listSenders(db: Db): Promise<Sender[]> {
  const rows = await db.selectFrom("senders").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toSender);
}

/** One sender; `not_found` when absent. */
export async function getSender(db: Db, id: string): Promise<Sender> {
  const row = await db.selectFrom("senders").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `sender ${id} not found`);
  return toSender(row);
}

/** A sender and its opened secrets, by id; `not_found` when absent. */
export async function getSenderCredentials(db: Db, box: SecretBox, id: string): Promise<SenderCredentials> {
  const row = await db.selectFrom("senders").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new HeraldError("not_found", `sender ${id} not found`);
  return open(box, row);
}

/** The senders whose phone number id is `phoneNumberId` (webhooks are routed by it), with secrets. */
export async function findSenderCredentialsByPhoneNumberId(
  db: Db,
  box: SecretBox,
  phoneNumberId: string,
): Promise<SenderCredentials[]> {
  const rows = await db.selectFrom("senders").selectAll().where("phone_number_id", "=", phoneNumberId).execute();
  return rows.map((row) => open(box, row));
}

function open(box: SecretBox, row: Selectable<SendersTable>): SenderCredentials {
  return {
    sender: toSender(row),
    accessToken: box.open(row.access_token_sealed, context(row.id, "access_token_sealed")),
    appSecret: box.open(row.app_secret_sealed, context(row.id, "app_secret_sealed")),
    verifyToken: box.open(row.verify_token_sealed, context(row.id, "verify_token_sealed")),
  };
}

/** Applies a partial update; new secrets are sealed, omitted ones are kept. */
export async function updateSender(
  db: Db,
  box: SecretBox,
  id: string,
  patch: SenderPatch,
  now: number,
): Promise<Sender> {
  const set: Partial<Selectable<SendersTable>> = { updated_at: now };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.wabaId !== undefined) set.waba_id = patch.wabaId;
  if (patch.displayPhoneNumber !== undefined) set.display_phone_number = patch.displayPhoneNumber;
  if (patch.apiOrigin !== undefined) set.api_origin = patch.apiOrigin;
  if (patch.apiVersion !== undefined) set.api_version = patch.apiVersion;
  if (patch.mpsLimit !== undefined) set.mps_limit = patch.mpsLimit;
  if (patch.messagingTier !== undefined) set.messaging_tier = patch.messagingTier;
  if (patch.qualityRating !== undefined) set.quality_rating = patch.qualityRating;
  if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
  if (patch.accessToken !== undefined)
    set.access_token_sealed = box.seal(patch.accessToken, context(id, "access_token_sealed"));
  if (patch.appSecret !== undefined)
    set.app_secret_sealed = box.seal(patch.appSecret, context(id, "app_secret_sealed"));
  if (patch.verifyToken !== undefined)
    set.verify_token_sealed = box.seal(patch.verifyToken, context(id, "verify_token_sealed"));
  const result = await db.updateTable("senders").set(set).where("id", "=", id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new HeraldError("not_found", `sender ${id} not found`);
  return getSender(db, id);
}

/** Records the outcome of a connection test (and what the provider reported about the number). */
export async function recordSenderCheck(
  db: Db,
  id: string,
  outcome:
    | { ok: true; displayPhoneNumber?: string; qualityRating?: QualityRating; messagingTier?: string }
    | { ok: false; error: string },
  now: number,
): Promise<Sender> {
  const set: Partial<Selectable<SendersTable>> = { last_checked_at: now, updated_at: now };
  if (outcome.ok) {
    set.last_check_error = null;
    if (outcome.displayPhoneNumber) set.display_phone_number = outcome.displayPhoneNumber;
    if (outcome.qualityRating) set.quality_rating = outcome.qualityRating;
    if (outcome.messagingTier) set.messaging_tier = outcome.messagingTier;
  } else {
    set.last_check_error = outcome.error.slice(0, 500);
  }
  await db.updateTable("senders").set(set).where("id", "=", id).execute();
  return getSender(db, id);
}

/** Deletes a sender; `not_found` when absent. */
export async function deleteSender(db: Db, id: string): Promise<void> {
  const result = await db.deleteFrom("senders").where("id", "=", id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new HeraldError("not_found", `sender ${id} not found`);
}

/**
 * The senders a webhook may come from, with secrets: those whose phone number id or WABA id the
 * payload names. Message webhooks carry the phone number id; template and account updates only the WABA id.
 */
export async function findSenderCredentialsForWebhook(
  db: Db,
  box: SecretBox,
  ids: { phoneNumberIds: string[]; wabaIds: string[] },
): Promise<SenderCredentials[]> {
  if (ids.phoneNumberIds.length === 0 && ids.wabaIds.length === 0) return [];
  const rows = await db
    .selectFrom("senders")
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(ids.phoneNumberIds.length > 0 ? [eb("phone_number_id", "in", ids.phoneNumberIds)] : []),
        ...(ids.wabaIds.length > 0 ? [eb("waba_id", "in", ids.wabaIds)] : []),
      ]),
    )
    .execute();
  return rows.map((row) => open(box, row));
}

/** Every sender's verify token (for Meta's subscription handshake); few rows, opened on demand. */
export async function listVerifyTokens(db: Db, box: SecretBox): Promise<{ senderId: string; verifyToken: string }[]> {
  const rows = await db.selectFrom("senders").select(["id", "verify_token_sealed"]).execute();
  return rows.map((row) => ({
    senderId: row.id,
    verifyToken: box.open(row.verify_token_sealed, context(row.id, "verify_token_sealed")),
  }));
}
