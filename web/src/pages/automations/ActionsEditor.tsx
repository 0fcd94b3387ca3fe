import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { IconPlus, IconX } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Action, approvedTemplatesKey, listApprovedTemplates, type ReplyContent } from "../../api/automation";

const KINDS: Action["kind"][] = ["reply", "add_tag", "remove_tag", "opt_out", "opt_in", "handover"];

function emptyAction(kind: Action["kind"]): Action {
  switch (kind) {
    case "reply":
      return { kind, content: { kind: "text", body: "" }, template: null };
    case "add_tag":
    case "remove_tag":
      return { kind, tag: "" };
    case "opt_out":
    case "opt_in":
      return { kind, confirmation: null };
    case "handover":
      return { kind, note: null };
  }
}

function emptyContent(kind: ReplyContent["kind"]): ReplyContent {
  if (kind === "media") return { kind, mediaType: "image", link: "" };
  if (kind === "buttons") return { kind, body: "", buttons: [{ id: "", title: "" }] };
  return { kind: "text", body: "" };
}

/** "1=value" strings ↔ the template's body variables. */
const toPairs = (v: Record<string, string>) => Object.entries(v).map(([k, x]) => `${k}=${x}`);
const fromPairs = (pairs: string[]) =>
  Object.fromEntries(
    pairs.flatMap((p) => {
      const at = p.indexOf("=");
      return at > 0 ? [[p.slice(0, at).trim(), p.slice(at + 1)]] : [];
    }),
  );

/** The rule's actions, in order: reply (with a template for outside the window), tags, consent, hand-over. */
export function ActionsEditor({ value, onChange }: { value: Action[]; onChange: (a: Action[]) => void }) {
  const { t } = useTranslation();
  const templates = useQuery({ queryKey: approvedTemplatesKey, queryFn: listApprovedTemplates });
  const set = (i: number, a: Action) => onChange(value.map((x, j) => (j === i ? a : x)));
  const templateOptions = (templates.data ?? []).map((tpl) => ({
    value: tpl.id,
    label: `${tpl.name} (${tpl.language}, ${tpl.category})`,
  }));

  return (
    <Fieldset legend={t("automations.actions")}>
      <Stack gap="xs">
        {value.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; the kind re-keys a changed row
          <Paper key={`${i}-${a.kind}`} withBorder p="xs">
            <Group align="flex-start" wrap="nowrap">
              <Stack gap="xs" style={{ flex: 1 }}>
                <Select
                  w={220}
                  label={t("automations.editor.actionKind")}
                  data={KINDS.map((k) => ({ value: k, label: t(`automations.actionKind.${k}`) }))}
                  value={a.kind}
                  allowDeselect={false}
                  onChange={(k) => k && set(i, emptyAction(k as Action["kind"]))}
                />
                {a.kind === "reply" ? (
                  <>
                    <SegmentedControl
                      size="xs"
                      data={(["text", "media", "buttons"] as const).map((k) => ({
                        value: k,
                        label: t(`automations.contentKind.${k}`),
                      }))}
                      value={a.content.kind}
                      onChange={(k) => set(i, { ...a, content: emptyContent(k as ReplyContent["kind"]) })}
                    />
                    {a.content.kind === "text" ? (
                      <Textarea
                        label={t("automations.editor.replyText")}
                        autosize
                        minRows={2}
                        value={a.content.body}
                        onChange={(e) => set(i, { ...a, content: { kind: "text", body: e.currentTarget.value } })}
                      />
                    ) : null}
                    {a.content.kind === "media" ? (
                      <MediaFields content={a.content} onChange={(content) => set(i, { ...a, content })} />
                    ) : null}
                    {a.content.kind === "buttons" ? (
                      <ButtonsFields content={a.content} onChange={(content) => set(i, { ...a, content })} />
                    ) : null}
                    <Select
                      label={t("automations.editor.template")}
                      description={t("automations.editor.templateHint")}
                      data={templateOptions}
                      value={a.template?.templateId ?? null}
                      clearable
                      searchable
                      onChange={(id) =>
                        set(i, {
                          ...a,
                          template: id ? { templateId: id, variables: a.template?.variables ?? {} } : null,
                        })
                      }
                    />
                    {a.template ? (
                      <TagsInput
                        label={t("automations.editor.variables")}
                        description={t("automations.editor.variablesHint")}
                        value={toPairs(a.template.variables)}
                        onChange={(pairs) =>
                          a.template && set(i, { ...a, template: { ...a.template, variables: fromPairs(pairs) } })
                        }
                      />
                    ) : null}
                  </>
                ) : null}
                {a.kind === "add_tag" || a.kind === "remove_tag" ? (
                  <TextInput
                    label={t("automations.editor.tag")}
                    value={a.tag}
                    onChange={(e) => set(i, { ...a, tag: e.currentTarget.value })}
                  />
                ) : null}
                {a.kind === "opt_out" || a.kind === "opt_in" ? (
                  <Textarea
                    label={t("automations.editor.confirmation")}
                    description={t("automations.editor.confirmationHint")}
                    autosize
                    minRows={2}
                    value={a.confirmation ?? ""}
                    onChange={(e) => set(i, { ...a, confirmation: e.currentTarget.value || null })}
                  />
                ) : null}
                {a.kind === "handover" ? (
                  <TextInput
                    label={t("automations.editor.note")}
                    value={a.note ?? ""}
                    onChange={(e) => set(i, { ...a, note: e.currentTarget.value || null })}
                  />
                ) : null}
              </Stack>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("automations.editor.removeAction")}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                <IconX size={16} />
              </ActionIcon>
            </Group>
          </Paper>
        ))}
        <Text size="xs" c="dimmed">
          {t("automations.editor.oneMessage")}
        </Text>
        <Group>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange([...value, emptyAction("add_tag")])}
          >
            {t("automations.editor.addAction")}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

