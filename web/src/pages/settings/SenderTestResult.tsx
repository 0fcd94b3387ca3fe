import { Alert, Code, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconCircleCheck, IconCircleX } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SenderConnectionTest } from "../../api/types";
import { useQualityLabel, useTierLabel } from "./sender-labels";

/** The outcome of "Test connection": what the provider says about the number, or Meta's error code and meaning. */
export function SenderTestResult({
  name,
  result,
  onDismiss,
}: {
  name: string;
  result: SenderConnectionTest;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const tierLabel = useTierLabel();
  const qualityLabel = useQualityLabel();
  const closeButtonLabel = t("senders.result.dismiss");

  if (result.ok) {
    const info = result.phoneNumber;
    return (
      <Alert
        color="green"
        icon={<IconCircleCheck size={18} />}
        title={t("senders.result.okTitle", { name })}
        withCloseButton
        closeButtonLabel={closeButtonLabel}
        onClose={onDismiss}
        data-testid="sender-test-ok"
      >
        <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md">
          <Fact label={t("senders.result.verifiedName")}>{info?.verifiedName ?? "—"}</Fact>
          <Fact label={t("senders.result.displayNumber")}>{info?.displayPhoneNumber ?? "—"}</Fact>
          <Fact label={t("senders.result.quality")}>
            {info?.qualityRating ? qualityLabel(info.qualityRating) : "—"}
          </Fact>
          <Fact label={t("senders.result.tier")}>{info?.messagingLimit ? tierLabel(info.messagingLimit) : "—"}</Fact>
          <Fact label={t("senders.result.throughput")}>{info?.throughputLevel ?? "—"}</Fact>
        </SimpleGrid>
      </Alert>
    );
  }

  const error = result.error;
  return (
    <Alert
      color="red"
      icon={<IconCircleX size={18} />}
      title={t("senders.result.failedTitle", { name })}
      withCloseButton
      closeButtonLabel={closeButtonLabel}
      onClose={onDismiss}
      role="alert"
      data-testid="sender-test-failed"
    >
      <Stack gap="xs">
        <Fact label={t("senders.result.errorCode")}>
          <Code>{error && error.code !== 0 ? error.code : t("senders.result.unreached")}</Code>
        </Fact>
        {error?.meaning ? <Fact label={t("senders.result.meaning")}>{error.meaning}</Fact> : null}
        {error?.message ? <Fact label={t("senders.result.message")}>{error.message}</Fact> : null}
      </Stack>
    </Alert>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}
