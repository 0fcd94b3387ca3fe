import { Anchor, Badge, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconClockHour4 } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  agentsKey,
  assign,
  CONVERSATION_STATUSES,
  type ConversationDetail,
  type ConversationStatus,
  inboxKey,
  listAgents,
  setStatus,
} from "../../api/inbox";
import { useCurrentUser } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDate, formatNumber } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { notifyError } from "../../lib/notify";
import { formatDuration, useNow } from "./format";

/** Who the customer is (tags, metrics), the 24-hour window's countdown, and who handles the conversation. */
export function ContactPanel({ detail }: { detail: ConversationDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const now = useNow(1000);
  const c = detail.conversation;
  const agents = useQuery({ queryKey: agentsKey, queryFn: listAgents, staleTime: 60_000 });
  const onError = (error: unknown) => notifyError(errorMessage(t, error));
  const refresh = () => queryClient.invalidateQueries({ queryKey: inboxKey });
  const assignTo = useMutation({
    mutationFn: (userId: string | null) => assign(c.id, userId),
    onSuccess: refresh,
    onError,
  });
  const changeStatus = useMutation({
    mutationFn: (status: ConversationStatus) => setStatus(c.id, status),
    onSuccess: refresh,
    onError,
  });
  const remaining = c.window.closesAt === null ? 0 : Math.max(0, c.window.closesAt - now);
  const m = detail.metrics;

  return (
    <Stack gap="sm">
      <Panel title={t("inbox.handling")}>
        <Stack gap="xs">
          <Select
            size="xs"
            label={t("inbox.assignee")}
            data-testid="assignee"
            value={c.assignee?.id ?? "none"}
            allowDeselect={false}
            onChange={(value) => assignTo.mutate(!value || value === "none" ? null : value)}
            data={[
              { value: "none", label: t("inbox.unassigned") },
              ...(agents.data ?? []).map((a) => ({
                value: a.id,
                label: a.id === me.id ? t("inbox.me", { name: a.name || a.email }) : a.name || a.email,
              })),
            ]}
          />
          <SegmentedControl
            size="xs"
            fullWidth
            aria-label={t("common.status")}
            value={c.status}
            onChange={(value) => changeStatus.mutate(value as ConversationStatus)}
            data={CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`inbox.status.${s}`) }))}
          />
        </Stack>
      </Panel>
      <Panel title={t("inbox.window")}>
        <Group gap="xs" data-testid="window-countdown">
          <IconClockHour4
            size={18}
            color={remaining > 0 ? "var(--mantine-color-teal-6)" : "var(--mantine-color-red-6)"}
          />
          <Text size="sm" fw={500}>
            {remaining > 0
              ? t("inbox.windowRemaining", { time: formatDuration(t, remaining) })
              : t("inbox.windowClosed")}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          {t("inbox.windowHint")}
        </Text>
      </Panel>
      <Panel title={t("inbox.customer")}>
        <Stack gap={6}>
          <Anchor component={Link} to={`/contacts/${detail.contact.id}`} size="sm" fw={600}>
            {detail.contact.name || detail.contact.phone}
          </Anchor>
          <Text size="xs" c="dimmed">
            {detail.contact.phone}
            {detail.contact.language ? ` · ${detail.contact.language}` : ""}
          </Text>
          <Group gap={4} data-testid="contact-tags">
            {detail.tags.length === 0 ? (
              <Text size="xs" c="dimmed">
                {t("tags.none")}
              </Text>
            ) : (
              detail.tags.map((tag) => (
                <Badge key={tag.tag} size="sm" variant={tag.source === "rule" ? "light" : "outline"}>
                  {tag.tag}
                </Badge>
              ))
            )}
          </Group>
          {m ? (
            <SimpleGrid cols={2} spacing="xs" verticalSpacing={4}>
              <Fact label={t("metrics.ordersTotal")}>{formatNumber(m.ordersTotal)}</Fact>
              <Fact label={t("metrics.totalSpent")}>{formatMoney(m.totalSpent, m.currency)}</Fact>
              <Fact label={t("metrics.lastOrder")}>
                {m.lastOrderAt === null ? t("common.never") : formatDate(m.lastOrderAt)}
              </Fact>
              <Fact label={t("metrics.heat")}>{t(`metrics.heatLevel.${m.heat}`)}</Fact>
              <Fact label={t("metrics.frequency")}>{t(`metrics.frequencyClass.${m.frequencyClass}`)}</Fact>
              <Fact label={t("metrics.readRate")}>
                {m.readRate === null ? "—" : `${Math.round(m.readRate * 100)}%`}
              </Fact>
            </SimpleGrid>
          ) : null}
        </Stack>
      </Panel>
      {detail.responses.length > 0 ? (
        <Panel title={t("inbox.firstResponses")}>
          <Stack gap={2}>
            {detail.responses.slice(0, 5).map((r) => (
              <Text key={r.respondedAt} size="xs">
                {formatDuration(t, r.responseMs)} ·{" "}
                {r.by === "auto" ? t("inbox.autoReply") : (r.user?.name ?? t("inbox.integration"))}
              </Text>
            ))}
          </Stack>
        </Panel>
      ) : null}
    </Stack>
  );
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={title}>
      <Title order={2} size="h6" mb={6}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}