function MediaFields({
  content,
  onChange,
}: {
  content: Extract<ReplyContent, { kind: "media" }>;
  onChange: (c: ReplyContent) => void;
}) {
  const { t } = useTranslation();
  return (
    <Group grow align="flex-start">
      <Select
        label={t("automations.editor.mediaType")}
        data={(["image", "video", "document"] as const).map((m) => ({ value: m, label: t(`automations.media.${m}`) }))}
        value={content.mediaType}
        allowDeselect={false}
        onChange={(m) => m && onChange({ ...content, mediaType: m as "image" | "video" | "document" })}
      />
      <TextInput
        label={t("automations.editor.link")}
        placeholder="https://…"
        value={content.link}
        onChange={(e) => onChange({ ...content, link: e.currentTarget.value })}
      />
      <TextInput
        label={t("automations.editor.caption")}
        value={content.caption ?? ""}
        onChange={(e) => {
          const { caption: _c, ...rest } = content;
          onChange(e.currentTarget.value ? { ...rest, caption: e.currentTarget.value } : rest);
        }}
      />
    </Group>
  );
}

function ButtonsFields({
  content,
  onChange,
}: {
  content: Extract<ReplyContent, { kind: "buttons" }>;
  onChange: (c: ReplyContent) => void;
}) {
  const { t } = useTranslation();
  const setButton = (i: number, b: { id: string; title: string }) =>
    onChange({ ...content, buttons: content.buttons.map((x, j) => (j === i ? b : x)) });
  return (
    <Stack gap="xs">
      <Textarea
        label={t("automations.editor.replyText")}
        autosize
        minRows={2}
        value={content.body}
        onChange={(e) => onChange({ ...content, body: e.currentTarget.value })}
      />
      {content.buttons.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: buttons have no identity until their id is typed
        <Group key={i} grow>
          <TextInput
            label={t("automations.editor.buttonTitle")}
            maxLength={20}
            value={b.title}
            onChange={(e) => setButton(i, { ...b, title: e.currentTarget.value })}
          />
          <TextInput
            label={t("automations.editor.buttonId")}
            value={b.id}
            onChange={(e) => setButton(i, { ...b, id: e.currentTarget.value })}
          />
        </Group>
      ))}
      {content.buttons.length < 3 ? (
        <Group>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onChange({ ...content, buttons: [...content.buttons, { id: "", title: "" }] })}
          >
            {t("automations.editor.addButton")}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
