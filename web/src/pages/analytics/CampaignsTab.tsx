import { BarChart } from "@mantine/charts";
import { Anchor, Card, Loader, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { analyticsKey, getAttribution } from "../../api/analytics";
import { QueryError } from "../../components/QueryError";
import { count, money, pct } from "./format";

type By = "campaign" | "template" | "segment";

/** Revenue, conversion rate, cost and ROI per campaign, template or segment; campaigns link to their report. */
export function CampaignsTab({ from }: { from: number }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<By>("campaign");
  const report = useQuery({
    queryKey: [...analyticsKey, "attribution", by, from],
    queryFn: () => getAttribution(by, from),
  });
  const rows = report.data?.rows ?? [];
  const currency = rows[0]?.money.currency ?? "USD";
  return (
    <Stack gap="sm">
      <SegmentedControl
        size="xs"
        w="fit-content"
        value={by}
        onChange={(v) => setBy(v as By)}
        data={(["campaign", "template", "segment"] as const).map((v) => ({ value: v, label: t(`analytics.by.${v}`) }))}
      />
      {report.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {report.isError ? <QueryError error={report.error} onRetry={() => report.refetch()} /> : null}
      {report.data ? (
        <>
          {rows.length > 0 ? (
            <Card withBorder>
              <BarChart
                h={220}
                data={rows.slice(0, 12).map((r) => ({
                  name: r.name ?? t("analytics.noSegment"),
                  revenue: r.money.revenue,
                  cost: r.money.cost ?? 0,
                }))}
                dataKey="name"
                series={[
                  { name: "revenue", label: t("analytics.revenue"), color: "teal.6" },
                  { name: "cost", label: t("analytics.cost"), color: "red.5" },
                ]}
                withLegend
              />
            </Card>
          ) : null}
          <Table.ScrollContainer minWidth={800}>
            <Table striped fz="sm" data-testid="attribution-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t(`analytics.by.${by}`)}</Table.Th>
                  <Table.Th ta="right">{t("analytics.stages.sent")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.readRate")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.replyRate")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.clickRate")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.conversionRate")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.revenue")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.cost")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.roi")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={9}>
                      <Text c="dimmed" ta="center" py="md">
                        {t("analytics.empty")}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  rows.map((r) => (
                    <Table.Tr key={r.id ?? "none"}>
                      <Table.Td>
                        {by === "campaign" && r.id ? (
                          <Anchor component={Link} to={`/analytics/campaigns/${r.id}`} size="sm">
                            {r.name}
                          </Anchor>
                        ) : (
                          (r.name ?? t("analytics.noSegment"))
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{count(r.sent)}</Table.Td>
                      <Table.Td ta="right">{pct(r.rates.readRate)}</Table.Td>
                      <Table.Td ta="right">{pct(r.rates.replyRate)}</Table.Td>
                      <Table.Td ta="right">{pct(r.rates.clickRate)}</Table.Td>
                      <Table.Td ta="right">{pct(r.rates.conversionRate)}</Table.Td>
                      <Table.Td ta="right">{money(r.money.revenue, currency)}</Table.Td>
                      <Table.Td ta="right">{money(r.money.cost, currency)}</Table.Td>
                      <Table.Td ta="right">{pct(r.money.roi)}</Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed">
            {report.data.rule}
          </Text>
        </>
      ) : null}
    </Stack>
  );
}
