import { Anchor, Badge, Button, Group, Loader, Stack, Switch, Table, Text, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconWebhook } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  deleteWebhookSubscription,
  listWebhookSubscriptions,
  rotateWebhookSecret,
  updateWebhookSubscription,
  type WebhookSubscription,
  type WebhookSubscriptionWithSecret,
  webhookSubscriptionsKey,
} from "../../api/webhook-subscriptions";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { WebhookDeliveriesModal } from "./WebhookDeliveriesModal";
import { EVENT_TYPE_LABELS, WebhookFormModal } from "./WebhookFormModal";
import { WebhookSecretModal } from "./WebhookSecretModal";

/** The health of a subscription in one badge: off, backing off after failures, events parked, or fine. */
function HealthBadge({ s }: { s: WebhookSubscription }) {
  const { t } = useTranslation();
  if (!s.enabled)
    return (
      <Badge color="gray" variant="light">
        {t("webhooks.disabled")}
      </Badge>
    );
  if (s.holdUntil !== null)
    return (
      <Badge color="orange" variant="light" title={s.lastError ?? ""}>
        {t("webhooks.retrying", { time: formatTime(s.holdUntil) })}
      </Badge>
    );
  if (s.parked > 0)
    return (
      <Badge color="red" variant="light">
        {t("webhooks.parkedCount", { count: s.parked })}
      </Badge>
    );
  return (
    <Badge color="teal" variant="light">
      {t("webhooks.healthy")}
    </Badge>
  );
}

/**
 * Outbound webhooks to a CRM (issue 6): admins add an endpoint, pick the events it receives, see each
 * subscription's delivery log and send a test event. The signing secret is shown once, at creation or rotation.
 */
export function WebhooksTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const subscriptions = useQuery({
    queryKey: webhookSubscriptionsKey,
    queryFn: listWebhookSubscriptions,
    refetchInterval: 10_000,
  });
  const [formOpened, form] = useDisclosure();
  const [editing, setEditing] = useState<WebhookSubscription | null>(null);
  const [secret, setSecret] = useState<WebhookSubscriptionWithSecret | null>(null);
  const [log, setLog] = useState<WebhookSubscription | null>(null);
  const [toDelete, setToDelete] = useState<WebhookSubscription | null>(null);
  const [toRotate, setToRotate] = useState<WebhookSubscription | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: webhookSubscriptionsKey });

  const toggle = useMutation({
    mutationFn: (s: WebhookSubscription) => updateWebhookSubscription(s.id, { enabled: !s.enabled }),
    onSuccess: invalidate,
  });
  const remove = useMutation({
    mutationFn: (s: WebhookSubscription) => deleteWebhookSubscription(s.id),
    onSuccess: async (_nothing, s) => {
      await invalidate();
      notifySuccess(t("webhooks.deletedToast", { name: s.name }));
      setToDelete(null);
    },
  });
  const rotate = useMutation({
    mutationFn: (s: WebhookSubscription) => rotateWebhookSecret(s.id),
    onSuccess: async (created) => {
      await invalidate();
      setToRotate(null);
      setSecret(created);
    },
  });

  const rows = (subscriptions.data ?? []).map((s) => (
    <Table.Tr key={s.id} data-testid={`webhook-row-${s.id}`}>
      <Table.Td>
        <Text fw={500}>{s.name}</Text>
        <Text size="xs" c="dimmed" style={{ wordBreak: "break-all" }}>
          {s.url}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{s.events.map((e) => t(EVENT_TYPE_LABELS[e])).join(", ")}</Text>
      </Table.Td>
      <Table.Td>
        <HealthBadge s={s} />
      </Table.Td>
      <Table.Td>
        {s.lastAttemptAt === null ? t("common.never") : formatTime(s.lastAttemptAt)}
        {s.lastStatusCode ? (
          <Text size="xs" c="dimmed">
            HTTP {s.lastStatusCode}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{s.pending}</Table.Td>
      <Table.Td>
        <Switch
          checked={s.enabled}
          aria-label={`${t("webhooks.enabled")} ${s.name}`}
          onChange={() => toggle.mutate(s)}
        />
      </Table.Td>
      <Table.Td ta="right">
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button size="compact-sm" variant="light" onClick={() => setLog(s)}>
            {t("webhooks.deliveries")}
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => {
              setEditing(s);
              form.open();
            }}
          >
            {t("webhooks.edit")}
          </Button>
          <Button size="compact-sm" variant="subtle" onClick={() => setToRotate(s)}>
            {t("webhooks.rotate")}
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            color="red"
            aria-label={`${t("common.delete")} ${s.name}`}
            onClick={() => {
              remove.reset();
              setToDelete(s);
            }}
          >
            {t("common.delete")}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  ));

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={720}>
          {t("webhooks.intro")}{" "}
          <Anchor href="/docs" target="_blank" size="sm">
            {t("webhooks.apiDocs")}
          </Anchor>
        </Text>
        <Button
          leftSection={<IconWebhook size={16} />}
          onClick={() => {
            setEditing(null);
            form.open();
          }}
        >
          {t("webhooks.add")}
        </Button>
      </Group>
      {toggle.isError ? <Text c="red">{errorMessage(t, toggle.error)}</Text> : null}
      {subscriptions.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {subscriptions.isError ? (
        <QueryError error={subscriptions.error} onRetry={() => subscriptions.refetch()} />
      ) : null}
      {subscriptions.data ? (
        <Table.ScrollContainer minWidth={960}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("webhooks.endpoint")}</Table.Th>
                <Table.Th>{t("webhooks.events")}</Table.Th>
                <Table.Th>{t("common.status")}</Table.Th>
                <Table.Th>{t("webhooks.lastAttempt")}</Table.Th>
                <Table.Th>{t("webhooks.pending")}</Table.Th>
                <Table.Th>{t("webhooks.enabled")}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t("common.actions")}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length > 0 ? (
                rows
              ) : (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="md">
                      {t("webhooks.empty")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}

      <WebhookFormModal opened={formOpened} editing={editing} onClose={form.close} onCreated={setSecret} />
      <WebhookSecretModal created={secret} onClose={() => setSecret(null)} />
      <WebhookDeliveriesModal
        subscription={log === null ? null : (subscriptions.data?.find((s) => s.id === log.id) ?? log)}
        onClose={() => setLog(null)}
      />
      <ConfirmDialog
        opened={toDelete !== null}
        title={t("webhooks.deleteTitle")}
        message={t("webhooks.deleteConfirm", { name: toDelete?.name ?? "" })}
        confirmLabel={t("common.delete")}
        loading={remove.isPending}
        error={remove.isError ? errorMessage(t, remove.error) : null}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        onClose={() => setToDelete(null)}
      />
      <ConfirmDialog
        opened={toRotate !== null}
        title={t("webhooks.rotateTitle")}
        message={t("webhooks.rotateConfirm", { name: toRotate?.name ?? "" })}
        confirmLabel={t("webhooks.rotate")}
        loading={rotate.isPending}
        error={rotate.isError ? errorMessage(t, rotate.error) : null}
        onConfirm={() => toRotate && rotate.mutate(toRotate)}
        onClose={() => setToRotate(null)}
      />
    </Stack>
  );
}
