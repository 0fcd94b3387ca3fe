import { Alert, Badge, Button, Code, Group, Loader, Modal, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconRefresh, IconSend } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  listWebhookDeliveries,
  redeliverParkedWebhooks,
  redeliverWebhook,
  sendTestWebhook,
  type WebhookDelivery,
  type WebhookSubscription,
  webhookDeliveriesKey,
  webhookSubscriptionsKey,
} from "../../api/webhook-subscriptions";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";

const STATUS_COLORS: Record<WebhookDelivery["status"], string> = { pending: "blue", delivered: "teal", parked: "red" };

/**
 * A subscription's delivery log: its latest events with their status, attempts, the receiver's last answer and the
 * next retry; a "send test event" button; re-delivery of one event or of every parked one. Refreshes every 5 s.
 */
export function WebhookDeliveriesModal({
  subscription,
  onClose,
}: {
  subscription: WebhookSubscription | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const id = subscription?.id ?? "";
  const [open, setOpen] = useState<string | null>(null);
  const deliveries = useQuery({
    queryKey: webhookDeliveriesKey(id),
    queryFn: () => listWebhookDeliveries(id),
    enabled: subscription !== null,
    refetchInterval: 5_000,
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: webhookDeliveriesKey(id) });
    await queryClient.invalidateQueries({ queryKey: webhookSubscriptionsKey });
  };
  const test = useMutation({ mutationFn: () => sendTestWebhook(id), onSuccess: refresh });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) => redeliverWebhook(id, deliveryId),
    onSuccess: async () => {
      await refresh();
      notifySuccess(t("webhooks.redeliverQueued"));
    },
  });
  const redeliverParked = useMutation({
    mutationFn: () => redeliverParkedWebhooks(id),
    onSuccess: async ({ requeued }) => {
      await refresh();
      notifySuccess(t("webhooks.redeliverParkedDone", { count: requeued }));
    },
  });

  const rows = (deliveries.data ?? []).map((d) => (
    <Table.Tr key={d.id} data-testid={`webhook-delivery-${d.id}`}>
      <Table.Td>
        <Code
          style={{ cursor: "pointer" }}
          onClick={() => setOpen(open === d.id ? null : d.id)}
          title={t("webhooks.showData")}
        >
          {d.type}
        </Code>
        {open === d.id ? (
          <Code block mt={4} style={{ maxWidth: 420, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
            {JSON.stringify({ id: d.eventId, data: d.data }, null, 2)}
          </Code>
        ) : null}
      </Table.Td>
      <Table.Td>{formatTime(d.occurredAt)}</Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLORS[d.status]} variant="light">
          {t(`webhooks.deliveryStatus.${d.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>{d.attempts}</Table.Td>
      <Table.Td>
        {d.lastStatusCode ?? (d.lastError ? "—" : "")}
        {d.lastError ? (
          <Text size="xs" c="red" lineClamp={2} maw={220} title={d.lastError}>
            {d.lastError}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{d.nextAttemptAt === null ? "" : formatTime(d.nextAttemptAt)}</Table.Td>
      <Table.Td ta="right">
        {d.status !== "pending" ? (
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => redeliver.mutate(d.id)}
            loading={redeliver.isPending && redeliver.variables === d.id}
          >
            {t("webhooks.redeliver")}
          </Button>
        ) : null}
      </Table.Td>
    </Table.Tr>
  ));

  return (
    <Modal
      opened={subscription !== null}
      onClose={onClose}
      title={t("webhooks.deliveriesTitle", { name: subscription?.name ?? "" })}
      closeButtonProps={{ "aria-label": t("common.close") }}
      size="80rem"
      centered
    >
      <Stack>
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {subscription?.url}
          </Text>
          <Group gap="xs">
            {subscription && subscription.parked > 0 ? (
              <Button
                variant="light"
                color="orange"
                leftSection={<IconRefresh size={16} />}
                loading={redeliverParked.isPending}
                onClick={() => redeliverParked.mutate()}
              >
                {t("webhooks.redeliverParked", { count: subscription.parked })}
              </Button>
            ) : null}
            <Tooltip label={t("webhooks.testHelp")}>
              <Button leftSection={<IconSend size={16} />} loading={test.isPending} onClick={() => test.mutate()}>
                {t("webhooks.sendTest")}
              </Button>
            </Tooltip>
          </Group>
        </Group>
        {test.data ? (
          <Alert color={test.data.status === "delivered" ? "teal" : "red"} data-testid="webhook-test-result">
            {test.data.status === "delivered"
              ? t("webhooks.testOk", { code: test.data.lastStatusCode, ms: test.data.durationMs })
              : t("webhooks.testFailed", { error: test.data.lastError ?? "", ms: test.data.durationMs })}
          </Alert>
        ) : null}
        {test.isError ? <Alert color="red">{errorMessage(t, test.error)}</Alert> : null}
        {redeliver.isError ? <Alert color="red">{errorMessage(t, redeliver.error)}</Alert> : null}
        {deliveries.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
        {deliveries.isError ? <QueryError error={deliveries.error} onRetry={() => deliveries.refetch()} /> : null}
        {deliveries.data ? (
          <Table.ScrollContainer minWidth={900}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("webhooks.event")}</Table.Th>
                  <Table.Th>{t("webhooks.occurredAt")}</Table.Th>
                  <Table.Th>{t("common.status")}</Table.Th>
                  <Table.Th>{t("webhooks.attempts")}</Table.Th>
                  <Table.Th>{t("webhooks.lastAnswer")}</Table.Th>
                  <Table.Th>{t("webhooks.nextRetry")}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.length > 0 ? (
                  rows
                ) : (
                  <Table.Tr>
                    <Table.Td colSpan={7}>
                      <Text c="dimmed" ta="center" py="md">
                        {t("webhooks.noDeliveries")}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
    </Modal>
  );
}
