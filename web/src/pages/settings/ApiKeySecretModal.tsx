import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { CreatedApiKey } from "../../api/types";

/**
 * Shows a new key's full secret, the only time it is ever visible: the server stores a hash. Closing by clicking
 * outside is off, so the key is not lost by a stray click.
 */
export function ApiKeySecretModal({ created, onClose }: { created: CreatedApiKey | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={created !== null}
      onClose={onClose}
      title={t("apiKeys.secretTitle")}
      closeOnClickOutside={false}
      centered
      size="lg"
    >
      {created ? (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
            {t("apiKeys.secretWarning")}
          </Alert>
          <Text size="sm" fw={500}>
            {t("apiKeys.secretLabel", { name: created.apiKey.name })}
          </Text>
          <Group gap="xs" wrap="nowrap" align="stretch">
            <Code
              block
              data-testid="api-key-secret"
              style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }}
            >
              {created.key}
            </Code>
            <CopyButton value={created.key}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? "light" : "filled"}
                  color={copied ? "teal" : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {copied ? t("common.copied") : t("apiKeys.copyKey")}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("apiKeys.done")}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
