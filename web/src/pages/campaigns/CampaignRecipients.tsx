import { Button, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { campaignMessagesKey, listCampaignMessages } from "../../api/campaigns";
import type { CampaignMessage, MessageStatus } from "../../api/types";
import { MESSAGE_STATUSES, SKIP_REASONS } from "../../api/types";
import { QueryError } from "../../components/QueryError";
import { formatNumber, formatTime } from "../../lib/format";
import { MessageStatusBadge } from "./CampaignStatusBadge";

function Detail({ message }: { message: CampaignMessage }) {
  const { t } = useTranslation();
  if (message.skipReason) {
    const known = (SKIP_REASONS as readonly string[]).includes(message.skipReason);
    const reason = message.skipReason as (typeof SKIP_REASONS)[number];
    return known ? (
      <Tooltip label={t(`campaigns.skipReasonHints.${reason}`)} multiline maw={280}>
        <Text size="sm" span>
          {t(`campaigns.skipReasons.${reason}`)}
        </Text>
      </Tooltip>
    ) : (
      <Text size="sm">{message.skipReason}</Text>
    );
  }
  if (message.errorCode !== null || message.errorMessage) {
    return (
      <Text size="sm" c="red">
        {message.errorCode !== null ? `${t("campaigns.errorCode", { code: message.errorCode })} ` : ""}
        {message.errorMessage ?? ""}
      </Text>
    );
  }
  return <Text size="sm">—</Text>;
}

const time = (ms: number | null) => (ms === null ? "—" : formatTime(ms));

/** The campaign's recipients, filtered by state, a page at a time; refreshed while the campaign sends. */
export function CampaignRecipients({
  campaignId,
  status,
  onStatus,
  counts,
  live,
}: {
  campaignId: string;
  status: MessageStatus | null;
  onStatus: (status: MessageStatus | null) => void;
  counts: Partial<Record<MessageStatus, number>>;
  live: boolean;
}) {
  const { t } = useTranslation();
  const messages = useInfiniteQuery({
    queryKey: campaignMessagesKey(campaignId, status),
    queryFn: ({ pageParam }) => listCampaignMessages(campaignId, status, pageParam, 100),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: live ? 5_000 : false,
  });
  const list = messages.data?.pages.flatMap((page) => page.data) ?? [];
  const total = MESSAGE_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  return (
    <Paper withBorder radius="md" p="md" data-testid="campaign-recipients">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t("campaigns.recipientsTitle")}
          </Title>
          {messages.isFetching ? <Loader size="xs" aria-label={t("common.loading")} /> : null}
        </Group>
        <SegmentedControl
          size="xs"
          aria-label={t("campaigns.filterStatus")}
          value={status ?? "all"}
          onChange={(value) => onStatus(value === "all" ? null : (value as MessageStatus))}
          data={[
            { value: "all", label: `${t("campaigns.allStatuses")} ${formatNumber(total)}` },
            ...MESSAGE_STATUSES.map((s) => ({
              value: s,
              label: `${t(`campaigns.messageStatuses.${s}`)} ${formatNumber(counts[s] ?? 0)}`,
            })),
          ]}
          style={{ flexWrap: "wrap" }}
        />
        {messages.isError ? <QueryError error={messages.error} onRetry={() => messages.refetch()} /> : null}
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing={6} fz="sm" data-testid="recipients-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("campaigns.to")}</Table.Th>
                <Table.Th>{t("campaigns.status")}</Table.Th>
                <Table.Th>{t("campaigns.detail")}</Table.Th>
                <Table.Th ta="right">{t("campaigns.attempts")}</Table.Th>
                <Table.Th>{t("campaigns.due")}</Table.Th>
                <Table.Th>{t("campaigns.sentAt")}</Table.Th>
                <Table.Th>{t("campaigns.deliveredAt")}</Table.Th>
                <Table.Th>{t("campaigns.readAt")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {messages.data && list.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" ta="center" py="sm">
                      {t("campaigns.noRecipients")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {list.map((message) => (
                <Table.Tr key={message.id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>+{message.to.replace(/^\+/, "")}</Table.Td>
                  <Table.Td>
                    <MessageStatusBadge status={message.status} />
                  </Table.Td>
                  <Table.Td>
                    <Detail message={message} />
                  </Table.Td>
                  <Table.Td ta="right">{message.attempts}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{time(message.dueAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{time(message.sentAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{time(message.deliveredAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{time(message.readAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {messages.hasNextPage ? (
          <Button
            variant="subtle"
            size="xs"
            loading={messages.isFetchingNextPage}
            onClick={() => messages.fetchNextPage()}
          >
            {t("campaigns.more")}
          </Button>
        ) : null}
      </Stack>
    </Paper>
  );
}
