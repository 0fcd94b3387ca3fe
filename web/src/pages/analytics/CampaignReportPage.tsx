import "@mantine/charts/styles.css";
import { FunnelChart, LineChart } from "@mantine/charts";
import { Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { analyticsKey, campaignCsvUrl, getCampaignReport } from "../../api/analytics";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { formatTime } from "../../lib/format";
import { count, money, pct, usd } from "./format";

const STAGE_COLORS = ["gray.5", "blue.4", "blue.6", "teal.5", "teal.7", "grape.5", "orange.6"];

/** One campaign's report: funnel, over time, failures with Meta's meaning, cost vs estimate, revenue and ROI. */
export function CampaignReportPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const report = useQuery({ queryKey: [...analyticsKey, "campaign", id], queryFn: () => getCampaignReport(id) });
  const r = report.data;
  return (
    <Stack gap="md">
      <PageHeader title={r ? r.campaign.name : t("analytics.campaignReport")} icon={sectionIcon("analytics")} />
      <Anchor component={Link} to="/analytics" size="sm">
        ← {t("analytics.back")}
      </Anchor>
      {report.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {report.isError ? <QueryError error={report.error} onRetry={() => report.refetch()} /> : null}
      {r ? (
        <>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t("analytics.asOf", { time: formatTime(r.refreshedAt) })}
            </Text>
            <Button
              component="a"
              href={campaignCsvUrl(r.campaign.id)}
              variant="light"
              size="xs"
              leftSection={<IconDownload size={14} />}
            >
              {t("analytics.exportCsv")}
            </Button>
          </Group>
          <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="campaign-kpis">
            <Kpi label={t("analytics.costActual")} value={usd(r.money.costMicroUsd)} />
            <Kpi label={t("analytics.costEstimate")} value={usd(r.estimateMicroUsd)} />
            <Kpi label={t("analytics.revenue")} value={money(r.money.revenue, r.money.currency)} />
            <Kpi label={t("analytics.roi")} value={pct(r.money.roi)} />
            <Kpi label={t("analytics.roiPerMessage")} value={money(r.money.roiPerMessage, r.money.currency)} />
            <Kpi label={t("analytics.readRate")} value={pct(r.rates.readRate)} />
            <Kpi label={t("analytics.replyRate")} value={pct(r.rates.replyRate)} />
            <Kpi label={t("analytics.conversionRate")} value={pct(r.rates.conversionRate)} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={3} size="h5" mb="sm">
                {t("analytics.funnel")}
              </Title>
              <FunnelChart
                data={r.funnel.map((s, i) => ({
                  name: t(`analytics.stages.${s.stage}`),
                  value: s.count,
                  color: STAGE_COLORS[i] ?? "gray",
                }))}
                withLabels
                size={240}
              />
              <Table mt="sm" fz="sm" data-testid="funnel-table">
                <Table.Tbody>
                  {r.funnel.map((s) => (
                    <Table.Tr key={s.stage}>
                      <Table.Td>{t(`analytics.stages.${s.stage}`)}</Table.Td>
                      <Table.Td ta="right">{count(s.count)}</Table.Td>
                      <Table.Td ta="right">{pct(s.rateOfSent)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="sm">
                {t("analytics.overTime")}
              </Title>
              <LineChart
                h={260}
                data={r.counts.hourly.map((b) => ({ ...b, label: formatTime(b.hour) }))}
                dataKey="label"
                series={[
                  { name: "sent", label: t("analytics.stages.sent"), color: "blue.4" },
                  { name: "delivered", label: t("analytics.stages.delivered"), color: "blue.7" },
                  { name: "read", label: t("analytics.stages.read"), color: "teal.6" },
                  { name: "replied", label: t("analytics.stages.replied"), color: "grape.6" },
                  { name: "clicked", label: t("analytics.stages.clicked"), color: "orange.6" },
                  { name: "converted", label: t("analytics.stages.converted"), color: "red.6" },
                ]}
                withLegend
                curveType="linear"
              />
            </Card>
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={3} size="h5" mb="sm">
                {t("analytics.failures")}
              </Title>
              <Table fz="sm">
                <Table.Tbody>
                  {r.failures.length === 0 ? (
                    <Table.Tr>
                      <Table.Td c="dimmed">{t("analytics.none")}</Table.Td>
                    </Table.Tr>
                  ) : (
                    r.failures.map((f) => (
                      <Table.Tr key={f.code}>
                        <Table.Td>{f.code}</Table.Td>
                        <Table.Td>{f.meaning}</Table.Td>
                        <Table.Td ta="right">{count(f.count)}</Table.Td>
                      </Table.Tr>
                    ))
                  )}
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="sm">
                {t("analytics.skipped")}
              </Title>
              <Table fz="sm">
                <Table.Tbody>
                  {Object.keys(r.counts.skipped).length === 0 ? (
                    <Table.Tr>
                      <Table.Td c="dimmed">{t("analytics.none")}</Table.Td>
                    </Table.Tr>
                  ) : (
                    Object.entries(r.counts.skipped).map(([reason, n]) => (
                      <Table.Tr key={reason}>
                        <Table.Td>{reason}</Table.Td>
                        <Table.Td ta="right">{count(n)}</Table.Td>
                      </Table.Tr>
                    ))
                  )}
                </Table.Tbody>
              </Table>
              <Text size="xs" c="dimmed" mt="sm">
                {r.rule}
              </Text>
            </Card>
          </SimpleGrid>
        </>
      ) : null}
    </Stack>
  );
}

/** A labelled figure. */
export function Kpi({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg" c={color}>
        {value}
      </Text>
    </Card>
  );
}
