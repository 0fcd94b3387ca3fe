import { Alert, Badge, Group, List, Loader, Paper, Radio, Select, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { previewSavedSegment } from "../../api/segments";
import {
  type CampaignSchedule,
  DEFAULT_QUIET_HOURS,
  type QuietHours,
  type Segment,
  type Sender,
  type StoredTemplate,
} from "../../api/types";
import { formatNumber } from "../../lib/format";
import { TemplateStatusBadge } from "../templates/TemplateBadges";

/** Why a template cannot be sent from this sender, or null when it can. */
export function templateBlocker(
  template: StoredTemplate,
  sender: Sender | undefined,
  t: (key: "campaigns.otherAccount") => string,
): string | null {
  if (template.status !== "APPROVED") return null;
  if (sender && template.wabaId !== null && template.wabaId !== sender.wabaId) return t("campaigns.otherAccount");
  return null;
}

/** Step 1: the campaign's name, the sender number, and an approved template of that number's account. */
export function BasicsStep({
  name,
  onName,
  senders,
  senderId,
  onSender,
  templates,
  templateId,
  onTemplate,
  errors,
}: {
  name: string;
  onName: (name: string) => void;
  senders: Sender[];
  senderId: string | null;
  onSender: (id: string | null) => void;
  templates: StoredTemplate[];
  templateId: string | null;
  onTemplate: (id: string | null) => void;
  errors: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const sender = senders.find((s) => s.id === senderId);
  const usable = (tpl: StoredTemplate) => tpl.status === "APPROVED" && templateBlocker(tpl, sender, t) === null;
  const unusable = templates.filter((tpl) => !usable(tpl));
  const byId = new Map(templates.map((tpl) => [tpl.id, tpl]));
  return (
    <Stack gap="md">
      <TextInput
        label={t("campaigns.name")}
        required
        placeholder={t("campaigns.namePlaceholder")}
        value={name}
        onChange={(event) => onName(event.currentTarget.value)}
        error={errors.get("name")}
        maxLength={200}
        maw={480}
      />
      {senders.length === 0 ? <Alert color="orange">{t("campaigns.noSenders")}</Alert> : null}
      <Select
        label={t("campaigns.sender")}
        description={t("campaigns.senderHint")}
        required
        data={senders.map((s) => ({
          value: s.id,
          label: `${s.name} (${s.displayPhoneNumber || s.phoneNumberId})`,
          disabled: s.disabled,
        }))}
        value={senderId}
        onChange={onSender}
        error={errors.get("senderId")}
        allowDeselect={false}
        maw={480}
      />
      <Select
        label={t("campaigns.template")}
        description={t("campaigns.templateHint")}
        required
        searchable
        data={templates.map((tpl) => ({
          value: tpl.id,
          label: `${tpl.name} · ${tpl.language}`,
          disabled: !usable(tpl),
        }))}
        renderOption={({ option }) => {
          const tpl = byId.get(option.value);
          return (
            <Group gap="xs" justify="space-between" w="100%">
              <Text size="sm">{option.label}</Text>
              {tpl ? (
                <Badge size="xs" variant="light" color={usable(tpl) ? "teal" : "gray"}>
                  {t(`templates.statuses.${tpl.status}`)}
                </Badge>
              ) : null}
            </Group>
          );
        }}
        value={templateId}
        onChange={onTemplate}
        error={errors.get("templateId")}
        disabled={!senderId}
        maw={480}
        nothingFoundMessage="—"
      />
      {senderId && templates.filter(usable).length === 0 ? (
        <Alert color="orange">{t("campaigns.noApproved")}</Alert>
      ) : null}
      {senderId && unusable.length > 0 ? (
        <Paper withBorder p="sm" radius="md" maw={640} data-testid="unusable-templates">
          <Text size="sm" fw={500} mb={4}>
            {t("campaigns.templateUnavailable")}
          </Text>
          <List size="sm" spacing={4}>
            {unusable.map((tpl) => (
              <List.Item key={tpl.id}>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <Text size="sm" fw={500} style={{ whiteSpace: "nowrap" }}>
                    {tpl.name} · {tpl.language}
                  </Text>
                  <TemplateStatusBadge status={tpl.status} reason={tpl.rejectedReason} />
                  <Text size="xs" c="dimmed">
                    {templateBlocker(tpl, sender, t) ?? t(`templates.statusHints.${tpl.status}`)}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        </Paper>
      ) : null}
    </Stack>
  );
}

/** Step 2: the segment, with how many contacts it holds right now. */
export function AudienceStep({
  segments,
  segmentId,
  onSegment,
  errors,
}: {
  segments: Segment[];
  segmentId: string | null;
  onSegment: (id: string | null) => void;
  errors: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const count = useQuery({
    queryKey: ["segments", "count", segmentId],
    queryFn: () => previewSavedSegment(segmentId ?? "", 0),
    enabled: segmentId !== null,
  });
  const segment = segments.find((s) => s.id === segmentId);
  return (
    <Stack gap="md">
      {segments.length === 0 ? <Alert color="orange">{t("campaigns.noSegments")}</Alert> : null}
      <Select
        label={t("campaigns.segment")}
        description={t("campaigns.segmentHint")}
        required
        searchable
        data={segments.map((s) => ({ value: s.id, label: s.name }))}
        value={segmentId}
        onChange={onSegment}
        error={errors.get("segmentId")}
        allowDeselect={false}
        maw={480}
      />
      {segment?.description ? (
        <Text size="sm" c="dimmed">
          {segment.description}
        </Text>
      ) : null}
      {segmentId ? (
        <Paper withBorder p="md" radius="md" maw={480} aria-live="polite" data-testid="segment-live-count">
          {count.isPending ? (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">{t("campaigns.counting")}</Text>
            </Group>
          ) : count.data ? (
            <Stack gap={2}>
              <Text fz={28} fw={700}>
                {formatNumber(count.data.count)}
              </Text>
              <Text size="sm">{t("campaigns.segmentCount", { count: count.data.count })}</Text>
              <Text size="xs" c="dimmed">
                {t("campaigns.segmentCountHint")}
              </Text>
            </Stack>
          ) : null}
        </Paper>
      ) : null}
    </Stack>
  );
}

/** `datetime-local` value ↔ epoch ms, in the browser's time zone. */
function toLocalInput(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

/** "21:00" for 21. */
export function formatHour(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

const HOURS = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: formatHour(h) }));

/** Step 4: now, at a time, or each recipient's best local hour; and the optional quiet hours. */
export function ScheduleStep({
  schedule,
  onSchedule,
  quietHours,
  onQuietHours,
  errors,
}: {
  schedule: CampaignSchedule;
  onSchedule: (schedule: CampaignSchedule) => void;
  quietHours: QuietHours | null;
  onQuietHours: (quietHours: QuietHours | null) => void;
  errors: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const past = schedule.kind === "at" && schedule.at !== null && schedule.at <= Date.now();
  return (
    <Stack gap="md" maw={640}>
      <Radio.Group
        value={schedule.kind}
        onChange={(kind) =>
          onSchedule({
            kind: kind as CampaignSchedule["kind"],
            at: kind === "at" ? (schedule.at ?? Date.now() + 3_600_000) : null,
          })
        }
        error={errors.get("schedule")}
      >
        <Stack gap="sm">
          <Radio value="now" label={t("campaigns.scheduleNow")} description={t("campaigns.scheduleNowHint")} />
          <Radio value="at" label={t("campaigns.scheduleAt")} description={t("campaigns.scheduleAtHint")} />
          <Radio value="best_hour" label={t("campaigns.scheduleBest")} description={t("campaigns.scheduleBestHint")} />
        </Stack>
      </Radio.Group>
      {schedule.kind === "at" ? (
        <TextInput
          type="datetime-local"
          label={t("campaigns.scheduleWhen")}
          value={schedule.at === null ? "" : toLocalInput(schedule.at)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            onSchedule({ kind: "at", at: value ? new Date(value).getTime() : null });
          }}
          error={errors.get("schedule.at") ?? (past ? t("campaigns.schedulePast") : null)}
          w={260}
        />
      ) : null}
      <Stack gap="xs" data-testid="quiet-hours">
        <Switch
          label={t("campaigns.quietHoursLabel")}
          description={t("campaigns.quietHoursHint")}
          checked={quietHours !== null}
          onChange={(event) => onQuietHours(event.currentTarget.checked ? DEFAULT_QUIET_HOURS : null)}
        />
        {quietHours ? (
          <Group gap="sm" align="flex-start">
            <Select
              label={t("campaigns.quietStart")}
              data={HOURS}
              value={String(quietHours.startHour)}
              onChange={(value) => value !== null && onQuietHours({ ...quietHours, startHour: Number(value) })}
              allowDeselect={false}
              error={errors.get("quietHours.startHour")}
              w={120}
            />
            <Select
              label={t("campaigns.quietEnd")}
              data={HOURS}
              value={String(quietHours.endHour)}
              onChange={(value) => value !== null && onQuietHours({ ...quietHours, endHour: Number(value) })}
              allowDeselect={false}
              error={errors.get("quietHours.endHour") ?? errors.get("quietHours")}
              w={120}
            />
          </Group>
        ) : null}
      </Stack>
    </Stack>
  );
}
