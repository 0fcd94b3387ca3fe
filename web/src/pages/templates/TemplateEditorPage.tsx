import { Alert, Anchor, Badge, Button, Grid, Group, Loader, Stack } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconArrowLeft, IconDeviceFloppy, IconSpeakerphone } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError } from "../../api/client";
import { listSenders, sendersKey } from "../../api/senders";
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  lintTemplate,
  submitTemplate,
  templateKey,
  templatesKey,
  updateTemplate,
} from "../../api/templates";
import type { TemplateContent, TemplateDetail, TemplateIssue } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";
import { issuesByPath, topField, unplacedIssues } from "./issues";
import { TemplateQualityBadge, TemplateStatusBadge } from "./TemplateBadges";
import { TemplateChecksPanel } from "./TemplateChecksPanel";
import { isPlacedPath, TemplateForm } from "./TemplateForm";
import { TemplatePreviewPanel } from "./TemplatePreviewPanel";
import { TemplateHistoryCard, TemplateSubmitCard } from "./TemplateSideCards";
import { emptyTemplate } from "./template-content";

const LINT_DEBOUNCE_MS = 400;
const EDITABLE = new Set(["DRAFT", "REJECTED"]);

/** `/templates/new` (optionally `?from=<id>` to add a language) and `/templates/:id`. */
export function TemplateEditorPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const isNew = id === undefined || id === "new";
  const sourceId = isNew ? params.get("from") : id;
  const { t } = useTranslation();
  const template = useQuery({
    queryKey: templateKey(sourceId ?? "new"),
    queryFn: () => getTemplate(sourceId ?? ""),
    enabled: sourceId !== null,
    // Meta's verdict arrives by webhook within seconds to a day: look again while it is in review.
    refetchInterval: (query) => (!isNew && query.state.data?.status === "PENDING" ? 3_000 : false),
  });
  if (sourceId === null) return <TemplateEditor key="new" template={null} copyOf={null} />;
  if (template.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (template.isError) return <QueryError error={template.error} onRetry={() => template.refetch()} />;
  if (isNew) return <TemplateEditor key={`copy-${template.data.id}`} template={null} copyOf={template.data} />;
  return <TemplateEditor key={template.data.id} template={template.data} copyOf={null} />;
}

