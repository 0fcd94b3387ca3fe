import { Badge, Stack, Text, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { QualityRating, TemplateStatus } from "../../api/types";

const STATUS_COLORS: Record<TemplateStatus, string> = {
  DRAFT: "gray",
  PENDING: "yellow",
  APPROVED: "teal",
  REJECTED: "red",
  PAUSED: "orange",
  DISABLED: "red",
  IN_APPEAL: "yellow",
  PENDING_DELETION: "gray",
  DELETED: "gray",
  FLAGGED: "orange",
  LIMIT_EXCEEDED: "red",
  ARCHIVED: "gray",
  LOCKED: "gray",
};

/** A template's status as a coloured badge, what it means on hover, and the rejection reason under it. */
export function TemplateStatusBadge({ status, reason }: { status: TemplateStatus; reason?: string | null }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} align="flex-start">
      <Tooltip label={t(`templates.statusHints.${status}`)} multiline maw={280} withArrow>
        <Badge color={STATUS_COLORS[status]} variant="light" data-testid="template-status">
          {t(`templates.statuses.${status}`)}
        </Badge>
      </Tooltip>
      {status === "REJECTED" && reason ? (
        <Text size="xs" c="red" data-testid="template-rejected-reason">
          {t("templates.rejectedReason", { reason })}
        </Text>
      ) : null}
    </Stack>
  );
}

const QUALITY_COLORS: Record<QualityRating, string> = { GREEN: "teal", YELLOW: "yellow", RED: "red", UNKNOWN: "gray" };

/** Meta's quality rating of a template. */
export function TemplateQualityBadge({ quality }: { quality: QualityRating }) {
  const { t } = useTranslation();
  return (
    <Badge color={QUALITY_COLORS[quality]} variant="dot">
      {t(`templates.qualities.${quality}`)}
    </Badge>
  );
}
