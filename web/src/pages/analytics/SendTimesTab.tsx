import { MatrixChart } from "@mantine/charts";
import { Card, Group, Loader, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { analyticsKey, getSendTimes } from "../../api/analytics";
import { listSegments, segmentsKey } from "../../api/segments";
import { QueryError } from "../../components/QueryError";

const HOURS = Array.from({ length: 24 }, (_, h) => String(h));

/** Reads and replies by weekday × hour in recipients' local time, for one segment or all. */
export function SendTimesTab({ from }: { from: number }) {
  const { t } = useTranslation();
  const segments = useQuery({ queryKey: [...segmentsKey, "list", "all"], queryFn: () => listSegments(null, 200) });
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const report = useQuery({
    queryKey: [...analyticsKey, "send-times", segmentId, from],
    queryFn: () => getSendTimes(segmentId, from),
  });
  const days = t("analytics.weekdays").split(",");
  const matrix = (cells: number[]) =>
    cells.map((value, i) => ({ x: String(i % 24), y: days[Math.floor(i / 24)] ?? "", value }));
  return (
    <Stack gap="sm">
      <Select
        label={t("analytics.by.segment")}
        placeholder={t("analytics.allContacts")}
        clearable
        data={(segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        value={segmentId}
        onChange={setSegmentId}
        maw={360}
      />
      {report.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {report.isError ? <QueryError error={report.error} onRetry={() => report.refetch()} /> : null}
      {report.data ? (
        <>
          <Group>
            <Text size="sm" data-testid="best-hour">
              {report.data.bestHour === null
                ? t("analytics.bestHourUnknown")
                : t("analytics.bestHour", { hour: report.data.bestHour })}
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {(["reads", "replies"] as const).map((kind) => (
              <Card withBorder key={kind}>
                <Title order={3} size="h5" mb="sm">
                  {t(`analytics.heatmap.${kind}`)}
                </Title>
                <MatrixChart
                  data={matrix(report.data.heatmap[kind])}
                  xLabels={HOURS}
                  yLabels={days}
                  withXLabels
                  withYLabels
                  xLabelsRotation={0}
                  xLabelsHeight={24}
                  yLabelsWidth={40}
                  cellSize={18}
                  withTooltip
                  getTooltipLabel={(c) => `${c.y} ${c.x}:00 — ${c.value ?? 0}`}
                  withLegend
                  legendLabels={[t("analytics.less"), t("analytics.more")]}
                />
              </Card>
            ))}
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t("analytics.sendTimesNote")}
          </Text>
        </>
      ) : null}
    </Stack>
  );
}
