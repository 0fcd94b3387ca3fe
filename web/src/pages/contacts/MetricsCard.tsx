import { Badge, Group, SimpleGrid, Text, Tooltip } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ContactMetrics, ContactProfile, HeatLevel } from "../../api/types";
import { formatDate, formatNumber, formatPercent, formatTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { Card } from "./Card";

const HEAT_COLOR: Record<HeatLevel, string> = { active: "red", quiet: "orange", silent: "blue", inactive: "gray" };

/** What Herald derives from the contact's orders and messages: order counts, value, frequency, heat, RFM. */
export function MetricsCard({
  metrics,
  frequency,
}: {
  metrics: ContactMetrics | null;
  frequency: ContactProfile["frequency"];
}) {
  const { t } = useTranslation();
  if (!metrics) {
    return (
      <Card title={t("metrics.title")}>
        <Text size="sm" c="dimmed">
          {t("metrics.notComputed")}
        </Text>
      </Card>
    );
  }
  const money = (minor: number) => formatMoney(minor, metrics.currency);
  const time = (ms: number | null) => (ms === null ? t("common.never") : formatDate(ms));
  const gap = frequency?.medianGapDays;

  return (
    <Card title={t("metrics.title")}>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="md" data-testid="contact-metrics">
        <Stat label={t("metrics.orders30d")}>{formatNumber(metrics.orders30d)}</Stat>
        <Stat label={t("metrics.orders90d")}>{formatNumber(metrics.orders90d)}</Stat>
        <Stat label={t("metrics.orders365d")}>{formatNumber(metrics.orders365d)}</Stat>
        <Stat label={t("metrics.ordersTotal")}>{formatNumber(metrics.ordersTotal)}</Stat>
        <Stat label={t("metrics.totalSpent")}>{money(metrics.totalSpent)}</Stat>
        <Stat label={t("metrics.spent365d")}>{money(metrics.spent365d)}</Stat>
        <Stat label={t("metrics.avgOrderValue")}>
          {metrics.avgOrderValue === null ? "—" : money(metrics.avgOrderValue)}
        </Stat>
        <Stat label={t("metrics.lastOrder")}>{time(metrics.lastOrderAt)}</Stat>
        <Stat label={t("metrics.frequency")}>
          <Tooltip
            label={
              typeof gap === "number"
                ? t("metrics.medianGap", { days: formatNumber(Math.round(gap * 10) / 10) })
                : t("metrics.noGap")
            }
          >
            <Badge variant="light">{t(`metrics.frequencyClass.${metrics.frequencyClass}`)}</Badge>
          </Tooltip>
        </Stat>
        <Stat label={t("metrics.heat")}>
          <Tooltip label={t(`metrics.heatHint.${metrics.heat}`)} multiline w={260}>
            <Badge variant="light" color={HEAT_COLOR[metrics.heat]}>
              {t(`metrics.heatLevel.${metrics.heat}`)}
            </Badge>
          </Tooltip>
        </Stat>
        <Stat label={t("metrics.lastInbound")}>{time(metrics.lastInboundAt)}</Stat>
        <Stat label={t("metrics.lastRead")}>{time(metrics.lastReadAt)}</Stat>
        <Stat label={t("metrics.readRate")}>
          {metrics.readRate === null ? t("metrics.nothingSent") : formatPercent(metrics.readRate)}
        </Stat>
        <Stat label={t("metrics.rfm")}>
          {metrics.rfm ? (
            <Tooltip label={t("metrics.rfmHint")} multiline w={260}>
              <Group gap={4} wrap="nowrap">
                <RfmScore letter="R" score={metrics.rfm.recency} />
                <RfmScore letter="F" score={metrics.rfm.frequency} />
                <RfmScore letter="M" score={metrics.rfm.monetary} />
              </Group>
            </Tooltip>
          ) : metrics.ordersTotal > 0 ? (
            t("metrics.rfmPending")
          ) : (
            t("metrics.noPurchases")
          )}
        </Stat>
        <Stat label={t("metrics.firstOrder")}>{time(metrics.firstOrderAt)}</Stat>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="md">
        {metrics.computedAt === null ? null : t("metrics.computedAt", { time: formatTime(metrics.computedAt) })}{" "}
        {metrics.foreignCurrencyOrders > 0
          ? t("metrics.foreignCurrency", { count: metrics.foreignCurrencyOrders, currency: metrics.currency })
          : null}
      </Text>
    </Card>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </div>
  );
}

function RfmScore({ letter, score }: { letter: string; score: number }) {
  return (
    <Badge size="sm" variant="outline" color={score >= 4 ? "teal" : score <= 2 ? "gray" : "blue"}>
      {letter}
      {score}
    </Badge>
  );
}
