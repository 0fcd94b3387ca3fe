import {
  Alert,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSend } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ConversationDetail,
  cannedKey,
  inboxKey,
  type ReplyInput,
  reply,
  replyTemplates,
  searchCanned,
} from "../../api/inbox";
import { errorMessage } from "../../lib/errors";
import { notifyError } from "../../lib/notify";

/**
 * Writes a reply: free text inside the 24-hour window (type "/shortcut" to insert a canned reply), an approved
 * template when the window is closed (or by choice).
 */
export function Composer({ detail }: { detail: ConversationDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const id = detail.conversation.id;
  const windowOpen = detail.conversation.window.open;
  const [mode, setMode] = useState<"text" | "template">(windowOpen ? "text" : "template");
  useEffect(() => setMode(windowOpen ? "text" : "template"), [windowOpen]);

  const send = useMutation({
    mutationFn: (input: ReplyInput) => reply(id, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKey }),
    onError: (error) => notifyError(errorMessage(t, error)),
  });

  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-label={t("inbox.composer")}>
      <Stack gap="xs">
        {windowOpen ? (
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(value) => setMode(value as "text" | "template")}
            data={[
              { value: "text", label: t("inbox.freeText") },
              { value: "template", label: t("inbox.template") },
            ]}
          />
        ) : (
          <Alert color="orange" p="xs" data-testid="window-closed">
            {t("inbox.windowClosedHint")}
          </Alert>
        )}
        {mode === "text" && windowOpen ? (
          <TextReply
            language={detail.contact.language ?? ""}
            sending={send.isPending}
            onSend={(text) => send.mutateAsync({ kind: "text", text })}
          />
        ) : (
          <TemplateReply
            conversationId={id}
            sending={send.isPending}
            onSend={(templateId, values) => send.mutateAsync({ kind: "template", templateId, values })}
          />
        )}
      </Stack>
    </Paper>
  );
}

function TextReply({
  language,
  sending,
  onSend,
}: {
  language: string;
  sending: boolean;
  onSend: (text: string) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  // "/ho" → canned replies whose shortcut starts with "ho", the contact's language first.
  const shortcut = /^\/([a-z0-9_-]*)$/i.exec(text.trim())?.[1]?.toLowerCase() ?? null;
  const [debounced] = useDebouncedValue(shortcut, 150);
  const canned = useQuery({
    queryKey: cannedKey(debounced ?? "", language),
    queryFn: () => searchCanned(debounced ?? "", language),
    enabled: debounced !== null,
  });
  const suggestions = shortcut !== null ? (canned.data ?? []) : [];

  async function submit() {
    const body = text.trim();
    if (!body || shortcut !== null) return;
    await onSend(body).then(
      () => setText(""),
      () => {},
    );
  }

  return (
    <Stack gap={6}>
      {suggestions.length > 0 ? (
        <Paper withBorder p={4} radius="sm" data-testid="canned-suggestions">
          <Stack gap={2}>
            {suggestions.map((c) => (
              <UnstyledButton key={c.id} onClick={() => setText(c.body)} p={4}>
                <Text size="sm" fw={600} span>
                  /{c.shortcut}
                </Text>{" "}
                <Text size="xs" c="dimmed" span>
                  {c.language} · {c.title}
                </Text>
                <Text size="xs" lineClamp={1}>
                  {c.body}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </Paper>
      ) : shortcut !== null && canned.isFetched ? (
        <Text size="xs" c="dimmed">
          {t("inbox.noCanned")}
        </Text>
      ) : null}
      <Textarea
        aria-label={t("inbox.message")}
        placeholder={t("inbox.messagePlaceholder")}
        autosize
        minRows={2}
        maxRows={8}
        maxLength={4096}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && suggestions.length > 0 && suggestions[0]) {
            event.preventDefault();
            setText(suggestions[0].body);
          } else if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
            event.preventDefault();
            void submit();
          }
        }}
      />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {t("inbox.composerHint")}
        </Text>
        <Button
          size="xs"
          leftSection={<IconSend size={14} />}
          onClick={() => void submit()}
          loading={sending}
          disabled={!text.trim() || shortcut !== null}
        >
          {t("inbox.send")}
        </Button>
      </Group>
    </Stack>
  );
}

function TemplateReply({
  conversationId,
  sending,
  onSend,
}: {
  conversationId: string;
  sending: boolean;
  onSend: (templateId: string, values: Record<string, string>) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const templates = useQuery({
    queryKey: [...inboxKey, "templates", conversationId],
    queryFn: () => replyTemplates(conversationId),
  });
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const template = templates.data?.find((tpl) => tpl.id === templateId) ?? null;

  function choose(id: string | null) {
    setTemplateId(id);
    const chosen = templates.data?.find((tpl) => tpl.id === id);
    setValues(Object.fromEntries((chosen?.places ?? []).map((p) => [p, chosen?.examples[p] ?? ""])));
  }

  if (templates.isError) return <Alert color="red">{errorMessage(t, templates.error)}</Alert>;
  return (
    <Stack gap={6}>
      <Select
        size="xs"
        label={t("inbox.chooseTemplate")}
        placeholder={templates.data?.length === 0 ? t("inbox.noTemplates") : t("inbox.chooseTemplate")}
        data={(templates.data ?? []).map((tpl) => ({ value: tpl.id, label: `${tpl.name} (${tpl.language})` }))}
        value={templateId}
        onChange={choose}
        searchable
        data-testid="template-picker"
      />
      {template ? (
        <>
          <Text size="xs" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
            {template.body}
          </Text>
          {template.places.map((place) => (
            <TextInput
              key={place}
              size="xs"
              label={t("inbox.place", { place })}
              value={values[place] ?? ""}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setValues((current) => ({ ...current, [place]: value }));
              }}
            />
          ))}
        </>
      ) : null}
      <Group justify="flex-end">
        <Button
          size="xs"
          leftSection={<IconSend size={14} />}
          disabled={!template}
          loading={sending}
          onClick={() =>
            template &&
            void onSend(template.id, values).then(
              () => choose(null),
              () => {},
            )
          }
        >
          {t("inbox.sendTemplate")}
        </Button>
      </Group>
    </Stack>
  );
}
