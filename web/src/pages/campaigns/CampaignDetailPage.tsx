import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconArrowLeft, IconEdit, IconPlayerPause, IconPlayerPlay, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type CampaignAction, campaignAction, campaignKey, campaignsKey, getCampaign } from "../../api/campaigns";
import { getSegment, segmentKey } from "../../api/segments";
import { listSenders, sendersKey } from "../../api/senders";
import { getTemplate, templateKey } from "../../api/templates";
import type { Campaign, MessageStatus } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { TemplateStatusBadge } from "../templates/TemplateBadges";
import { CampaignProgressPanel } from "./CampaignProgressPanel";
import { CampaignRecipients } from "./CampaignRecipients";
import { CampaignReview, useQuietHoursLabel } from "./CampaignReview";
import { CampaignStatusBadge } from "./CampaignStatusBadge";
import { useCampaignProgress } from "./useCampaignProgress";

const LIVE = new Set(["scheduled", "launching", "running", "paused"]);
/** How long after completion the page keeps following delivered/read statuses. */
const FOLLOW_UP_MS = 24 * 3_600_000;

/** `/campaigns/:id`: a draft's review and launch, or a launched campaign's live progress, controls and recipients. */
export function CampaignDetailPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const campaign = useQuery({
    queryKey: campaignKey(id),
    queryFn: () => getCampaign(id),
    refetchInterval: (query) => (query.state.data?.status === "scheduled" ? 5_000 : false),
  });
  if (campaign.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (campaign.isError) return <QueryError error={campaign.error} onRetry={() => campaign.refetch()} />;
  return <CampaignDetail campaign={campaign.data} />;
}

