/**
 * The campaign lifecycle (issue 5): draft → scheduled → launching → running ⇄ paused → completed,
 * and cancelled from any state that has not finished. `launching` is the audience snapshot in
 * progress (recipients are being written); a crash there is resumed by the scheduler.
 */
export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "launching",
  "running",
  "paused",
  "completed",
  "cancelled",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

const NEXT: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ["scheduled", "launching", "cancelled"],
  scheduled: ["draft", "launching", "cancelled"],
  launching: ["running", "paused", "cancelled"],
  running: ["paused", "completed", "cancelled"],
  paused: ["running", "cancelled"],
  completed: [],
  cancelled: [],
};

/** True when a campaign may move from `from` to `to`. */
export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return NEXT[from].includes(to);
}

/** The states `to` may be entered from (for guarded UPDATE … WHERE status IN (…)). */
export function statesLeadingTo(to: CampaignStatus): CampaignStatus[] {
  return CAMPAIGN_STATUSES.filter((from) => NEXT[from].includes(to));
}

/** True when the campaign has finished (no transition leaves it). */
export function isFinished(status: CampaignStatus): boolean {
  return NEXT[status].length === 0;
}
