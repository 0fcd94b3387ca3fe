import { Badge, Button, Grid, Group, Loader, Paper, Stack, Text, Tooltip } from "@mantine/core";
import { IconMessageCircle, IconSettings } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { type ConversationFilters, conversationKey, getConversation, inboxKey, markRead } from "../../api/inbox";
import { useCurrentUser } from "../../auth/session";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { CannedRepliesModal } from "./CannedRepliesModal";
import { Composer } from "./Composer";
import { ContactPanel } from "./ContactPanel";
import { ConversationList } from "./ConversationList";
import { PrioritySettingsModal } from "./PrioritySettingsModal";
import { TeamCard } from "./TeamCard";
import { Thread } from "./Thread";
import { useInboxStream } from "./useInboxStream";

/**
 * The team inbox: conversations in working order (high-value customers first, then the longest waiting; red when
 * unanswered for 2 hours), the open conversation's thread and composer, the customer alongside, live updates.
 */
export function InboxPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const live = useInboxStream();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get("c");
  const [filters, setFilters] = useState<ConversationFilters>({ status: "open" });
  const [cannedOpen, setCannedOpen] = useState(false);
  const [priorityOpen, setPriorityOpen] = useState(false);

  const detail = useQuery({
    queryKey: conversationKey(selectedId ?? ""),
    queryFn: () => getConversation(selectedId ?? ""),
    enabled: selectedId !== null,
    // Delivery ticks change without the conversation changing: look again every few seconds while it is open.
    refetchInterval: 5_000,
  });
  const read = useMutation({
    mutationFn: markRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKey }),
  });
  const unread = detail.data?.conversation.unread ?? 0;
  const openId = detail.data?.conversation.id;
  const lastInbound = detail.data?.conversation.lastInboundAt ?? 0;
  const markAsRead = read.mutate;
  // Opening a conversation (or a new message arriving while it is open) marks it read, once per new message.
  const marked = useRef("");
  useEffect(() => {
    const key = `${openId}:${lastInbound}`;
    if (!openId || unread === 0 || marked.current === key) return;
    marked.current = key;
    markAsRead(openId);
  }, [openId, unread, lastInbound, markAsRead]);

  const select = (id: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set("c", id);
      return next;
    });

  return (
    <Stack gap="md">
      <PageHeader title={t("nav.inbox")} icon={sectionIcon("inbox")} description={t("inbox.intro")} />
      <Group justify="space-between">
        <Tooltip label={live ? t("inbox.liveHint") : t("inbox.offlineHint")}>
          <Badge variant="dot" color={live ? "teal" : "gray"} data-testid="live-badge">
            {live ? t("inbox.live") : t("inbox.offline")}
          </Badge>
        </Tooltip>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconMessageCircle size={14} />}
            onClick={() => setCannedOpen(true)}
          >
            {t("inbox.canned.button")}
          </Button>
          {user.role === "admin" ? (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconSettings size={14} />}
              onClick={() => setPriorityOpen(true)}
            >
              {t("inbox.priority.button")}
            </Button>
          ) : null}
        </Group>
      </Group>
      <TeamCard />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <ConversationList filters={filters} onFilters={setFilters} selectedId={selectedId} onSelect={select} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          {selectedId === null ? (
            <Paper withBorder radius="md" p="xl">
              <Text c="dimmed" ta="center">
                {t("inbox.pick")}
              </Text>
            </Paper>
          ) : detail.isPending ? (
            <Loader size="sm" aria-label={t("common.loading")} />
          ) : detail.isError ? (
            <QueryError error={detail.error} onRetry={() => detail.refetch()} />
          ) : (
            <Stack gap="sm">
              <Paper withBorder radius="md" p={0} component="section" aria-label={t("inbox.thread")}>
                <Group justify="space-between" px="sm" pt="xs">
                  <Text fw={600}>{detail.data.contact.name || detail.data.contact.phone}</Text>
                  <Text size="xs" c="dimmed">
                    {detail.data.conversation.sender.name}
                  </Text>
                </Group>
                <Thread messages={detail.data.messages} />
              </Paper>
              <Composer key={detail.data.conversation.id} detail={detail.data} />
            </Stack>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}>
          {detail.data && selectedId ? <ContactPanel detail={detail.data} /> : null}
        </Grid.Col>
      </Grid>
      <CannedRepliesModal opened={cannedOpen} onClose={() => setCannedOpen(false)} />
      {user.role === "admin" ? (
        <PrioritySettingsModal opened={priorityOpen} onClose={() => setPriorityOpen(false)} />
      ) : null}
    </Stack>
  );
}
