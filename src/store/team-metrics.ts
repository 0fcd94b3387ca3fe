/**
 * Team inbox figures (`GET /api/v1/analytics/team`): first-response times over a period, per agent and for the
 * team, the share answered within 5 minutes, and how much of the answering automatic replies did.
 */
import type { Kysely } from "kysely";
import { FAST_RESPONSE_MS } from "../domain/inbox/conversation.js";
import { type ResponseSample, type ResponseSummary, summarizeResponses } from "../domain/inbox/response-times.js";
import type { Database } from "./schema.js";

export interface TeamMetrics {
  from: number;
  to: number;
  /** Every answered waiting period in the period (agents and automatic replies). */
  team: ResponseSummary;
  agents: (ResponseSummary & { userId: string | null; name: string; replies: number })[];
  /** Replies sent in the period: by agents, by automatic replies, and the automatic share of all. */
  replies: { agent: number; auto: number; autoShare: number | null };
}

/** Figures for waiting periods answered in [from, to); customers still waiting past 5 minutes count as misses. */
export async function teamMetrics(
  db: Kysely<Database>,
  range: { from: number; to: number },
  now: number,
): Promise<TeamMetrics> {
  const rows = await db
    .selectFrom("conversation_responses as r")
    .leftJoin("users as u", "u.id", "r.user_id")
    .select(["r.response_ms", "r.responder", "r.user_id", "u.name", "u.email"])
    .where("r.responded_at", ">=", range.from)
    .where("r.responded_at", "<", range.to)
    .execute();
  const stillWaiting = await db
    .selectFrom("conversations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("waiting_since", "is not", null)
    .where("waiting_since", ">=", range.from)
    .where("waiting_since", "<", Math.min(range.to, now - FAST_RESPONSE_MS))
    .executeTakeFirstOrThrow();
  const replies = await db
    .selectFrom("messages")
    .select(["origin", (eb) => eb.fn.countAll<number>().as("n")])
    .where("origin", "in", ["agent", "auto_reply"])
    .where("sent_at", ">=", range.from)
    .where("sent_at", "<", range.to)
    .groupBy("origin")
    .execute();
  const agentReplies = await db
    .selectFrom("conversation_replies as cr")
    .innerJoin("messages as m", "m.id", "cr.message_id")
    .select(["cr.user_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("m.sent_at", ">=", range.from)
    .where("m.sent_at", "<", range.to)
    .groupBy("cr.user_id")
    .execute();

  const samples: ResponseSample[] = rows.map((r) => ({ responseMs: Number(r.response_ms), by: r.responder }));
  const byAgent = new Map<string | null, { name: string; samples: ResponseSample[] }>();
  for (const r of rows) {
    if (r.responder !== "agent") continue;
    const entry = byAgent.get(r.user_id) ?? { name: r.name || r.email || "", samples: [] };
    entry.samples.push({ responseMs: Number(r.response_ms), by: "agent" });
    byAgent.set(r.user_id, entry);
  }
  const repliesBy = new Map(agentReplies.map((r) => [r.user_id, Number(r.n)]));
  const agents = [...byAgent.entries()]
    .map(([userId, entry]) => ({
      userId,
      name: entry.name,
      replies: repliesBy.get(userId) ?? 0,
      ...summarizeResponses(entry.samples),
    }))
    .sort((a, b) => b.answered - a.answered || a.name.localeCompare(b.name));
  const agent = Number(replies.find((r) => r.origin === "agent")?.n ?? 0);
  const auto = Number(replies.find((r) => r.origin === "auto_reply")?.n ?? 0);
  return {
    from: range.from,
    to: range.to,
    team: summarizeResponses(samples, Number(stillWaiting.n)),
    agents,
    replies: { agent, auto, autoShare: agent + auto === 0 ? null : auto / (agent + auto) },
  };
}

/** A conversation's answered waiting periods, newest first (the detail view's first-response times). */
export async function conversationResponses(db: Kysely<Database>, conversationId: string, limit = 20) {
  const rows = await db
    .selectFrom("conversation_responses as r")
    .leftJoin("users as u", "u.id", "r.user_id")
    .select(["r.waiting_since", "r.responded_at", "r.response_ms", "r.responder", "r.user_id", "u.name"])
    .where("r.conversation_id", "=", conversationId)
    .orderBy("r.responded_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    waitingSince: r.waiting_since,
    respondedAt: r.responded_at,
    responseMs: Number(r.response_ms),
    by: r.responder,
    user: r.user_id === null ? null : { id: r.user_id, name: r.name ?? "" },
  }));
}
