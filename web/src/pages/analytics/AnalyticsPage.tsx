import "@mantine/charts/styles.css";
import { Button, Group, SegmentedControl, Stack, Tabs, Text } from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { analyticsKey, refreshAnalytics } from "../../api/analytics";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { AttributionSettingsTab } from "./AttributionSettingsTab";
import { CampaignsTab } from "./CampaignsTab";
import { CustomerValueTab } from "./CustomerValueTab";
import { DAY_MS } from "./format";
import { SegmentsTab } from "./SegmentsTab";
import { SendersTab } from "./SendersTab";
import { SendTimesTab } from "./SendTimesTab";

/** Analytics: campaigns and attribution, segments, send times, sender health, customer value, the attribution rule. */
export function AnalyticsPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState("90");
  const [now] = useState(() => Date.now());
  const from = now - Number(days) * DAY_MS;
  const client = useQueryClient();
  const refresh = useMutation({
    mutationFn: refreshAnalytics,
    onSuccess: () => client.invalidateQueries({ queryKey: analyticsKey }),
  });
  return (
    <Stack gap="md">
      <PageHeader title={t("nav.analytics")} icon={sectionIcon("analytics")} description={t("analytics.intro")} />
      <Group justify="space-between">
        <Group gap="xs">
          <Text size="sm">{t("analytics.period")}</Text>
          <SegmentedControl
            size="xs"
            value={days}
            onChange={setDays}
            data={["30", "90", "365"].map((d) => ({ value: d, label: t("analytics.lastDays", { count: Number(d) }) }))}
          />
        </Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconRefresh size={14} />}
          loading={refresh.isPending}
          onClick={() => refresh.mutate()}
        >
          {t("analytics.refresh")}
        </Button>
      </Group>
      <Tabs defaultValue="campaigns" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="campaigns">{t("analytics.tabs.campaigns")}</Tabs.Tab>
          <Tabs.Tab value="segments">{t("analytics.tabs.segments")}</Tabs.Tab>
          <Tabs.Tab value="sendTimes">{t("analytics.tabs.sendTimes")}</Tabs.Tab>
          <Tabs.Tab value="senders">{t("analytics.tabs.senders")}</Tabs.Tab>
          <Tabs.Tab value="value">{t("analytics.tabs.value")}</Tabs.Tab>
          <Tabs.Tab value="settings">{t("analytics.tabs.settings")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="campaigns" pt="md">
          <CampaignsTab from={from} />
        </Tabs.Panel>
        <Tabs.Panel value="segments" pt="md">
          <SegmentsTab from={from} />
        </Tabs.Panel>
        <Tabs.Panel value="sendTimes" pt="md">
          <SendTimesTab from={from} />
        </Tabs.Panel>
        <Tabs.Panel value="senders" pt="md">
          <SendersTab />
        </Tabs.Panel>
        <Tabs.Panel value="value" pt="md">
          <CustomerValueTab />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <AttributionSettingsTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
