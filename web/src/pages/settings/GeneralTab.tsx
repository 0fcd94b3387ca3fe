import { Anchor, Badge, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconApi, IconFileCode } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { fetchHealth } from "../../api/health";
import { QueryError } from "../../components/QueryError";

const DATABASE_NAMES: Record<string, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

/** What the server reports about itself (`/healthz`), and where the API documentation lives. */
export function GeneralTab() {
  const { t } = useTranslation();
  const health = useQuery({ queryKey: ["healthz"], queryFn: fetchHealth });

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="sm">
          {t("general.server")}
        </Title>
        {health.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
        {health.isError ? <QueryError error={health.error} onRetry={() => health.refetch()} /> : null}
        {health.data ? (
          <Stack gap="xs" data-testid="server-info">
            <Group justify="space-between">
              <Text c="dimmed">{t("general.status")}</Text>
              <Badge color={health.data.status === "ok" ? "teal" : "red"} variant="light">
                {health.data.status}
              </Badge>
            </Group>
            <Group justify="space-between">
              <Text c="dimmed">{t("general.database")}</Text>
              <Text fw={500}>{DATABASE_NAMES[health.data.db] ?? health.data.db}</Text>
            </Group>
          </Stack>
        ) : null}
      </Paper>
      <Paper withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="sm">
          {t("general.api")}
        </Title>
        <Stack gap="md">
          <DocLink
            href="/docs"
            icon={<IconApi size={18} />}
            label={t("general.apiReference")}
            hint={t("general.apiReferenceHint")}
          />
          <DocLink
            href="/openapi.json"
            icon={<IconFileCode size={18} />}
            label={t("general.openapi")}
            hint={t("general.openapiHint")}
          />
        </Stack>
      </Paper>
    </SimpleGrid>
  );
}

function DocLink({ href, icon, label, hint }: { href: string; icon: ReactNode; label: string; hint: string }) {
  return (
    <div>
      <Anchor href={href} target="_blank" rel="noopener">
        <Group gap={6} component="span">
          {icon}
          {label}
        </Group>
      </Anchor>
      <Text size="sm" c="dimmed">
        {hint} <code>{href}</code>
      </Text>
    </div>
  );
}
