/**
 * First-response figures of the team inbox. A "waiting period" starts with a customer's first unanswered message
 * and ends with the first reply after it (an agent's or an automatic one); its response time is the difference.
 */
import { FAST_RESPONSE_MS } from "./conversation.js";

/** One answered waiting period. */
export interface ResponseSample {
  responseMs: number;
  /** `agent`: a person answered; `auto`: an automatic reply did. */
  by: "agent" | "auto";
}

/** The figures the Team card and `GET /analytics/team` show. Times are ms; null when nothing was answered. */
export interface ResponseSummary {
  /** Waiting periods answered. */
  answered: number;
  /** Waiting periods still unanswered, already older than FAST_RESPONSE_MS (they count as missed). */
  waiting: number;
  medianMs: number | null;
  averageMs: number | null;
  /** The 90th percentile (nearest rank). */
  p90Ms: number | null;
  /** Answered within 5 minutes, over answered + waiting (a still-waiting customer past 5 minutes is a miss). */
  within5MinShare: number | null;
  /** Answered by an automatic reply, over answered. */
  autoShare: number | null;
}

/** The nearest-rank percentile `p` (0–1) of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** Median (lower middle for an even count, as a nearest-rank P50), average, P90 and shares of a set of samples. */
export function summarizeResponses(samples: readonly ResponseSample[], waitingPastTarget = 0): ResponseSummary {
  const times = samples.map((s) => s.responseMs).sort((a, b) => a - b);
  const fast = times.filter((t) => t <= FAST_RESPONSE_MS).length;
  const auto = samples.filter((s) => s.by === "auto").length;
  const total = times.length + waitingPastTarget;
  return {
    answered: times.length,
    waiting: waitingPastTarget,
    medianMs: percentile(times, 0.5),
    averageMs: times.length === 0 ? null : Math.round(times.reduce((a, b) => a + b, 0) / times.length),
    p90Ms: percentile(times, 0.9),
    within5MinShare: total === 0 ? null : fast / total,
    autoShare: times.length === 0 ? null : auto / times.length,
  };
}
