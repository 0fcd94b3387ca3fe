import {
  Badge,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from "@mantine/core";
import { IconFlag3Filled, IconStarFilled } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import {
  CONVERSATION_STATUSES,
  type Conversation,
  type ConversationFilters,
  type ConversationStatus,
  conversationsKey,
  listConversations,
} from "../../api/inbox";
import { QueryError } from "../../components/QueryError";
import { formatTime } from "../../lib/format";
import { formatDuration, useNow } from "./format";

/** The inbox list with its filters: overdue flagged red, high-value customers marked, unread counts, assignee. */
export function ConversationList({
  filters,
  onFilters,
  selectedId,
  onSelect,
}: {
  filters: ConversationFilters;
  onFilters: (filters: ConversationFilters) => void;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: conversationsKey(filters),
    queryFn: () => listConversations(filters),
    refetchInterval: 30_000,
  });
  // Sender numbers seen in the list (agents may not read the sender settings): the filter appears with two or more.
  const seen = useRef(new Map<string, string>());
  for (const c of list.data ?? []) seen.current.set(c.sender.id, c.sender.name);
  const senders = [...seen.current.entries()].map(([value, label]) => ({ value, label }));

  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={t("inbox.conversations")}>
      <Stack gap="xs">
        <SegmentedControl
          size="xs"
          fullWidth
          aria-label={t("inbox.statusFilter")}
          value={filters.status ?? "all"}
          onChange={(value) =>
            onFilters({ ...filters, status: value === "all" ? undefined : (value as ConversationStatus) })
          }
          data={[
            ...CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`inbox.status.${s}`) })),
            { value: "all", label: t("inbox.all") },
          ]}
        />
        <Group grow gap="xs">
          <Select
            size="xs"
            aria-label={t("inbox.assignedFilter")}
            value={filters.assigned ?? "any"}
            onChange={(value) => onFilters({ ...filters, assigned: !value || value === "any" ? undefined : value })}
            data={[
              { value: "any", label: t("inbox.anyone") },
              { value: "me", label: t("inbox.mine") },
              { value: "unassigned", label: t("inbox.unassigned") },
            ]}
            allowDeselect={false}
          />
          {senders.length > 1 ? (
            <Select
              size="xs"
              aria-label={t("inbox.senderFilter")}
              placeholder={t("inbox.allNumbers")}
              value={filters.senderId ?? null}
              clearable
              onChange={(value) => onFilters({ ...filters, senderId: value ?? undefined })}
              data={senders}
            />
          ) : null}
        </Group>
        {list.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
        {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
        {list.data?.length === 0 ? (
          <Text size="sm" c="dimmed" py="md" ta="center">
            {t("inbox.empty")}
          </Text>
        ) : null}
        <Stack gap={6} data-testid="conversation-list">
          {list.data?.map((c) => (
            <ConversationItem key={c.id} conversation={c} selected={c.id === selectedId} onSelect={onSelect} />
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}

function ConversationItem({
  conversation: c,
  selected,
  onSelect,
}: {
  conversation: Conversation;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const waiting = c.waitingSince === null ? null : now - c.waitingSince;
  return (
    <UnstyledButton
      onClick={() => onSelect(c.id)}
      aria-current={selected ? "true" : undefined}
      data-testid="conversation-item"
      data-overdue={c.overdue ? "true" : "false"}
    >
      <Paper
        withBorder
        p="xs"
        radius="sm"
        bg={selected ? "var(--mantine-color-blue-light)" : undefined}
        style={c.overdue ? { borderLeft: "4px solid var(--mantine-color-red-6)" } : undefined}
      >
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            {c.overdue ? (
              <Tooltip label={t("inbox.overdueHint")}>
                <IconFlag3Filled size={16} color="var(--mantine-color-red-6)" aria-label={t("inbox.overdue")} />
              </Tooltip>
            ) : null}
            <Text size="sm" fw={c.unread > 0 ? 700 : 500} truncate>
              {c.contact.name || c.contact.phone}
            </Text>
            {c.priority ? (
              <Badge size="xs" color="yellow" variant="filled" leftSection={<IconStarFilled size={10} />}>
                {t("inbox.vip")}
              </Badge>
            ) : null}
          </Group>
          {c.unread > 0 ? (
            <Badge size="sm" circle color="blue" aria-label={t("inbox.unreadCount", { count: c.unread })}>
              {c.unread}
            </Badge>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed" truncate>
          {c.lastPreview ?? ""}
        </Text>
        <Group justify="space-between" gap="xs" mt={2}>
          <Text size="xs" c={c.assignee ? undefined : "dimmed"}>
            {c.assignee ? c.assignee.name || c.assignee.email : t("inbox.unassigned")}
          </Text>
          <Text size="xs" c={c.overdue ? "red" : "dimmed"}>
            {waiting !== null
              ? t("inbox.waitingFor", { time: formatDuration(t, waiting) })
              : formatTime(c.lastMessageAt)}
          </Text>
        </Group>
      </Paper>
    </UnstyledButton>
  );
}
