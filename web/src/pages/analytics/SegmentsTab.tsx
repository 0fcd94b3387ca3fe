import { BarChart } from "@mantine/charts";
import { Card, Loader, MultiSelect, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { analyticsKey, compareSegments } from "../../api/analytics";
import { listSegments, segmentsKey } from "../../api/segments";
import { QueryError } from "../../components/QueryError";
import { money, pct, times } from "./format";

/** Chosen segments side by side: read, reply and conversion rates, lift against the base, cost per conversion. */
export function SegmentsTab({ from }: { from: number }) {
  const { t } = useTranslation();
  const segments = useQuery({ queryKey: [...segmentsKey, "list", "all"], queryFn: () => listSegments(null, 200) });
  const [chosen, setChosen] = useState<string[]>([]);
  useEffect(() => {
    if (chosen.length === 0 && segments.data) setChosen(segments.data.data.slice(0, 3).map((s) => s.id));
  }, [segments.data, chosen.length]);
  const compare = useQuery({
    queryKey: [...analyticsKey, "segments", chosen, from],
    queryFn: () => compareSegments(chosen, from),
    enabled: chosen.length > 0,
  });
  const c = compare.data;
  const pctNum = (v: number | null) => (v === null ? 0 : Math.round(v * 1000) / 10);
  return (
    <Stack gap="sm">
      <MultiSelect
        label={t("analytics.chooseSegments")}
        data={(segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        value={chosen}
        onChange={setChosen}
        maxValues={6}
        searchable
        maw={640}
      />
      {compare.isFetching && !c ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {compare.isError ? <QueryError error={compare.error} onRetry={() => compare.refetch()} /> : null}
      {c ? (
        <>
          <Card withBorder>
            <BarChart
              h={240}
              unit="%"
              data={[
                {
                  name: t("analytics.base"),
                  read: pctNum(c.base.readRate),
                  reply: pctNum(c.base.replyRate),
                  conversion: pctNum(c.base.conversionRate),
                },
                ...c.segments.map((s) => ({
                  name: s.name ?? s.id,
                  read: pctNum(s.readRate),
                  reply: pctNum(s.replyRate),
                  conversion: pctNum(s.conversionRate),
                })),
              ]}
              dataKey="name"
              series={[
                { name: "read", label: t("analytics.readRate"), color: "teal.6" },
                { name: "reply", label: t("analytics.replyRate"), color: "grape.6" },
                { name: "conversion", label: t("analytics.conversionRate"), color: "orange.6" },
              ]}
              withLegend
            />
          </Card>
          <Table.ScrollContainer minWidth={800}>
            <Table striped fz="sm" data-testid="segment-comparison">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("analytics.by.segment")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.readRate")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.replyRate")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.conversionRate")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.liftConversion")}</Table.Th>
                  <Table.Th ta="right">{t("analytics.costPerConversion")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td fw={600}>{t("analytics.base")}</Table.Td>
                  <Table.Td ta="right">{pct(c.base.readRate)}</Table.Td>
                  <Table.Td ta="right">{pct(c.base.replyRate)}</Table.Td>
                  <Table.Td ta="right">{pct(c.base.conversionRate)}</Table.Td>
                  <Table.Td ta="right">×1.00</Table.Td>
                  <Table.Td ta="right">{money(c.base.costPerConversion, c.segments[0]?.currency ?? "USD")}</Table.Td>
                </Table.Tr>
                {c.segments.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>{s.name ?? s.id}</Table.Td>
                    <Table.Td ta="right">
                      {pct(s.readRate)}{" "}
                      <Text span size="xs" c="dimmed">
                        {times(s.lift.readRate)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {pct(s.replyRate)}{" "}
                      <Text span size="xs" c="dimmed">
                        {times(s.lift.replyRate)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{pct(s.conversionRate)}</Table.Td>
                    <Table.Td ta="right">{times(s.lift.conversionRate)}</Table.Td>
                    <Table.Td ta="right">{money(s.costPerConversion, s.currency)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed">
            {t("analytics.segmentsNote")}
          </Text>
        </>
      ) : null}
    </Stack>
  );
}
