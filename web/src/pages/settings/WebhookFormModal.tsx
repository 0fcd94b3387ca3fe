import { Alert, Button, Checkbox, Group, Modal, SimpleGrid, Stack, Switch, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import {
  createWebhookSubscription,
  updateWebhookSubscription,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  type WebhookSubscription,
  type WebhookSubscriptionWithSecret,
  webhookSubscriptionsKey,
} from "../../api/webhook-subscriptions";
import { errorMessage, fieldErrors } from "../../lib/errors";

const FIELDS = ["name", "url", "events"] as const;

/** The translation key of each event type's label. */
export const EVENT_TYPE_LABELS = {
  "message.status_changed": "webhooks.eventTypes.message_status_changed",
  "message.received": "webhooks.eventTypes.message_received",
  "contact.opted_out": "webhooks.eventTypes.contact_opted_out",
  "contact.opted_in": "webhooks.eventTypes.contact_opted_in",
  "campaign.started": "webhooks.eventTypes.campaign_started",
  "campaign.completed": "webhooks.eventTypes.campaign_completed",
  "template.status_changed": "webhooks.eventTypes.template_status_changed",
  "sender.quality_changed": "webhooks.eventTypes.sender_quality_changed",
} as const satisfies Record<WebhookEventType, string>;

/**
 * Creates a subscription (then hands the one-time secret to `onCreated`) or edits one (`editing`): name, endpoint
 * URL, the events it receives, and whether it is on.
 */
export function WebhookFormModal({
  opened,
  editing,
  onClose,
  onCreated,
}: {
  opened: boolean;
  editing: WebhookSubscription | null;
  onClose: () => void;
  onCreated: (created: WebhookSubscriptionWithSecret) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: "", url: "", events: [] as WebhookEventType[], enabled: true },
    validate: {
      name: (v) => (v.trim() ? null : t("webhooks.nameRequired")),
      url: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? null : t("webhooks.urlInvalid")),
      events: (v) => (v.length > 0 ? null : t("webhooks.eventsRequired")),
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the modal opens for another subscription
  useEffect(() => {
    if (!opened) return;
    form.setValues(
      editing
        ? { name: editing.name, url: editing.url, events: editing.events, enabled: editing.enabled }
        : { name: "", url: "", events: ["message.status_changed", "contact.opted_out"], enabled: true },
    );
    form.resetDirty();
    save.reset();
  }, [opened, editing?.id]);

  const save = useMutation({
    mutationFn: async (values: typeof form.values) => {
      const input = { ...values, name: values.name.trim(), url: values.url.trim() };
      if (editing) {
        await updateWebhookSubscription(editing.id, input);
        return null;
      }
      return createWebhookSubscription(input);
    },
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: webhookSubscriptionsKey });
      onClose();
      if (created) onCreated(created);
    },
    onError: (error) => {
      const { "": _other, ...byField } = fieldErrors(error, FIELDS);
      form.setErrors(byField);
    },
  });

  const otherError =
    save.error && !(save.error instanceof ApiError && Object.keys(fieldErrors(save.error, FIELDS)).length > 0)
      ? errorMessage(t, save.error)
      : null;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={editing ? t("webhooks.editTitle", { name: editing.name }) : t("webhooks.createTitle")}
      closeButtonProps={{ "aria-label": t("common.close") }}
      size="lg"
      centered
    >
      <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
        <Stack>
          <TextInput
            label={t("webhooks.name")}
            placeholder={t("webhooks.namePlaceholder")}
            required
            {...form.getInputProps("name")}
          />
          <TextInput
            label={t("webhooks.url")}
            description={t("webhooks.urlHelp")}
            placeholder="https://crm.example.com/herald"
            required
            {...form.getInputProps("url")}
          />
          <Checkbox.Group label={t("webhooks.events")} required {...form.getInputProps("events")}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
              {WEBHOOK_EVENT_TYPES.map((type) => (
                <Checkbox key={type} value={type} label={t(EVENT_TYPE_LABELS[type])} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Switch label={t("webhooks.enabled")} {...form.getInputProps("enabled", { type: "checkbox" })} />
          {otherError ? <Alert color="red">{otherError}</Alert> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing ? t("webhooks.save") : t("webhooks.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
