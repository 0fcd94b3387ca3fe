import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { WebhookSubscriptionWithSecret } from "../../api/webhook-subscriptions";

/** Shows a subscription's signing secret, the only time it is visible (the server keeps it sealed). */
export function WebhookSecretModal({
  created,
  onClose,
}: {
  created: WebhookSubscriptionWithSecret | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={created !== null}
      onClose={onClose}
      title={t("webhooks.secretTitle")}
      closeOnClickOutside={false}
      centered
      size="lg"
    >
      {created ? (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
            {t("webhooks.secretWarning")}
          </Alert>
          <Text size="sm" fw={500}>
            {t("webhooks.secretLabel", { name: created.subscription.name })}
          </Text>
          <Group gap="xs" wrap="nowrap" align="stretch">
            <Code
              block
              data-testid="webhook-secret"
              style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }}
            >
              {created.secret}
            </Code>
            <CopyButton value={created.secret}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? "light" : "filled"}
                  color={copied ? "teal" : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {copied ? t("common.copied") : t("common.copy")}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            {t("webhooks.secretHow")}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("webhooks.secretDone")}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
