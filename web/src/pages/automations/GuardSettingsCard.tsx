import { Button, Group, NumberInput, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type GuardSettings, getGuardSettings, guardSettingsKey, putGuardSettings } from "../../api/automation";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { notifyError, notifySuccess } from "../../lib/notify";

/** The loop and flood guards: replies per contact per hour, and the burst that means a loop with another bot. */
export function GuardSettingsCard({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: guardSettingsKey, queryFn: getGuardSettings });
  const [form, setForm] = useState<GuardSettings | null>(null);
  useEffect(() => {
    if (settings.data) setForm(settings.data);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: putGuardSettings,
    onSuccess: (data) => {
      queryClient.setQueryData(guardSettingsKey, data);
      notifySuccess(t("automations.guards.saved"));
    },
    onError: (error) => notifyError(errorMessage(t, error)),
  });
  const field = (key: keyof GuardSettings, label: string, max: number) => (
    <NumberInput
      label={label}
      min={1}
      max={max}
      disabled={!canWrite}
      value={form?.[key] ?? 1}
      onChange={(v) => form && setForm({ ...form, [key]: typeof v === "number" ? v : Number(v) || 1 })}
    />
  );

  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={4}>{t("automations.guards.title")}</Title>
        <Text size="sm" c="dimmed">
          {t("automations.guards.intro")}
        </Text>
        {settings.isError ? <QueryError error={settings.error} onRetry={() => settings.refetch()} /> : null}
        {form ? (
          <>
            {field("maxRepliesPerHour", t("automations.guards.perHour"), 1000)}
            <Group grow>
              {field("loopMaxReplies", t("automations.guards.loopMax"), 100)}
              {field("loopWindowMinutes", t("automations.guards.loopWindow"), 1440)}
            </Group>
            {canWrite ? (
              <Group>
                <Button size="xs" loading={save.isPending} onClick={() => save.mutate(form)}>
                  {t("automations.guards.save")}
                </Button>
              </Group>
            ) : null}
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
