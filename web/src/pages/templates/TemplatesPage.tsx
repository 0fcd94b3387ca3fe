import { Anchor, Badge, Button, Group, Loader, Select, Stack, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconAlertTriangle, IconPlus, IconRefresh, IconSearch } from "@tabler/icons-react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { listTemplates, syncTemplates, templatesKey } from "../../api/templates";
import type { StoredTemplate, TemplateStatus } from "../../api/types";
import { can } from "../../auth/permissions";
import { useCurrentUser } from "../../auth/session";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { TemplateQualityBadge, TemplateStatusBadge } from "./TemplateBadges";

const FILTER_STATUSES: TemplateStatus[] = ["DRAFT", "PENDING", "APPROVED", "REJECTED", "PAUSED", "DISABLED"];

/** The number of approval risks the lint found in a draft (Meta has not judged it yet). */
function RiskBadge({ template }: { template: StoredTemplate }) {
  const { t } = useTranslation();
  if (template.status !== "DRAFT" && template.status !== "REJECTED") return null;
  const risks = template.lint.filter((finding) => finding.severity === "warning");
  if (risks.length === 0) return null;
  return (
    <Tooltip label={risks.map((finding) => finding.message).join(" · ")} multiline maw={320} withArrow>
      <Badge color="orange" variant="outline" leftSection={<IconAlertTriangle size={12} />} tt="none">
        {t("templates.risks", { count: risks.length })}
      </Badge>
    </Tooltip>
  );
}

/** Templates, one row per language, with Meta's status and quality, and the way into the editor. */
export function TemplatesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const user = useCurrentUser();
  const allowed = can(user.role, "templates.manage");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<TemplateStatus | null>(null);
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const filter = { search: debouncedSearch, status: status ? [status] : [] };
  const templates = useInfiniteQuery({
    queryKey: [...templatesKey, "list", filter],
    queryFn: ({ pageParam }) => listTemplates({ ...filter, cursor: pageParam, limit: 100 }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: allowed,
    // A template in review changes status on Meta's verdict: look again while one is pending.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.data.some((tpl) => tpl.status === "PENDING")) ? 5_000 : false,
  });
  const list = templates.data?.pages.flatMap((page) => page.data) ?? [];
  const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
  const variants = new Map<string, StoredTemplate[]>();
  for (const tpl of sorted) {
    const key = `${tpl.wabaId ?? ""}/${tpl.name}`;
    variants.set(key, [...(variants.get(key) ?? []), tpl]);
  }

  const sync = useMutation({
    mutationFn: () => syncTemplates(),
    onSuccess: async (reports) => {
      await queryClient.invalidateQueries({ queryKey: templatesKey });
      for (const report of reports) {
        if (report.error)
          notifyError(t("templates.syncFailed", { waba: report.wabaId, message: report.error.message }));
      }
      const sum = (key: "updated" | "imported" | "deleted") => reports.reduce((n, report) => n + report[key], 0);
      notifySuccess(
        t("templates.syncDone", { updated: sum("updated"), imported: sum("imported"), deleted: sum("deleted") }),
      );
    },
    onError: (error) => notifyError(errorMessage(t, error)),
  });

  return (
    <Stack gap="md">
      <PageHeader title={t("nav.templates")} icon={sectionIcon("templates")} />
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={680}>
          {t("templates.intro")}
        </Text>
        <Group gap="xs" display={allowed ? undefined : "none"}>
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={sync.isPending}
            onClick={() => sync.mutate()}
          >
            {t("templates.sync")}
          </Button>
          <Button leftSection={<IconPlus size={16} />} component={Link} to="/templates/new">
            {t("templates.new")}
          </Button>
        </Group>
      </Group>
      <Group gap="sm" align="flex-end">
        <TextInput
          label={t("templates.search")}
          placeholder={t("templates.searchPlaceholder")}
          leftSection={<IconSearch size={14} />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={260}
        />
        <Select
          label={t("templates.statusFilter")}
          placeholder={t("templates.anyStatus")}
          clearable
          data={FILTER_STATUSES.map((value) => ({ value, label: t(`templates.statuses.${value}`) }))}
          value={status}
          onChange={(value) => setStatus(value as TemplateStatus | null)}
          w={200}
        />
      </Group>
      {!allowed ? (
        <Text size="sm" c="dimmed">
          {t("errors.forbidden")}
        </Text>
      ) : null}
      {templates.isPending && allowed ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {templates.isError ? <QueryError error={templates.error} onRetry={() => templates.refetch()} /> : null}
      {templates.data ? (
        <Table.ScrollContainer minWidth={800}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="templates-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("templates.name")}</Table.Th>
                <Table.Th>{t("templates.language")}</Table.Th>
                <Table.Th>{t("templates.languages")}</Table.Th>
                <Table.Th>{t("templates.category")}</Table.Th>
                <Table.Th>{t("templates.status")}</Table.Th>
                <Table.Th>{t("templates.quality")}</Table.Th>
                <Table.Th>{t("templates.updated")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="md">
                      {debouncedSearch || status ? t("templates.noMatch") : t("templates.empty")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                sorted.map((tpl) => (
                  <Table.Tr key={tpl.id} data-testid={`template-row-${tpl.name}-${tpl.language}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/templates/${tpl.id}`} size="sm" fw={500}>
                        {tpl.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color="gray" size="sm" tt="none">
                        {tpl.language}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} aria-label={t("templates.variantsOf", { name: tpl.name })}>
                        {(variants.get(`${tpl.wabaId ?? ""}/${tpl.name}`) ?? []).map((variant) => (
                          <Anchor key={variant.id} component={Link} to={`/templates/${variant.id}`} size="xs">
                            {variant.language}
                          </Anchor>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{t(`templates.categories.${tpl.category}`)}</Table.Td>
                    <Table.Td>
                      <Group gap={6} align="flex-start">
                        <TemplateStatusBadge status={tpl.status} reason={tpl.rejectedReason} />
                        <RiskBadge template={tpl} />
                      </Group>
                    </Table.Td>
                    <Table.Td>{tpl.status === "DRAFT" ? "—" : <TemplateQualityBadge quality={tpl.quality} />}</Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{formatTime(tpl.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {templates.hasNextPage ? (
        <Button
          variant="subtle"
          size="xs"
          loading={templates.isFetchingNextPage}
          onClick={() => templates.fetchNextPage()}
        >
          {t("templates.more")}
        </Button>
      ) : null}
    </Stack>
  );
}
