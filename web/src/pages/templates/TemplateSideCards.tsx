import { Alert, Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from "@mantine/core";
import { IconSend } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Sender, TemplateDetail } from "../../api/types";
import { formatTime } from "../../lib/format";
import { TemplateStatusBadge } from "./TemplateBadges";

/** Submit for Meta's review on a sender's account (drafts and rejected templates). */
export function TemplateSubmitCard({
  template,
  senders,
  senderId,
  onSenderChange,
  blocker,
  loading,
  error,
  onSubmit,
}: {
  template: TemplateDetail;
  senders: Sender[];
  senderId: string | null;
  onSenderChange: (id: string | null) => void;
  /** Why submitting is not possible now (unsaved changes, broken rules), or null. */
  blocker: string | null;
  loading: boolean;
  error: string | null;
  onSubmit: () => void;
}) {
  const { t } = useTranslation();
  // Once Meta has the template, only the sender of its account can resubmit it.
  const choices = template.wabaId ? senders.filter((sender) => sender.wabaId === template.wabaId) : senders;
  return (
    <Paper withBorder radius="md" p="md" data-testid="template-submit">
      <Stack gap="sm">
        <Title order={2} size="h5">
          {t("templates.submitTitle")}
        </Title>
        <Text size="xs" c="dimmed">
          {t("templates.submitHint")}
        </Text>
        {choices.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("templates.noSenders")}
          </Text>
        ) : (
          <Select
            label={t("templates.sender")}
            data={choices.map((sender) => ({ value: sender.id, label: sender.name }))}
            value={senderId}
            onChange={onSenderChange}
            allowDeselect={false}
          />
        )}
        {blocker ? (
          <Text size="xs" c="orange">
            {blocker}
          </Text>
        ) : null}
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Button
          leftSection={<IconSend size={16} />}
          onClick={onSubmit}
          loading={loading}
          disabled={blocker !== null || senderId === null}
        >
          {template.status === "REJECTED" ? t("templates.resubmit") : t("templates.submit")}
        </Button>
      </Stack>
    </Paper>
  );
}

/** Every status change of the template (oldest first), and its other languages. */
export function TemplateHistoryCard({ template }: { template: TemplateDetail }) {
  const { t } = useTranslation();
  const others = template.variants.filter((variant) => variant.id !== template.id);
  return (
    <Paper withBorder radius="md" p="md" data-testid="template-history">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h5">
            {t("templates.history")}
          </Title>
          <Text size="xs" c="dimmed">
            {t("templates.account")}: {template.wabaId ?? t("templates.notTied")}
          </Text>
        </Group>
        {template.history.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("templates.historyEmpty")}
          </Text>
        ) : (
          <Table verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("templates.historyAt")}</Table.Th>
                <Table.Th>{t("templates.historyEvent")}</Table.Th>
                <Table.Th>{t("templates.status")}</Table.Th>
                <Table.Th>{t("templates.historySource")}</Table.Th>
                <Table.Th>{t("templates.historyReason")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {template.history.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatTime(entry.at)}</Table.Td>
                  <Table.Td>
                    <Badge size="xs" variant="outline" color="gray">
                      {entry.event}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{t(`templates.statuses.${entry.status}`)}</Table.Td>
                  <Table.Td>{t(`templates.sources.${entry.source}`)}</Table.Td>
                  <Table.Td>{entry.reason ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group gap="xs">
          <Text size="sm" fw={500}>
            {t("templates.otherLanguages")}:
          </Text>
          {others.length === 0 ? <Text size="sm">—</Text> : null}
          {others.map((variant) => (
            <Group key={variant.id} gap={4}>
              <Anchor component={Link} to={`/templates/${variant.id}`} size="sm">
                {variant.language}
              </Anchor>
              <TemplateStatusBadge status={variant.status} />
            </Group>
          ))}
          <Anchor component={Link} to={`/templates/new?from=${encodeURIComponent(template.id)}`} size="sm">
            {t("templates.addLanguage")}
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}
