import { Badge, Box, Group, Paper, ScrollArea, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertCircle, IconCheck, IconChecks, IconClock, IconHelp, IconRobot } from "@tabler/icons-react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { MessageStatus, ThreadItem } from "../../api/inbox";
import { formatTime } from "../../lib/format";

/** The messages of a conversation as chat bubbles: the customer's on the left, ours on the right with status ticks. */
export function Thread({ messages }: { messages: ThreadItem[] }) {
  const { t } = useTranslation();
  const viewport = useRef<HTMLDivElement>(null);
  const last = messages.at(-1)?.id;
  // Keep the newest message in view when one arrives.
  useEffect(() => {
    if (last !== undefined) viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [last]);
  return (
    <ScrollArea h={440} viewportRef={viewport} type="auto" aria-label={t("inbox.thread")}>
      <Stack gap="xs" p="xs" data-testid="thread">
        {messages.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center">
            {t("inbox.noMessages")}
          </Text>
        ) : null}
        {messages.map((m) => (m.direction === "in" ? <Inbound key={m.id} m={m} /> : <Outbound key={m.id} m={m} />))}
      </Stack>
    </ScrollArea>
  );
}

function Inbound({ m }: { m: Extract<ThreadItem, { direction: "in" }> }) {
  return (
    <Box style={{ alignSelf: "flex-start", maxWidth: "80%" }} data-direction="in">
      <Paper p="xs" radius="md" bg="var(--mantine-color-gray-1)">
        <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
          {m.text ?? `[${m.type}]`}
        </Text>
      </Paper>
      <Text size="xs" c="dimmed" mt={2}>
        {formatTime(m.at)}
      </Text>
    </Box>
  );
}

function Outbound({ m }: { m: Extract<ThreadItem, { direction: "out" }> }) {
  const { t } = useTranslation();
  return (
    <Box style={{ alignSelf: "flex-end", maxWidth: "80%" }} data-direction="out">
      <Paper p="xs" radius="md" bg="var(--mantine-color-green-1)">
        {m.template ? (
          <Badge size="xs" variant="light" mb={4}>
            {t("inbox.templateBadge", { name: m.template })}
          </Badge>
        ) : null}
        <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
          {m.text}
        </Text>
      </Paper>
      <Group gap={4} justify="flex-end" mt={2}>
        {m.origin === "auto_reply" ? (
          <Tooltip label={t("inbox.autoReply")}>
            <IconRobot size={14} aria-label={t("inbox.autoReply")} />
          </Tooltip>
        ) : null}
        <Text size="xs" c="dimmed">
          {m.origin === "agent" && m.author ? `${m.author.name} · ` : ""}
          {m.origin === "campaign" ? `${t("inbox.campaign")} · ` : ""}
          {formatTime(m.at)}
        </Text>
        <StatusTick status={m.status} error={m.errorCode === null ? null : `${m.errorCode}: ${m.errorMessage ?? ""}`} />
      </Group>
    </Box>
  );
}

/** ✓ sent, ✓✓ delivered, blue ✓✓ read, a clock while queued, red ! when it failed (with Meta's code). */
export function StatusTick({ status, error }: { status: MessageStatus; error: string | null }) {
  const { t } = useTranslation();
  const label = t(`inbox.messageStatus.${status}`);
  const icon = (() => {
    switch (status) {
      case "queued":
      case "sending":
        return <IconClock size={14} color="var(--mantine-color-gray-6)" />;
      case "sent":
        return <IconCheck size={14} color="var(--mantine-color-gray-6)" />;
      case "delivered":
        return <IconChecks size={14} color="var(--mantine-color-gray-6)" />;
      case "read":
        return <IconChecks size={14} color="var(--mantine-color-blue-6)" />;
      case "failed":
        return <IconAlertCircle size={14} color="var(--mantine-color-red-6)" />;
      default:
        return <IconHelp size={14} color="var(--mantine-color-gray-6)" />;
    }
  })();
  return (
    <Tooltip label={error ? `${label} — ${error}` : label}>
      <span role="img" aria-label={label} data-status={status} style={{ display: "inline-flex" }}>
        {icon}
      </span>
    </Tooltip>
  );
}
