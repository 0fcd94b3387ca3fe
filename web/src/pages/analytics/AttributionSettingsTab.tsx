import { Button, Card, Group, Loader, NumberInput, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type AnalyticsSettings,
  analyticsKey,
  getAnalyticsSettings,
  updateAnalyticsSettings,
} from "../../api/analytics";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { notifyError, notifySuccess } from "../../lib/notify";

/** The attribution rule (window and touches) and the USD exchange rate for costs, shown and changeable. */
export function AttributionSettingsTab() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: [...analyticsKey, "settings"], queryFn: getAnalyticsSettings });
  const [windowDays, setWindowDays] = useState<number | string>(7);
  const [touches, setTouches] = useState<AnalyticsSettings["touches"]>("read_or_click");
  const [usdRate, setUsdRate] = useState<number | string>("");
  useEffect(() => {
    if (!settings.data) return;
    setWindowDays(settings.data.windowDays);
    setTouches(settings.data.touches);
    setUsdRate(settings.data.usdRate ?? "");
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      updateAnalyticsSettings({
        windowDays: Number(windowDays),
        touches,
        usdRate: usdRate === "" ? null : Number(usdRate),
      }),
    onSuccess: () => {
      notifySuccess(t("analytics.saved"));
      void client.invalidateQueries({ queryKey: analyticsKey });
    },
    onError: (error) => notifyError(errorMessage(t, error)),
  });
  if (settings.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (settings.isError) return <QueryError error={settings.error} onRetry={() => settings.refetch()} />;
  return (
    <Card withBorder maw={640}>
      <Stack gap="sm">
        <Text size="sm" data-testid="attribution-rule">
          {settings.data.rule}
        </Text>
        <Group grow>
          <NumberInput label={t("analytics.windowDays")} min={1} max={90} value={windowDays} onChange={setWindowDays} />
          <Select
            label={t("analytics.touches")}
            data={[
              { value: "read_or_click", label: t("analytics.touchKinds.read_or_click") },
              { value: "click", label: t("analytics.touchKinds.click") },
            ]}
            value={touches}
            onChange={(v) => v && setTouches(v as AnalyticsSettings["touches"])}
            allowDeselect={false}
          />
        </Group>
        <NumberInput
          label={t("analytics.usdRate", { currency: settings.data.baseCurrency })}
          description={t("analytics.usdRateHint")}
          min={0}
          decimalScale={4}
          value={usdRate}
          onChange={setUsdRate}
        />
        <Text size="xs" c="dimmed">
          {t("analytics.ruleChangeNote")}
        </Text>
        <Group justify="flex-end">
          <Button loading={save.isPending} onClick={() => save.mutate()}>
            {t("analytics.save")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
