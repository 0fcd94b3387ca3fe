import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { listSegments, segmentsKey } from "../../api/segments";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { formatTime } from "../../lib/format";
import { countConditions } from "./rule-tree";

/** Saved segments, newest first, and the way into the builder. */
export function SegmentsPage() {
  const { t } = useTranslation();
  const segments = useInfiniteQuery({
    queryKey: [...segmentsKey, "list"],
    queryFn: ({ pageParam }) => listSegments(pageParam, 50),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const list = segments.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Stack gap="md">
      <PageHeader title={t("nav.segments")} icon={sectionIcon("segments")} />
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={640}>
          {t("segments.intro")}
        </Text>
        <Button leftSection={<IconPlus size={16} />} component={Link} to="/segments/new">
          {t("segments.new")}
        </Button>
      </Group>
      {segments.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {segments.isError ? <QueryError error={segments.error} onRetry={() => segments.refetch()} /> : null}
      {segments.data ? (
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="segments-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("segments.name")}</Table.Th>
                <Table.Th>{t("segments.description")}</Table.Th>
                <Table.Th>{t("segments.conditions")}</Table.Th>
                <Table.Th>{t("segments.exclusions")}</Table.Th>
                <Table.Th>{t("segments.updated")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="md">
                      {t("segments.empty")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                list.map((segment) => (
                  <Table.Tr key={segment.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/segments/${segment.id}`} size="sm" fw={500}>
                        {segment.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {segment.description || "—"}
                      </Text>
                    </Table.Td>
                    <Table.Td>{countConditions(segment.rules)}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {segment.excludeOptedOut ? (
                          <Badge size="xs" variant="light" color="gray">
                            {t("segments.noOptedOut")}
                          </Badge>
                        ) : null}
                        {segment.excludeInactive ? (
                          <Badge size="xs" variant="light" color="gray">
                            {t("segments.noInactive")}
                          </Badge>
                        ) : null}
                        {!segment.excludeOptedOut && !segment.excludeInactive ? "—" : null}
                      </Group>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{formatTime(segment.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {segments.hasNextPage ? (
        <Button
          variant="subtle"
          size="xs"
          loading={segments.isFetchingNextPage}
          onClick={() => segments.fetchNextPage()}
        >
          {t("segments.more")}
        </Button>
      ) : null}
    </Stack>
  );
}
