import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CampaignStatus, MessageStatus } from "../../api/types";

const CAMPAIGN_COLORS: Record<CampaignStatus, string> = {
  draft: "gray",
  scheduled: "violet",
  launching: "blue",
  running: "blue",
  paused: "orange",
  completed: "teal",
  cancelled: "red",
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={CAMPAIGN_COLORS[status]} variant="light" data-testid="campaign-status">
      {t(`campaigns.statuses.${status}`)}
    </Badge>
  );
}

/** The colour of each message state, shared by the progress bar, the counters and the recipients list. */
export const MESSAGE_COLORS: Record<MessageStatus, string> = {
  queued: "gray.4",
  sending: "blue.3",
  sent: "blue.6",
  delivered: "cyan.6",
  read: "teal.6",
  failed: "red.6",
  skipped: "yellow.6",
  unknown: "grape.5",
};

export function MessageStatusBadge({ status }: { status: MessageStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={MESSAGE_COLORS[status]} variant="light" size="sm">
      {t(`campaigns.messageStatuses.${status}`)}
    </Badge>
  );
}
