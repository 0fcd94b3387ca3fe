/**
 * Guards against reply loops and floods. Another business's bot answering our auto-reply with its own would
 * ping-pong forever; a person hammering a keyword should not get fifty copies of the discount code. Guards only
 * stop replies: a tag, an opt-out or a hand-over still happens (an opt-out must always be honoured).
 */
import type { GuardPolicy } from "./model.js";
import { matchText } from "./text.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export type GuardVerdict =
  | { allowed: true }
  | { allowed: false; reason: "automated_sender" | "loop" | "hourly_cap"; detail: string };

// Phrases auto-responders put in their messages (out-of-office, other chatbots), in English and Korean.
const AUTOMATED_MARKERS = [
  "auto reply",
  "autoreply",
  "automatic reply",
  "automated message",
  "this is an automated",
  "do not reply",
  "out of office",
  "자동응답",
  "자동 응답",
  "자동 회신",
  "자동회신",
  "부재중 자동",
  "본 메시지는 발신 전용",
].map(matchText);

/** True when an inbound text reads like another machine's automatic answer. */
export function looksAutomated(text: string | null): boolean {
  if (text === null) return false;
  const folded = matchText(text);
  return AUTOMATED_MARKERS.some((m) => folded.includes(m));
}

/**
 * Whether an automatic reply may go to a contact now. `recentReplies` are the times of the automatic replies
 * this contact received (any rule), at least the last hour's.
 */
export function replyAllowed(
  policy: GuardPolicy,
  input: { text: string | null; recentReplies: readonly number[]; now: number },
): GuardVerdict {
  if (looksAutomated(input.text))
    return {
      allowed: false,
      reason: "automated_sender",
      detail: "the message looks like another bot's automatic reply",
    };
  const loopSince = input.now - policy.loopWindowMinutes * MINUTE_MS;
  const inLoopWindow = input.recentReplies.filter((t) => t > loopSince).length;
  if (inLoopWindow >= policy.loopMaxReplies)
    return {
      allowed: false,
      reason: "loop",
      detail: `${inLoopWindow} automatic replies in the last ${policy.loopWindowMinutes} minutes`,
    };
  const inHour = input.recentReplies.filter((t) => t > input.now - HOUR_MS).length;
  if (inHour >= policy.maxRepliesPerHour)
    return { allowed: false, reason: "hourly_cap", detail: `${inHour} automatic replies in the last hour` };
  return { allowed: true };
}