function CampaignDetail({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<MessageStatus | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const template = useQuery({
    queryKey: templateKey(campaign.templateId),
    queryFn: () => getTemplate(campaign.templateId),
  });
  const segment = useQuery({
    queryKey: segmentKey(campaign.segmentId ?? ""),
    queryFn: () => getSegment(campaign.segmentId ?? ""),
    enabled: campaign.segmentId !== null,
  });
  const senders = useQuery({ queryKey: sendersKey, queryFn: listSenders });
  const sender = senders.data?.find((s) => s.id === campaign.senderId);
  const launched = campaign.status !== "draft";
  const live = LIVE.has(campaign.status);
  const followUp = campaign.completedAt !== null && Date.now() - campaign.completedAt < FOLLOW_UP_MS;
  const { progress, connected } = useCampaignProgress(campaign.id, launched && live, followUp);

  const act = useMutation({
    mutationFn: (action: CampaignAction) => campaignAction(campaign.id, action),
    onSuccess: async (updated, action) => {
      queryClient.setQueryData(campaignKey(campaign.id), updated);
      await queryClient.invalidateQueries({ queryKey: campaignsKey });
      if (action === "pause") notifySuccess(t("campaigns.paused"));
      if (action === "resume") notifySuccess(t("campaigns.resumed"));
      if (action === "cancel") {
        notifySuccess(t("campaigns.cancelled"));
        setConfirmCancel(false);
      }
    },
    onError: (error, action) => {
      if (action !== "cancel") notifyError(errorMessage(t, error));
    },
  });
  const canPause = campaign.status === "running" || campaign.status === "launching";
  const canResume = campaign.status === "paused";
  const canCancel = ["draft", "scheduled", "launching", "running", "paused"].includes(campaign.status);
  const quietLabel = useQuietHoursLabel();
  const schedule =
    campaign.schedule.kind === "at" && campaign.schedule.at !== null
      ? t("campaigns.scheduleKinds.at", { time: formatTime(campaign.schedule.at) })
      : t(`campaigns.scheduleKinds.${campaign.schedule.kind === "at" ? "now" : campaign.schedule.kind}`);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/campaigns" size="sm">
        <IconArrowLeft size={14} style={{ verticalAlign: "middle" }} /> {t("campaigns.backToList")}
      </Anchor>
      <PageHeader title={campaign.name} icon={sectionIcon("campaigns")} />
      <Group justify="space-between" mt={-12}>
        <CampaignStatusBadge status={progress.data?.status ?? campaign.status} />
        <Group gap="xs">
          {campaign.status === "draft" ? (
            <Button
              variant="default"
              leftSection={<IconEdit size={16} />}
              component={Link}
              to={`/campaigns/${campaign.id}/edit`}
            >
              {t("campaigns.edit")}
            </Button>
          ) : null}
          {canPause ? (
            <Button
              variant="default"
              leftSection={<IconPlayerPause size={16} />}
              loading={act.isPending && act.variables === "pause"}
              onClick={() => act.mutate("pause")}
            >
              {t("campaigns.pause")}
            </Button>
          ) : null}
          {canResume ? (
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              loading={act.isPending && act.variables === "resume"}
              onClick={() => act.mutate("resume")}
            >
              {t("campaigns.resume")}
            </Button>
          ) : null}
          {canCancel ? (
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconX size={16} />}
              onClick={() => {
                act.reset();
                setConfirmCancel(true);
              }}
            >
              {t("campaigns.cancel")}
            </Button>
          ) : null}
        </Group>
      </Group>

      <Paper withBorder radius="md" p="md">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
          <Field label={t("campaigns.template")}>
            {template.data ? (
              <Group gap="xs">
                <Anchor component={Link} to={`/templates/${template.data.id}`} size="sm">
                  {template.data.name} · {template.data.language}
                </Anchor>
                <TemplateStatusBadge status={template.data.status} />
              </Group>
            ) : (
              "…"
            )}
          </Field>
          <Field label={t("campaigns.segment")}>
            {segment.data ? (
              <Anchor component={Link} to={`/segments/${segment.data.id}`} size="sm">
                {segment.data.name}
              </Anchor>
            ) : (
              "—"
            )}
          </Field>
          <Field label={t("campaigns.sender")}>{sender ? `${sender.name} (${sender.displayPhoneNumber})` : "…"}</Field>
          <Field label={t("campaigns.scheduleLabel")}>
            {schedule}
            {campaign.launchedAt ? ` · ${t("campaigns.launched")} ${formatTime(campaign.launchedAt)}` : ""}
          </Field>
          <Field label={t("campaigns.quietHoursLabel")}>{quietLabel(campaign.quietHours)}</Field>
        </SimpleGrid>
      </Paper>

      {campaign.status === "draft" ? (
        <CampaignReview
          campaign={campaign}
          templateName={template.data ? `${template.data.name} (${template.data.language})` : ""}
          senderName={sender?.name ?? ""}
          blocker={
            template.data && template.data.status !== "APPROVED"
              ? t("campaigns.notApproved", { status: t(`templates.statuses.${template.data.status}`) })
              : null
          }
          onLaunched={(updated) => queryClient.setQueryData(campaignKey(campaign.id), updated)}
        />
      ) : null}
      {launched && progress.isError ? <QueryError error={progress.error} onRetry={() => progress.refetch()} /> : null}
      {launched && campaign.lastError && !progress.data ? <Alert color="red">{campaign.lastError}</Alert> : null}
      {launched && progress.data ? (
        <CampaignProgressPanel progress={progress.data} connected={connected} onStatusClick={setStatus} />
      ) : null}
      {launched ? (
        <CampaignRecipients
          campaignId={campaign.id}
          status={status}
          onStatus={setStatus}
          counts={progress.data?.counts ?? {}}
          live={live || followUp}
        />
      ) : (
        <Text size="sm" c="dimmed">
          {t("campaigns.notLaunched")}
        </Text>
      )}
      <ConfirmDialog
        opened={confirmCancel}
        title={t("campaigns.cancelTitle")}
        message={t("campaigns.cancelConfirm")}
        confirmLabel={t("campaigns.cancel")}
        loading={act.isPending && act.variables === "cancel"}
        error={act.isError && act.variables === "cancel" ? errorMessage(t, act.error) : null}
        onConfirm={() => act.mutate("cancel")}
        onClose={() => setConfirmCancel(false)}
      />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}
