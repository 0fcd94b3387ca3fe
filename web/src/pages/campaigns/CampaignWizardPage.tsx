import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Stepper } from "@mantine/core";
import { IconArrowLeft, IconDeviceFloppy } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { campaignKey, campaignsKey, createCampaign, getCampaign, updateCampaign } from "../../api/campaigns";
import { ApiError } from "../../api/client";
import { listSegments, segmentsKey } from "../../api/segments";
import { listSenders, sendersKey } from "../../api/senders";
import { listTemplates, templatesKey } from "../../api/templates";
import type { Campaign, CampaignInput, CampaignSchedule, QuietHours, VariableSource } from "../../api/types";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";
import { requiredPlaces } from "../templates/template-content";
import { CampaignReview } from "./CampaignReview";
import { fitMapping, sourceComplete } from "./mapping";
import { VariableMappingEditor } from "./VariableMappingEditor";
import { AudienceStep, BasicsStep, ScheduleStep } from "./WizardSteps";

const STEPS = ["basics", "audience", "variables", "schedule", "review"] as const;
type Step = (typeof STEPS)[number];

/** Which step owns an issue path from the server. */
function stepOf(path: string): Step {
  if (path.startsWith("variables")) return "variables";
  if (path.startsWith("schedule") || path.startsWith("quietHours")) return "schedule";
  if (path.startsWith("segmentId")) return "audience";
  return "basics";
}

/** `/campaigns/new` (optionally `?templateId=`) and `/campaigns/:id/edit` for a draft. */
export function CampaignWizardPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const campaign = useQuery({
    queryKey: campaignKey(id ?? "new"),
    queryFn: () => getCampaign(id ?? ""),
    enabled: id !== undefined,
  });
  if (id === undefined) return <CampaignWizard key="new" draft={null} />;
  if (campaign.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (campaign.isError) return <QueryError error={campaign.error} onRetry={() => campaign.refetch()} />;
  return <CampaignWizard key={campaign.data.id} draft={campaign.data} />;
}

