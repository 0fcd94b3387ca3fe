import { Group, Paper, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { getTeamMetrics, teamKey } from "../../api/inbox";
import { formatNumber, formatPercent } from "../../lib/format";
import { formatDuration } from "./format";

/** The team's first-response figures over 30 days: median, share within 5 minutes, automatic replies' share. */
export function TeamCard() {
  const { t } = useTranslation();
  const team = useQuery({ queryKey: teamKey, queryFn: () => getTeamMetrics(30), refetchInterval: 60_000 });
  const d = team.data;
  const ms = (value: number | null | undefined) =>
    value === null || value === undefined ? "—" : formatDuration(t, value);
  const share = (value: number | null | undefined) =>
    value === null || value === undefined ? "—" : formatPercent(value);
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={t("inbox.team.title")} data-testid="team-card">
      <Group justify="space-between" mb={6}>
        <Title order={2} size="h6">
          {t("inbox.team.title")}
        </Title>
        <Text size="xs" c="dimmed">
          {t("inbox.team.period")}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
        <Figure label={t("inbox.team.median")}>{ms(d?.team.medianMs)}</Figure>
        <Figure label={t("inbox.team.p90")}>{ms(d?.team.p90Ms)}</Figure>
        <Figure label={t("inbox.team.within5")}>{share(d?.team.within5MinShare)}</Figure>
        <Figure label={t("inbox.team.answered")}>{d ? formatNumber(d.team.answered) : "—"}</Figure>
        <Figure label={t("inbox.team.autoShare")}>{share(d?.replies.autoShare)}</Figure>
      </SimpleGrid>
      {d && d.agents.length > 0 ? (
        <Table mt="xs" fz="xs" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("inbox.team.agent")}</Table.Th>
              <Table.Th>{t("inbox.team.answered")}</Table.Th>
              <Table.Th>{t("inbox.team.median")}</Table.Th>
              <Table.Th>{t("inbox.team.within5")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.agents.map((a) => (
              <Table.Tr key={a.userId ?? "api"}>
                <Table.Td>{a.name || t("inbox.integration")}</Table.Td>
                <Table.Td>{formatNumber(a.answered)}</Table.Td>
                <Table.Td>{ms(a.medianMs)}</Table.Td>
                <Table.Td>{share(a.within5MinShare)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Paper>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600}>
        {children}
      </Text>
    </div>
  );
}