function TemplateEditor({ template, copyOf }: { template: TemplateDetail | null; copyOf: TemplateDetail | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const initial = useMemo<TemplateContent>(
    () => template?.template ?? (copyOf ? { ...copyOf.template, language: "" } : emptyTemplate()),
    [template, copyOf],
  );
  const [content, setContent] = useState<TemplateContent>(initial);
  const [saved, setSaved] = useState<TemplateContent>(initial);
  const [touched, setTouched] = useState<Set<string>>(() => new Set(template || copyOf ? ["*"] : []));
  const [senderId, setSenderId] = useState<string | null>(template?.senderId ?? copyOf?.senderId ?? null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const editable = template === null || EDITABLE.has(template.status);
  const dirty = JSON.stringify(content) !== JSON.stringify(saved);

  const senders = useQuery({ queryKey: sendersKey, queryFn: listSenders });
  const senderList = senders.data ?? [];
  const effectiveSender = senderId ?? (senderList.length === 1 ? (senderList[0]?.id ?? null) : null);

  const [debounced] = useDebouncedValue(content, LINT_DEBOUNCE_MS);
  const lint = useQuery({
    queryKey: ["templates", "lint", debounced],
    queryFn: ({ signal }) => lintTemplate(debounced, signal),
    enabled: editable,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const check = editable ? lint.data : { valid: true, issues: [], warnings: template?.lint ?? [] };

  const save = useMutation({
    mutationFn: () => {
      const body = { ...content, senderId: effectiveSender };
      return template ? updateTemplate(template.id, body) : createTemplate(body);
    },
    onSuccess: async (stored) => {
      await queryClient.invalidateQueries({ queryKey: templatesKey });
      setSaved(content);
      notifySuccess(t("templates.saved", { name: stored.name }));
      if (!template) navigate(`/templates/${stored.id}`, { replace: true });
    },
    onError: () => setTouched(new Set(["*"])),
  });
  const submit = useMutation({
    mutationFn: () => submitTemplate(template?.id ?? "", effectiveSender ?? ""),
    onSuccess: async (stored) => {
      await queryClient.invalidateQueries({ queryKey: templatesKey });
      notifySuccess(t("templates.submitted", { name: stored.name }));
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteTemplate(template?.id ?? ""),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: templatesKey });
      notifySuccess(t("templates.deleted", { name: template?.name ?? "" }));
      navigate("/templates", { replace: true });
    },
  });

  // Meta's rule problems: the live check's, else the last save's; each under its field once that field was edited.
  const saveIssues: TemplateIssue[] =
    save.error instanceof ApiError && save.error.code === "validation_failed"
      ? save.error.issues.map((issue) => ({ ...issue, rule: "" }))
      : [];
  const allIssues = editable ? (lint.data?.issues ?? saveIssues) : [];
  const shown = allIssues.filter((issue) => touched.has("*") || touched.has(topField(issue.path)));
  const issueMap = issuesByPath(shown);
  if (save.error instanceof ApiError && save.error.code === "conflict")
    issueMap.set("name", [t("templates.nameTaken")]);
  const unplaced = unplacedIssues(shown, (path) => isPlacedPath(path, content));
  const saveError =
    save.error && !(save.error instanceof ApiError && ["conflict", "validation_failed"].includes(save.error.code))
      ? errorMessage(t, save.error)
      : null;

  const onChange = (next: TemplateContent, field: string) => {
    setContent(next);
    setTouched((current) =>
      current.has(field) ? current : new Set([...current, field, ...(field === "body" ? ["examples"] : [])]),
    );
  };

  const submitBlocker = dirty
    ? t("templates.saveFirst")
    : lint.data && !lint.data.valid
      ? t("templates.fixFirst")
      : senderList.length === 0
        ? t("templates.noSenders")
        : null;

  const title = template ? `${template.name} · ${template.language}` : t("templates.newTitle");
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/templates" size="sm">
        <IconArrowLeft size={14} style={{ verticalAlign: "middle" }} /> {t("templates.backToList")}
      </Anchor>
      <PageHeader title={title} icon={sectionIcon("templates")} />
      {template ? (
        <Group gap="sm" mt={-12}>
          <TemplateStatusBadge status={template.status} reason={template.rejectedReason} />
          <Badge variant="outline" color="gray">
            {t(`templates.categories.${template.category}`)}
          </Badge>
          {template.status !== "DRAFT" ? <TemplateQualityBadge quality={template.quality} /> : null}
          {dirty ? (
            <Badge color="orange" variant="light">
              {t("templates.unsaved")}
            </Badge>
          ) : null}
          {template.status === "APPROVED" ? (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconSpeakerphone size={14} />}
              component={Link}
              to={`/campaigns/new?templateId=${encodeURIComponent(template.id)}`}
            >
              {t("templates.useInCampaign")}
            </Button>
          ) : null}
        </Group>
      ) : null}
      {template && !editable ? (
        <Alert color="blue">{t("templates.readOnly", { status: t(`templates.statuses.${template.status}`) })}</Alert>
      ) : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <TemplateForm
              content={content}
              onChange={onChange}
              issues={issueMap}
              readOnly={!editable}
              nameLocked={template !== null && template.status !== "DRAFT"}
              senders={senderList}
              senderId={effectiveSender}
              onSenderChange={setSenderId}
            />
            {saveError ? (
              <Alert color="red" role="alert">
                {saveError}
              </Alert>
            ) : null}
            {save.error instanceof ApiError && save.error.code === "validation_failed" ? (
              <Alert color="red" role="alert">
                {t("errors.validation")}
              </Alert>
            ) : null}
            {editable ? (
              <Group justify="space-between">
                <Button
                  leftSection={<IconDeviceFloppy size={16} />}
                  loading={save.isPending}
                  onClick={() => save.mutate()}
                  disabled={template !== null && !dirty}
                >
                  {template ? t("templates.saveChanges") : t("templates.save")}
                </Button>
                {template ? (
                  <Button variant="subtle" color="red" onClick={() => setConfirmDelete(true)}>
                    {t("common.delete")}
                  </Button>
                ) : null}
              </Group>
            ) : template && template.status !== "DELETED" ? (
              <Group justify="flex-end">
                <Button variant="subtle" color="red" onClick={() => setConfirmDelete(true)}>
                  {t("common.delete")}
                </Button>
              </Group>
            ) : null}
            {template ? <TemplateHistoryCard template={template} /> : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md" pos="sticky" top={72}>
            <TemplatePreviewPanel content={content} savedId={template?.id ?? null} />
            <TemplateChecksPanel check={check} loading={editable && lint.isFetching} unplaced={unplaced} />
            {template && editable ? (
              <TemplateSubmitCard
                template={template}
                senders={senderList}
                senderId={effectiveSender}
                onSenderChange={setSenderId}
                blocker={submitBlocker}
                loading={submit.isPending}
                error={submit.error ? `${errorMessage(t, submit.error)} ${submit.error.message}` : null}
                onSubmit={() => submit.mutate()}
              />
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
      <ConfirmDialog
        opened={confirmDelete}
        title={t("templates.deleteTitle")}
        message={t("templates.deleteConfirm", { name: template?.name ?? "", language: template?.language ?? "" })}
        confirmLabel={t("common.delete")}
        loading={remove.isPending}
        error={remove.isError ? errorMessage(t, remove.error) : null}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirmDelete(false)}
      />
    </Stack>
  );
}
