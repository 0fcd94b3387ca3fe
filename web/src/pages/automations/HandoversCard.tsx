import { Anchor, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { handoversKey, listHandovers, resolveHandover } from "../../api/automation";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifyError } from "../../lib/notify";

/** Conversations rules handed to a person, oldest first, until the inbox takes them over. */
export function HandoversCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const handovers = useQuery({ queryKey: handoversKey, queryFn: listHandovers, refetchInterval: 10_000 });
  const resolve = useMutation({
    mutationFn: resolveHandover,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: handoversKey }),
    onError: (error) => notifyError(errorMessage(t, error)),
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={4}>{t("automations.handovers.title")}</Title>
        {handovers.isError ? <QueryError error={handovers.error} onRetry={() => handovers.refetch()} /> : null}
        {handovers.data?.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("automations.handovers.empty")}
          </Text>
        ) : null}
        {handovers.data?.slice(0, 10).map((h) => (
          <Group key={h.id} justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={0}>
              <Anchor component={Link} to={`/contacts/${h.contactId}`} size="sm">
                {h.contactName ?? h.phone}
              </Anchor>
              <Text size="xs" c="dimmed" lineClamp={1}>
                {h.text ?? "—"} · {h.ruleName ?? "—"} · {formatTime(h.createdAt)}
              </Text>
            </Stack>
            <Button size="compact-xs" variant="light" loading={resolve.isPending} onClick={() => resolve.mutate(h.id)}>
              {t("automations.handovers.resolve")}
            </Button>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
