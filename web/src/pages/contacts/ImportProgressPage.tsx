import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { contactsKey } from "../../api/contacts";
import { getImport, importKey, importsKey, listImportErrors } from "../../api/imports";
import type { ImportJob } from "../../api/types";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { formatBytes, formatNumber, formatTime } from "../../lib/format";
import { ImportStateBadge } from "./ImportStateBadge";

const POLL_MS = 700;

function isActive(job: ImportJob | undefined): boolean {
  return job === undefined || job.state === "running" || job.state === "uploaded";
}

/**
 * One import job: progress by polling while it runs (the job lives on the server, so a reload resumes here), then
 * the result and every rejected line with its reason.
 */
export function ImportProgressPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: importKey(id),
    queryFn: () => getImport(id),
    refetchInterval: (query) => (isActive(query.state.data) && !query.state.error ? POLL_MS : false),
  });
  const data = job.data;
  const finished = data !== undefined && !isActive(data);

  // When the job ends, the contact list and the recent imports are out of date.
  useEffect(() => {
    if (!finished) return;
    void queryClient.invalidateQueries({ queryKey: contactsKey });
    void queryClient.invalidateQueries({ queryKey: importsKey, exact: true });
  }, [finished, queryClient]);

  const errors = useInfiniteQuery({
    queryKey: [...importKey(id), "errors"],
    queryFn: ({ pageParam }) => listImportErrors(id, pageParam, 100),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: finished && (data?.progress.rejected ?? 0) > 0,
  });

  const percent = data && data.bytes > 0 ? Math.min(100, (data.progress.bytesRead / data.bytes) * 100) : 0;
  const rowErrors = errors.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/contacts" size="sm">
        <IconArrowLeft size={14} style={{ verticalAlign: "middle" }} /> {t("contacts.backToList")}
      </Anchor>
      <PageHeader title={t("imports.progressTitle")} icon={sectionIcon("contacts")} />
      {job.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {job.isError ? <QueryError error={job.error} onRetry={() => job.refetch()} /> : null}
      {data ? (
        <Paper withBorder radius="md" p="md" data-testid="import-progress">
          <Stack>
            <Group justify="space-between">
              <Text fw={500}>
                {data.fileName ?? t("imports.theFile")} · {formatBytes(data.bytes)} · {t(`imports.kinds.${data.kind}`)}
              </Text>
              <ImportStateBadge job={data} />
            </Group>
            <Progress
              value={data.state === "succeeded" ? 100 : percent}
              animated={data.state === "running"}
              color={data.state === "failed" ? "red" : undefined}
              aria-label={t("imports.progressLabel")}
            />
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Count label={t("imports.rowsRead")} value={data.progress.rowsRead} />
              <Count
                label={data.dryRun ? t("imports.wouldImport") : t("imports.imported")}
                value={data.progress.imported}
              />
              <Count label={t("imports.rejected")} value={data.progress.rejected} />
              <Count
                label={t("imports.read")}
                text={`${formatBytes(data.progress.bytesRead)} / ${formatBytes(data.bytes)}`}
              />
            </SimpleGrid>
            {data.result ? (
              <Alert color={data.progress.rejected > 0 ? "orange" : "teal"} data-testid="import-result">
                {data.dryRun
                  ? t("imports.dryRunResult", {
                      imported: formatNumber(data.progress.imported),
                      rejected: formatNumber(data.progress.rejected),
                    })
                  : t("imports.result", {
                      created: formatNumber(data.result.created),
                      updated: formatNumber(data.result.updated),
                      rejected: formatNumber(data.progress.rejected),
                    })}
              </Alert>
            ) : null}
            {data.error ? (
              <Alert color="red" role="alert" title={t("imports.failed")}>
                {data.error}
              </Alert>
            ) : null}
            <Text size="xs" c="dimmed">
              {data.startedAt ? t("imports.startedAt", { time: formatTime(data.startedAt) }) : null}
              {data.finishedAt ? ` · ${t("imports.finishedAt", { time: formatTime(data.finishedAt) })}` : null}
            </Text>
          </Stack>
        </Paper>
      ) : null}

      {finished && data && data.progress.rejected > 0 ? (
        <div>
          <Title order={2} size="h5" mb="xs">
            {t("imports.errorsTitle", { count: data.progress.rejected })}
          </Title>
          {errors.isError ? <QueryError error={errors.error} onRetry={() => errors.refetch()} /> : null}
          <Table.ScrollContainer minWidth={560}>
            <Table striped verticalSpacing={4} data-testid="import-errors">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={80}>{t("imports.line")}</Table.Th>
                  <Table.Th w={160}>{t("imports.column")}</Table.Th>
                  <Table.Th>{t("imports.reason")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rowErrors.map((error, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a line may have several errors; the list is append-only
                  <Table.Tr key={`${error.line}-${index}`}>
                    <Table.Td>{error.line}</Table.Td>
                    <Table.Td>{error.column ?? "—"}</Table.Td>
                    <Table.Td>{error.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {errors.hasNextPage ? (
            <Button
              variant="subtle"
              size="xs"
              mt="xs"
              loading={errors.isFetchingNextPage}
              onClick={() => errors.fetchNextPage()}
            >
              {t("imports.moreErrors")}
            </Button>
          ) : null}
        </div>
      ) : null}

      {finished ? (
        <Group>
          <Button component={Link} to="/contacts">
            {t("imports.toContacts")}
          </Button>
          <Button component={Link} to="/contacts/import" variant="default">
            {t("imports.another")}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function Count({ label, value, text }: { label: string; value?: number; text?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600}>
        {text ?? formatNumber(value ?? 0)}
      </Text>
    </div>
  );
}
