import { Alert, Badge, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CampaignProgress, MessageStatus } from "../../api/types";
import { MESSAGE_STATUSES, SKIP_REASONS } from "../../api/types";
import { formatNumber, formatTime } from "../../lib/format";
import { MESSAGE_COLORS } from "./CampaignStatusBadge";

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Counts per state as a bar and counters, the send rate and ETA, and the skipped recipients by reason. */
export function CampaignProgressPanel({
  progress,
  connected,
  onStatusClick,
}: {
  progress: CampaignProgress;
  connected: boolean;
  onStatusClick: (status: MessageStatus) => void;
}) {
  const { t } = useTranslation();
  const counts = progress.counts;
  const total = MESSAGE_STATUSES.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
  const done = total - (counts.queued ?? 0) - (counts.sending ?? 0);
  const finished = progress.status === "completed" || progress.status === "cancelled";
  const skipped = progress.skippedByReason ?? progress.audience?.skipped ?? {};
  const reasons = [
    ...SKIP_REASONS,
    ...Object.keys(skipped).filter((r) => !(SKIP_REASONS as readonly string[]).includes(r)),
  ].filter((reason) => (skipped[reason] ?? 0) > 0);

  return (
    <Paper withBorder radius="md" p="md" data-testid="campaign-progress">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t("campaigns.progressTitle")}
          </Title>
          {connected ? (
            <Badge color="red" variant="dot" data-testid="live-indicator">
              {t("campaigns.live")}
            </Badge>
          ) : null}
        </Group>
        <Progress.Root size={22} aria-label={t("campaigns.progressTitle")}>
          {MESSAGE_STATUSES.filter((status) => (counts[status] ?? 0) > 0).map((status) => (
            <Tooltip
              key={status}
              label={`${t(`campaigns.messageStatuses.${status}`)}: ${formatNumber(counts[status])}`}
            >
              <Progress.Section
                value={total === 0 ? 0 : (counts[status] / total) * 100}
                color={MESSAGE_COLORS[status]}
              />
            </Tooltip>
          ))}
        </Progress.Root>
        <Group justify="space-between">
          <Text size="sm" data-testid="progress-done">
            {t("campaigns.done", { done: formatNumber(done), total: formatNumber(total) })}
          </Text>
          <Group gap="lg">
            <Text size="sm">
              {t("campaigns.rate")}:{" "}
              <b data-testid="progress-rate">
                {t("campaigns.ratePerSecond", { rate: progress.ratePerSecond.toFixed(1) })}
              </b>
            </Text>
            <Text size="sm">
              {t("campaigns.eta")}:{" "}
              <b data-testid="progress-eta">
                {finished || progress.etaSeconds === 0
                  ? t("campaigns.etaDone")
                  : progress.etaSeconds === null
                    ? t("campaigns.etaUnknown")
                    : formatDuration(progress.etaSeconds)}
              </b>
            </Text>
          </Group>
        </Group>
        {!finished && progress.waiting > 0 && progress.nextDueAt !== null ? (
          <Text size="sm" c="dimmed" data-testid="progress-waiting">
            {t("campaigns.waiting", { count: progress.waiting, time: formatTime(progress.nextDueAt) })}
          </Text>
        ) : null}
        <SimpleGrid cols={{ base: 2, sm: 4, lg: 8 }} spacing="xs">
          {MESSAGE_STATUSES.map((status) => (
            <Tooltip key={status} label={t(`campaigns.messageStatusHints.${status}`)} multiline maw={260} withArrow>
              <Paper
                withBorder
                p="xs"
                radius="sm"
                style={{
                  cursor: "pointer",
                  borderLeft: `4px solid var(--mantine-color-${MESSAGE_COLORS[status].replace(".", "-")})`,
                }}
                onClick={() => onStatusClick(status)}
                data-testid={`count-${status}`}
              >
                <Text size="xs" c="dimmed">
                  {t(`campaigns.messageStatuses.${status}`)}
                </Text>
                <Text fw={700} size="lg">
                  {formatNumber(counts[status] ?? 0)}
                </Text>
              </Paper>
            </Tooltip>
          ))}
        </SimpleGrid>
        {progress.lastError ? (
          <Alert color="red" title={t("campaigns.lastError")} role="alert">
            {progress.lastError}
          </Alert>
        ) : null}
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t("campaigns.skippedByReason")}
          </Text>
          {reasons.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("campaigns.noneSkipped")}
            </Text>
          ) : (
            <Table verticalSpacing={4} fz="sm" maw={520} data-testid="skipped-by-reason">
              <Table.Tbody>
                {reasons.map((reason) => (
                  <Table.Tr key={reason}>
                    <Table.Td>
                      <Tooltip
                        label={
                          (SKIP_REASONS as readonly string[]).includes(reason)
                            ? t(`campaigns.skipReasonHints.${reason as (typeof SKIP_REASONS)[number]}`)
                            : reason
                        }
                        multiline
                        maw={280}
                      >
                        <Text size="sm" span>
                          {(SKIP_REASONS as readonly string[]).includes(reason)
                            ? t(`campaigns.skipReasons.${reason as (typeof SKIP_REASONS)[number]}`)
                            : reason}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(skipped[reason] ?? 0)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
