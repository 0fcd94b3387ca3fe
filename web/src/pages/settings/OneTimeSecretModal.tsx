import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** What a one-time secret dialog shows; `secret` null keeps it closed. */
export interface OneTimeSecret {
  title: string;
  warning: string;
  label: string;
  secret: string;
  testId: string;
  copyLabel: string;
  doneLabel: string;
  /** Shown under the secret (how to use it). */
  footnote?: ReactNode;
}

/**
 * Shows a secret the server will never return again (an API key, a webhook signing secret). Closing by clicking
 * outside is off, so the secret is not lost by a stray click.
 */
export function OneTimeSecretModal({ shown, onClose }: { shown: OneTimeSecret | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={shown !== null}
      onClose={onClose}
      title={shown?.title}
      closeOnClickOutside={false}
      centered
      size="lg"
    >
      {shown ? (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
            {shown.warning}
          </Alert>
          <Text size="sm" fw={500}>
            {shown.label}
          </Text>
          <Group gap="xs" wrap="nowrap" align="stretch">
            <Code block data-testid={shown.testId} style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
              {shown.secret}
            </Code>
            <CopyButton value={shown.secret}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? "light" : "filled"}
                  color={copied ? "teal" : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {copied ? t("common.copied") : shown.copyLabel}
                </Button>
              )}
            </CopyButton>
          </Group>
          {shown.footnote ? (
            <Text size="sm" c="dimmed">
              {shown.footnote}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {shown.doneLabel}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
