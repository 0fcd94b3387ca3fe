import { Alert, Badge, Card, Group, Loader, Progress, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { analyticsKey, getSenderHealth } from "../../api/analytics";
import { QueryError } from "../../components/QueryError";
import { formatDate } from "../../lib/format";
import { count, pct } from "./format";

const QUALITY_COLORS: Record<string, string> = { GREEN: "teal", YELLOW: "yellow", RED: "red", UNKNOWN: "gray" };

/** Per sender number: reply rate (warning under 5 %), blocks and opt-outs, quality history, tier use today. */
export function SendersTab() {
  const { t } = useTranslation();
  const report = useQuery({ queryKey: [...analyticsKey, "senders"], queryFn: getSenderHealth });
  if (report.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (report.isError) return <QueryError error={report.error} onRetry={() => report.refetch()} />;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t("analytics.sendersIntro", { days: report.data.days })}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {report.data.senders.map((s) => (
          <Card withBorder key={s.id} data-testid="sender-health">
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                {s.name}{" "}
                <Text span c="dimmed" size="sm">
                  {s.phone}
                </Text>
              </Title>
              <Badge color={QUALITY_COLORS[s.qualityRating] ?? "gray"}>{s.qualityRating}</Badge>
            </Group>
            {s.warnings.map((w) => (
              <Alert key={w} color="orange" icon={<IconAlertTriangle size={16} />} mb="xs" p="xs">
                {t(`analytics.warnings.${w}`)}
              </Alert>
            ))}
            <SimpleGrid cols={3}>
              <Figure label={t("analytics.replyRate24h")} value={pct(s.replyRate)} />
              <Figure label={t("analytics.blockRate")} value={pct(s.blockRate)} />
              <Figure label={t("analytics.optOutRate")} value={pct(s.optOutRate)} />
            </SimpleGrid>
            <Text size="sm" mt="sm">
              {t("analytics.tierUse", {
                tier: s.messagingTier,
                used: count(s.usedToday),
                limit: s.tierLimit === null ? "∞" : count(s.tierLimit),
              })}
            </Text>
            {s.tierLimit !== null ? <Progress value={Math.min(100, (s.usedToday / s.tierLimit) * 100)} mt={4} /> : null}
            <Text size="xs" c="dimmed" mt="sm">
              {t("analytics.qualityHistory")}
            </Text>
            <Group gap={4} mt={4}>
              {s.qualityHistory.map((h) => (
                <Badge key={h.at} variant="light" color={QUALITY_COLORS[h.qualityRating] ?? "gray"} size="sm">
                  {formatDate(h.at)} · {h.qualityRating} · {h.messagingTier}
                </Badge>
              ))}
            </Group>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
}
