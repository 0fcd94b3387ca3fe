import { Alert, Badge, Group, List, Loader, Paper, Spoiler, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconInfoCircle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { LintFinding, TemplateCheck, TemplateIssue } from "../../api/types";

/**
 * The live result of `POST /templates/lint`: whether Meta's rules hold (issues that have no field of their own are
 * listed here; the others sit under their field), then the approval risks and advice, each with why it matters.
 */
export function TemplateChecksPanel({
  check,
  loading,
  unplaced,
}: {
  check: TemplateCheck | undefined;
  loading: boolean;
  unplaced: TemplateIssue[];
}) {
  const { t } = useTranslation();
  const warnings = check?.warnings.filter((finding) => finding.severity === "warning") ?? [];
  const advice = check?.warnings.filter((finding) => finding.severity === "info") ?? [];
  return (
    <Paper withBorder radius="md" p="md" aria-live="polite" data-testid="template-checks">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h5">
            {t("templates.checks")}
          </Title>
          {loading ? <Loader size="xs" aria-label={t("templates.checking")} /> : null}
        </Group>
        {check ? (
          check.valid ? (
            <Group gap={6} c="teal">
              <IconCircleCheck size={18} />
              <Text size="sm" data-testid="template-valid">
                {t("templates.valid")}
              </Text>
            </Group>
          ) : (
            <Group gap={6} c="red">
              <IconCircleX size={18} />
              <Text size="sm" data-testid="template-invalid">
                {t("templates.invalid", { count: check.issues.length })}
              </Text>
            </Group>
          )
        ) : null}
        {unplaced.length > 0 ? (
          <Alert color="red" title={t("templates.otherIssues")} role="alert">
            <List size="sm">
              {unplaced.map((issue) => (
                <List.Item key={`${issue.path}-${issue.rule}`}>
                  <Text size="sm" span fw={500}>
                    {issue.path}
                  </Text>
                  : {issue.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        {check && warnings.length === 0 && advice.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("templates.noWarnings")}
          </Text>
        ) : null}
        {warnings.length > 0 ? <Findings title={t("templates.warnings")} findings={warnings} color="orange" /> : null}
        {advice.length > 0 ? <Findings title={t("templates.advice")} findings={advice} color="blue" /> : null}
      </Stack>
    </Paper>
  );
}

function Findings({ title, findings, color }: { title: string; findings: LintFinding[]; color: string }) {
  const { t } = useTranslation();
  const Icon = color === "orange" ? IconAlertTriangle : IconInfoCircle;
  return (
    <Stack gap={6}>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        {title}
      </Text>
      {findings.map((finding) => (
        <Alert
          key={`${finding.code}-${finding.path}`}
          color={color}
          variant="light"
          icon={<Icon size={18} />}
          p="xs"
          data-testid={`lint-${finding.code}`}
        >
          <Stack gap={4}>
            <Group gap={6}>
              <Text size="sm" fw={500}>
                {finding.message}
              </Text>
              <Badge size="xs" variant="outline" color="gray">
                {finding.path}
              </Badge>
            </Group>
            <Spoiler
              maxHeight={0}
              showLabel={<Text size="xs">{t("templates.whyItMatters")}</Text>}
              hideLabel={<Text size="xs">{t("common.close")}</Text>}
            >
              <Text size="xs">{finding.explanation}</Text>
            </Spoiler>
          </Stack>
        </Alert>
      ))}
    </Stack>
  );
}
