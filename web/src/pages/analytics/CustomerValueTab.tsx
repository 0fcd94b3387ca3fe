import { BarChart, LineChart } from "@mantine/charts";
import { Card, Loader, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { analyticsKey, getCustomerValue } from "../../api/analytics";
import { QueryError } from "../../components/QueryError";
import { formatTime } from "../../lib/format";
import { currencyDigits } from "../../lib/money";
import { count, money, pct } from "./format";

const OFFSETS = Array.from({ length: 12 }, (_, k) => `+${k}`);

/** Monthly LTV review, engaged-on-WhatsApp customers against the rest, and first-order cohorts. */
export function CustomerValueTab() {
  const { t } = useTranslation();
  const report = useQuery({ queryKey: [...analyticsKey, "customer-value"], queryFn: getCustomerValue });
  if (report.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (report.isError) return <QueryError error={report.error} onRetry={() => report.refetch()} />;
  const v = report.data;
  const major = (minor: number | null) => (minor === null ? 0 : minor / 10 ** currencyDigits(v.currency));
  return (
    <Stack gap="sm">
      <Text size="xs" c="dimmed">
        {t("analytics.asOf", { time: formatTime(v.computedAt) })}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t("analytics.ltvReview")}
          </Title>
          <LineChart
            h={220}
            data={v.months.map((m) => ({ month: m.month, ltv: major(m.ltv), revenue: major(m.revenue) }))}
            dataKey="month"
            series={[{ name: "ltv", label: t("analytics.ltv"), color: "teal.6" }]}
          />
          <BarChart
            h={160}
            mt="sm"
            data={v.months.map((m) => ({ month: m.month, revenue: major(m.revenue) }))}
            dataKey="month"
            series={[{ name: "revenue", label: t("analytics.revenue"), color: "blue.5" }]}
          />
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t("analytics.engagedVsRest")}
          </Title>
          <Table fz="sm" data-testid="engaged-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th ta="right">{t("analytics.customers")}</Table.Th>
                <Table.Th ta="right">{t("analytics.repurchaseRate")}</Table.Th>
                <Table.Th ta="right">{t("analytics.yearlySpend")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(["engaged", "others"] as const).map((k) => (
                <Table.Tr key={k}>
                  <Table.Td>{t(`analytics.groups.${k}`)}</Table.Td>
                  <Table.Td ta="right">{count(v[k].customers)}</Table.Td>
                  <Table.Td ta="right">{pct(v[k].repurchaseRate)}</Table.Td>
                  <Table.Td ta="right">{money(v[k].yearlySpend, v.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt="sm">
            {t("analytics.engagedNote")}
          </Text>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={3} size="h5" mb="sm">
          {t("analytics.cohorts")}
        </Title>
        <Table.ScrollContainer minWidth={800}>
          <Table fz="xs" data-testid="cohort-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("analytics.cohort")}</Table.Th>
                <Table.Th ta="right">{t("analytics.customers")}</Table.Th>
                {OFFSETS.map((o) => (
                  <Table.Th key={o} ta="right">
                    {o}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {v.cohorts.map((c) => (
                <Table.Tr key={c.cohort}>
                  <Table.Td>{c.cohort}</Table.Td>
                  <Table.Td ta="right">{count(c.size)}</Table.Td>
                  {OFFSETS.map((o, k) => {
                    const r = c.retention[k];
                    return (
                      <Table.Td
                        key={o}
                        ta="right"
                        style={r === undefined ? undefined : { background: `rgba(18, 184, 134, ${Math.min(0.85, r)})` }}
                      >
                        {r === undefined ? "" : pct(r)}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}
