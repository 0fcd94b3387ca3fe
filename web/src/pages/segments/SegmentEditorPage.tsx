import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconArrowLeft, IconDeviceFloppy, IconUsers } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/client";
import { getMetricsStatus, listTags, metricsStatusKey, tagsKey } from "../../api/contacts";
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegmentFields,
  type PreviewRequest,
  previewSegment,
  segmentFieldsKey,
  segmentKey,
  segmentPreviewKey,
  segmentsKey,
  updateSegment,
} from "../../api/segments";
import type { Segment, SegmentNode } from "../../api/types";
import { can } from "../../auth/permissions";
import { useCurrentUser } from "../../auth/session";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";
import { type BuilderContext, RuleGroupEditor } from "./RuleGroupEditor";
import { issueKey, type Path, type Group as RuleGroup, toRootGroup, treeComplete, updateAt } from "./rule-tree";
import { SegmentPreviewPanel } from "./SegmentPreviewPanel";

const PREVIEW_DEBOUNCE_MS = 400;
const SAMPLE_SIZE = 10;

/** `/segments/new` and `/segments/:id`: the builder for a new or a saved segment. */
export function SegmentEditorPage() {
  const { id } = useParams();
  const isNew = id === undefined || id === "new";
  const { t } = useTranslation();
  const segment = useQuery({
    queryKey: segmentKey(id ?? "new"),
    queryFn: () => getSegment(id ?? ""),
    enabled: !isNew,
  });
  if (isNew) return <SegmentEditor key="new" segment={null} />;
  if (segment.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (segment.isError) return <QueryError error={segment.error} onRetry={() => segment.refetch()} />;
  return <SegmentEditor key={segment.data.id} segment={segment.data} />;
}

function SegmentEditor({ segment }: { segment: Segment | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const user = useCurrentUser();
  const canSave = can(user.role, "segments.manage");

  const [name, setName] = useState(segment?.name ?? "");
  const [description, setDescription] = useState(segment?.description ?? "");
  const [rules, setRules] = useState<RuleGroup>(() =>
    segment ? toRootGroup(segment.rules) : { kind: "and", children: [] },
  );
  const [excludeInactive, setExcludeInactive] = useState(segment?.excludeInactive ?? true);
  const [excludeOptedOut, setExcludeOptedOut] = useState(segment?.excludeOptedOut ?? true);
  const [nameError, setNameError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const fields = useQuery({ queryKey: segmentFieldsKey, queryFn: listSegmentFields, staleTime: 60_000 });
  const status = useQuery({ queryKey: metricsStatusKey, queryFn: getMetricsStatus, staleTime: 60_000 });
  const tags = useQuery({ queryKey: tagsKey, queryFn: listTags });

  // The live preview follows the rules as they change, once typing pauses and every condition has its value.
  const definition: PreviewRequest = useMemo(
    () => ({ rules, excludeInactive, excludeOptedOut, sampleSize: SAMPLE_SIZE }),
    [rules, excludeInactive, excludeOptedOut],
  );
  const [debounced] = useDebouncedValue(definition, PREVIEW_DEBOUNCE_MS);
  const complete = treeComplete(debounced.rules);
  const preview = useQuery({
    queryKey: segmentPreviewKey(debounced),
    queryFn: ({ signal }) => previewSegment(debounced, signal),
    enabled: complete,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const settling = definition !== debounced;

  const issues = useMemo(() => {
    const byPath = new Map<string, string[]>();
    const error = preview.error;
    if (!(error instanceof ApiError) || error.code !== "validation_failed") return byPath;
    for (const issue of error.issues) {
      const key = issueKey(issue.path) ?? "";
      byPath.set(key, [...(byPath.get(key) ?? []), issue.message]);
    }
    return byPath;
  }, [preview.error]);

  const update = useCallback(
    (path: Path, change: (node: SegmentNode) => SegmentNode | null) => setRules((root) => updateAt(root, path, change)),
    [],
  );

  const save = useMutation({
    mutationFn: () => {
      const input = { name: name.trim(), description: description.trim(), rules, excludeInactive, excludeOptedOut };
      return segment ? updateSegment(segment.id, input) : createSegment(input);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: segmentsKey });
      notifySuccess(t("segments.saved", { name: saved.name }));
      if (!segment) navigate(`/segments/${saved.id}`, { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "conflict") setNameError(t("segments.nameTaken"));
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteSegment(segment?.id ?? ""),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: segmentsKey });
      notifySuccess(t("segments.deleted", { name: segment?.name ?? "" }));
      navigate("/segments", { replace: true });
    },
  });

  const context: BuilderContext = {
    fields: fields.data ?? [],
    currency: status.data?.baseCurrency ?? "KRW",
    tags: (tags.data ?? []).map((tag) => tag.tag),
    issues,
    update,
    readOnly: false,
  };

  const saveError =
    save.error && !(save.error instanceof ApiError && save.error.code === "conflict")
      ? save.error instanceof ApiError && save.error.code === "validation_failed"
        ? save.error.issues.map((issue) => `${issue.path}: ${issue.message}`).join(" · ")
        : errorMessage(t, save.error)
      : null;

  const onSave = () => {
    if (!name.trim()) {
      setNameError(t("segments.nameRequired"));
      return;
    }
    setNameError(null);
    save.mutate();
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/segments" size="sm">
        <IconArrowLeft size={14} style={{ verticalAlign: "middle" }} /> {t("segments.backToList")}
      </Anchor>
      <PageHeader
        title={segment ? segment.name : t("segments.newTitle")}
        icon={sectionIcon("segments")}
        description={t("segments.builderIntro")}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md">
              <Stack gap="sm">
                <TextInput
                  label={t("segments.name")}
                  required
                  maxLength={100}
                  value={name}
                  onChange={(event) => {
                    setName(event.currentTarget.value);
                    setNameError(null);
                  }}
                  error={nameError}
                  disabled={!canSave}
                />
                <Textarea
                  label={t("segments.description")}
                  maxLength={500}
                  autosize
                  minRows={1}
                  value={description}
                  onChange={(event) => setDescription(event.currentTarget.value)}
                  disabled={!canSave}
                />
              </Stack>
            </Paper>

            {fields.isError ? <QueryError error={fields.error} onRetry={() => fields.refetch()} /> : null}
            {fields.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
            {fields.data ? <RuleGroupEditor group={rules} path={[]} negated={false} context={context} /> : null}

            <Paper withBorder radius="md" p="md">
              <Stack gap="xs">
                <Text fw={500} size="sm">
                  {t("segments.exclusions")}
                </Text>
                <Switch
                  label={t("segments.excludeOptedOut")}
                  description={t("segments.excludeOptedOutHint")}
                  checked={excludeOptedOut}
                  onChange={(event) => setExcludeOptedOut(event.currentTarget.checked)}
                />
                <Switch
                  label={t("segments.excludeInactive")}
                  description={t("segments.excludeInactiveHint")}
                  checked={excludeInactive}
                  onChange={(event) => setExcludeInactive(event.currentTarget.checked)}
                />
              </Stack>
            </Paper>

            {saveError ? (
              <Alert color="red" role="alert">
                {saveError}
              </Alert>
            ) : null}
            {canSave ? (
              <Group justify="space-between">
                <Group gap="xs">
                  <Button leftSection={<IconDeviceFloppy size={16} />} loading={save.isPending} onClick={onSave}>
                    {segment ? t("segments.saveChanges") : t("segments.save")}
                  </Button>
                  {segment ? (
                    <Button
                      variant="default"
                      leftSection={<IconUsers size={16} />}
                      component={Link}
                      to={`/contacts?segmentId=${encodeURIComponent(segment.id)}`}
                    >
                      {t("segments.viewContacts")}
                    </Button>
                  ) : null}
                </Group>
                {segment ? (
                  <Button
                    variant="subtle"
                    color="red"
                    onClick={() => {
                      remove.reset();
                      setConfirmDelete(true);
                    }}
                  >
                    {t("common.delete")}
                  </Button>
                ) : null}
              </Group>
            ) : (
              <Text size="sm" c="dimmed">
                {t("segments.cannotSave")}
              </Text>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <SegmentPreviewPanel
            complete={complete}
            hasConditions={rules.children.length > 0}
            preview={preview.data}
            loading={preview.isFetching || (settling && treeComplete(rules))}
            error={preview.error}
            issuesShown={issues.size > 0}
            excludeInactive={excludeInactive}
            excludeOptedOut={excludeOptedOut}
          />
        </Grid.Col>
      </Grid>
      <ConfirmDialog
        opened={confirmDelete}
        title={t("segments.deleteTitle")}
        message={t("segments.deleteConfirm", { name: segment?.name ?? "" })}
        confirmLabel={t("common.delete")}
        loading={remove.isPending}
        error={remove.isError ? errorMessage(t, remove.error) : null}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirmDelete(false)}
      />
    </Stack>
  );
}
