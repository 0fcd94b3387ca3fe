import { Anchor, Button, Group, Loader, Progress, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { campaignProgressKey, campaignsKey, getCampaignProgress, listCampaigns } from "../../api/campaigns";
import { listTemplates, templatesKey } from "../../api/templates";
import type { Campaign } from "../../api/types";
import { MESSAGE_STATUSES } from "../../api/types";
import { can } from "../../auth/permissions";
import { useCurrentUser } from "../../auth/session";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { formatNumber, formatTime } from "../../lib/format";
import { CampaignStatusBadge, MESSAGE_COLORS } from "./CampaignStatusBadge";

const ACTIVE = new Set(["launching", "running", "paused"]);

/** A launched campaign's progress in one bar; polled while it sends. */
function ProgressCell({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const progress = useQuery({
    queryKey: campaignProgressKey(campaign.id),
    queryFn: () => getCampaignProgress(campaign.id),
    enabled: campaign.status !== "draft" && campaign.status !== "scheduled",
    refetchInterval: ACTIVE.has(campaign.status) ? 3_000 : false,
  });
  if (campaign.status === "draft" || campaign.status === "scheduled") return <Text size="sm">—</Text>;
  const counts = progress.data?.counts;
  if (!counts) return <Loader size="xs" />;
  const total = MESSAGE_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  const done = total - counts.queued - counts.sending;
  return (
    <Stack gap={2} miw={160}>
      <Progress.Root size="sm">
        {MESSAGE_STATUSES.filter((s) => counts[s] > 0).map((s) => (
          <Progress.Section key={s} value={total ? (counts[s] / total) * 100 : 0} color={MESSAGE_COLORS[s]} />
        ))}
      </Progress.Root>
      <Tooltip
        label={MESSAGE_STATUSES.filter((s) => counts[s] > 0)
          .map((s) => `${t(`campaigns.messageStatuses.${s}`)} ${formatNumber(counts[s])}`)
          .join(" · ")}
      >
        <Text size="xs" c="dimmed">
          {t("campaigns.done", { done: formatNumber(done), total: formatNumber(total) })}
        </Text>
      </Tooltip>
    </Stack>
  );
}

/** Campaigns, newest first, with their status and progress. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const allowed = can(user.role, "campaigns.manage");
  const campaigns = useInfiniteQuery({
    queryKey: [...campaignsKey, "list"],
    queryFn: ({ pageParam }) => listCampaigns(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: allowed,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.data.some((c) => ACTIVE.has(c.status) || c.status === "scheduled"))
        ? 5_000
        : false,
  });
  const templates = useQuery({
    queryKey: [...templatesKey, "list", "names"],
    queryFn: () => listTemplates({ limit: 200 }),
    enabled: allowed,
  });
  const templateName = new Map((templates.data?.data ?? []).map((tpl) => [tpl.id, `${tpl.name} · ${tpl.language}`]));
  const list = campaigns.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Stack gap="md">
      <PageHeader title={t("nav.campaigns")} icon={sectionIcon("campaigns")} />
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={680}>
          {t("campaigns.intro")}
        </Text>
        {allowed ? (
          <Button leftSection={<IconPlus size={16} />} component={Link} to="/campaigns/new">
            {t("campaigns.new")}
          </Button>
        ) : null}
      </Group>
      {!allowed ? (
        <Text size="sm" c="dimmed">
          {t("errors.forbidden")}
        </Text>
      ) : null}
      {campaigns.isPending && allowed ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {campaigns.isError ? <QueryError error={campaigns.error} onRetry={() => campaigns.refetch()} /> : null}
      {campaigns.data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="campaigns-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("campaigns.name")}</Table.Th>
                <Table.Th>{t("campaigns.status")}</Table.Th>
                <Table.Th>{t("campaigns.template")}</Table.Th>
                <Table.Th ta="right">{t("campaigns.audience")}</Table.Th>
                <Table.Th>{t("campaigns.progress")}</Table.Th>
                <Table.Th>{t("campaigns.created")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" ta="center" py="md">
                      {t("campaigns.empty")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                list.map((campaign) => (
                  <Table.Tr key={campaign.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/campaigns/${campaign.id}`} size="sm" fw={500}>
                        {campaign.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <CampaignStatusBadge status={campaign.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{templateName.get(campaign.templateId) ?? "…"}</Text>
                    </Table.Td>
                    <Table.Td ta="right">{campaign.audience ? formatNumber(campaign.audience.total) : "—"}</Table.Td>
                    <Table.Td>
                      <ProgressCell campaign={campaign} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{formatTime(campaign.createdAt)}</Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {campaigns.hasNextPage ? (
        <Button
          variant="subtle"
          size="xs"
          loading={campaigns.isFetchingNextPage}
          onClick={() => campaigns.fetchNextPage()}
        >
          {t("campaigns.more")}
        </Button>
      ) : null}
    </Stack>
  );
}