function CampaignWizard({ draft }: { draft: Campaign | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [active, setActive] = useState(0);
  const [saved, setSaved] = useState<Campaign | null>(draft);
  const [name, setName] = useState(draft?.name ?? "");
  const [senderId, setSenderId] = useState<string | null>(draft?.senderId ?? null);
  const [templateId, setTemplateId] = useState<string | null>(draft?.templateId ?? params.get("templateId"));
  const [segmentId, setSegmentId] = useState<string | null>(draft?.segmentId ?? null);
  const [variables, setVariables] = useState<Record<string, VariableSource>>(draft?.variables ?? {});
  const [schedule, setSchedule] = useState<CampaignSchedule>(draft?.schedule ?? { kind: "now", at: null });
  const [quietHours, setQuietHours] = useState<QuietHours | null>(draft?.quietHours ?? null);
  const [localErrors, setLocalErrors] = useState<Map<string, string>>(new Map());

  const senders = useQuery({ queryKey: sendersKey, queryFn: listSenders });
  const templates = useQuery({
    queryKey: [...templatesKey, "list", "campaign-picker"],
    queryFn: () => listTemplates({ limit: 200 }),
  });
  const segments = useQuery({ queryKey: [...segmentsKey, "list", "picker"], queryFn: () => listSegments(null, 200) });

  const senderList = senders.data ?? [];
  const templateList = templates.data?.data ?? [];
  const sender = senderList.find((s) => s.id === senderId) ?? (senderList.length === 1 ? senderList[0] : undefined);
  const effectiveSenderId = senderId ?? sender?.id ?? null;
  const template = templateList.find((tpl) => tpl.id === templateId);
  const mapping = template ? fitMapping(template.template, variables) : variables;

  const input = (): CampaignInput => ({
    name: name.trim(),
    senderId: effectiveSenderId ?? "",
    templateId: templateId ?? "",
    segmentId,
    variables: mapping,
    schedule,
    quietHours,
  });
  const save = useMutation({
    mutationFn: () => (saved ? updateCampaign(saved.id, input()) : createCampaign(input())),
    onSuccess: async (campaign) => {
      setSaved(campaign);
      queryClient.setQueryData(campaignKey(campaign.id), campaign);
      await queryClient.invalidateQueries({ queryKey: campaignsKey });
    },
  });

  const serverErrors = new Map<string, string>();
  if (save.error instanceof ApiError && save.error.code === "validation_failed")
    for (const issue of save.error.issues) serverErrors.set(issue.path, issue.message);
  const errors = new Map([...serverErrors, ...localErrors]);
  const stepsWithErrors = new Set([...errors.keys()].map(stepOf));

  /** What the current step lacks before moving on, checked here so the marketer need not wait for the server. */
  const checkStep = (step: Step): Map<string, string> => {
    const problems = new Map<string, string>();
    if (step === "basics") {
      if (!name.trim()) problems.set("name", t("campaigns.name"));
      if (!effectiveSenderId) problems.set("senderId", t("campaigns.senderHint"));
      if (!templateId) problems.set("templateId", t("campaigns.templateHint"));
    }
    if (step === "audience" && !segmentId) problems.set("segmentId", t("campaigns.segmentHint"));
    if (step === "variables" && template)
      for (const place of requiredPlaces(template.template)) {
        if (!sourceComplete(mapping[place])) problems.set(`variables.${place}`, t("campaigns.placeRequired"));
      }
    if (step === "schedule" && schedule.kind === "at" && (schedule.at === null || schedule.at <= Date.now()))
      problems.set("schedule.at", t("campaigns.schedulePast"));
    if (step === "schedule" && quietHours && quietHours.startHour === quietHours.endHour)
      problems.set("quietHours.endHour", t("campaigns.quietSame"));
    return problems;
  };

  const goTo = async (target: number) => {
    if (target > active) {
      for (let step = active; step < target; step++) {
        const problems = checkStep(STEPS[step] ?? "review");
        if (problems.size > 0) {
          setLocalErrors(problems);
          setActive(step);
          return;
        }
      }
    }
    setLocalErrors(new Map());
    if (STEPS[target] === "review") {
      try {
        await save.mutateAsync();
      } catch (error) {
        if (error instanceof ApiError && error.code === "validation_failed") {
          const owners = new Set(error.issues.map((issue) => stepOf(issue.path)));
          const first = STEPS.findIndex((step) => owners.has(step));
          setActive(first >= 0 ? first : active);
        }
        return;
      }
    }
    setActive(target);
  };

  const saveError =
    save.error && !(save.error instanceof ApiError && save.error.code === "validation_failed")
      ? errorMessage(t, save.error)
      : null;
  const loading = senders.isPending || templates.isPending || segments.isPending;
  const loadError = senders.error ?? templates.error ?? segments.error;
  const step = STEPS[active] ?? "basics";
  const blocker =
    template && template.status !== "APPROVED"
      ? t("campaigns.notApproved", { status: t(`templates.statuses.${template.status}`) })
      : null;

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/campaigns" size="sm">
        <IconArrowLeft size={14} style={{ verticalAlign: "middle" }} /> {t("campaigns.backToList")}
      </Anchor>
      <PageHeader
        title={draft ? t("campaigns.editTitle", { name: draft.name }) : t("campaigns.newTitle")}
        icon={sectionIcon("campaigns")}
      />
      {loadError ? <QueryError error={loadError} onRetry={() => void queryClient.invalidateQueries()} /> : null}
      {loading ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {!loading && !loadError ? (
        <Paper withBorder radius="md" p="lg">
          <Stepper active={active} onStepClick={(index) => void goTo(index)} size="sm" allowNextStepsSelect={false}>
            {STEPS.map((key) => (
              <Stepper.Step
                key={key}
                label={t(`campaigns.steps.${key}`)}
                description={t(`campaigns.steps.${key}Hint`)}
                color={stepsWithErrors.has(key) ? "red" : undefined}
              />
            ))}
          </Stepper>
          <Stack gap="md" mt="lg" data-testid={`wizard-step-${step}`}>
            {step === "basics" ? (
              <BasicsStep
                name={name}
                onName={setName}
                senders={senderList}
                senderId={effectiveSenderId}
                onSender={setSenderId}
                templates={templateList}
                templateId={templateId}
                onTemplate={(id) => {
                  setTemplateId(id);
                  setVariables({});
                }}
                errors={errors}
              />
            ) : null}
            {step === "audience" ? (
              <AudienceStep
                segments={segments.data?.data ?? []}
                segmentId={segmentId}
                onSegment={setSegmentId}
                errors={errors}
              />
            ) : null}
            {step === "variables" && template ? (
              <VariableMappingEditor
                template={template}
                segmentId={segmentId}
                mapping={mapping}
                onChange={setVariables}
                errors={errors}
              />
            ) : null}
            {step === "schedule" ? (
              <ScheduleStep
                schedule={schedule}
                onSchedule={setSchedule}
                quietHours={quietHours}
                onQuietHours={setQuietHours}
                errors={errors}
              />
            ) : null}
            {step === "review" && saved ? (
              <CampaignReview
                campaign={saved}
                templateName={template ? `${template.name} (${template.language})` : ""}
                senderName={sender?.name ?? ""}
                blocker={blocker}
                onLaunched={(launched) => navigate(`/campaigns/${launched.id}`)}
              />
            ) : null}
            {stepsWithErrors.size > 0 && step !== "review" && serverErrors.size > 0 ? (
              <Alert color="red" role="alert">
                {t("campaigns.fixSteps", {
                  steps: [...stepsWithErrors].map((s) => t(`campaigns.steps.${s}`)).join(", "),
                })}{" "}
                {[...serverErrors.values()].join(" ")}
              </Alert>
            ) : null}
            {saveError ? (
              <Alert color="red" role="alert">
                {saveError}
              </Alert>
            ) : null}
            <Group justify="space-between">
              <Button variant="default" disabled={active === 0} onClick={() => setActive(active - 1)}>
                {t("campaigns.back")}
              </Button>
              <Group gap="xs">
                {step === "review" ? null : saved || active >= 3 ? (
                  <Button
                    variant="subtle"
                    leftSection={<IconDeviceFloppy size={16} />}
                    loading={save.isPending && step !== "schedule"}
                    onClick={() =>
                      save.mutate(undefined, { onSuccess: () => notifySuccess(t("campaigns.draftSaved")) })
                    }
                  >
                    {t("campaigns.saveDraft")}
                  </Button>
                ) : null}
                {step === "review" ? null : (
                  <Button onClick={() => void goTo(active + 1)} loading={save.isPending && active === 3}>
                    {t("campaigns.next")}
                  </Button>
                )}
              </Group>
            </Group>
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}
