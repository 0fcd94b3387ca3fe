import { Alert, Anchor, Group, Loader, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiError } from "../../api/client";
import type { SegmentPreview } from "../../api/types";
import { errorMessage } from "../../lib/errors";
import { formatNumber } from "../../lib/format";
import { ConsentBadge } from "../contacts/ConsentBadge";

/** The live count and sample of the rules being built, and what the default exclusions leave out. */
export function SegmentPreviewPanel({
  complete,
  hasConditions,
  preview,
  loading,
  error,
  issuesShown,
  excludeInactive,
  excludeOptedOut,
}: {
  complete: boolean;
  hasConditions: boolean;
  preview: SegmentPreview | undefined;
  loading: boolean;
  error: unknown;
  /** The error's issues are already shown next to the conditions they name. */
  issuesShown: boolean;
  excludeInactive: boolean;
  excludeOptedOut: boolean;
}) {
  const { t } = useTranslation();
  const stale = !complete || Boolean(error);
  return (
    <Paper withBorder radius="md" p="md" pos="sticky" top={72} aria-live="polite" data-testid="segment-preview">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h5">
            {t("segments.preview")}
          </Title>
          {loading ? <Loader size="xs" aria-label={t("segments.counting")} /> : null}
        </Group>
        {!hasConditions ? (
          <Text size="sm" c="dimmed">
            {t("segments.previewEmpty")}
          </Text>
        ) : !complete ? (
          <Text size="sm" c="dimmed">
            {t("segments.previewIncomplete")}
          </Text>
        ) : null}
        {error && complete ? (
          <Alert color="red" role="alert">
            {error instanceof ApiError && error.code === "validation_failed"
              ? issuesShown
                ? t("segments.fixIssues")
                : error.issues.map((issue) => issue.message).join(" ") || error.message
              : errorMessage(t, error)}
          </Alert>
        ) : null}
        {preview && hasConditions ? (
          <Stack gap="sm" style={{ opacity: stale ? 0.45 : 1 }}>
            <div>
              <Text size="xs" c="dimmed">
                {t("segments.matching")}
              </Text>
              <Text fz={36} fw={700} lh={1.1} data-testid="segment-count">
                {formatNumber(preview.count)}
              </Text>
              <Text size="xs" c="dimmed">
                {t("segments.tookMs", { ms: Math.round(preview.tookMs) })}
              </Text>
            </div>
            {excludeOptedOut && preview.excluded.optedOut > 0 ? (
              <Text size="sm">{t("segments.excludedOptedOut", { count: preview.excluded.optedOut })}</Text>
            ) : null}
            {excludeInactive && preview.excluded.inactive > 0 ? (
              <Text size="sm">{t("segments.excludedInactive", { count: preview.excluded.inactive })}</Text>
            ) : null}
            {preview.sample.length > 0 ? (
              <div>
                <Text size="xs" c="dimmed" mb={4}>
                  {t("segments.sample", { count: preview.sample.length })}
                </Text>
                <Table verticalSpacing={4} data-testid="segment-sample">
                  <Table.Tbody>
                    {preview.sample.map((contact) => (
                      <Table.Tr key={contact.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/contacts/${contact.id}`} size="sm">
                            {contact.name || contact.phone}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                            {contact.phone}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <ConsentBadge consent={contact.consent} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            ) : null}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
