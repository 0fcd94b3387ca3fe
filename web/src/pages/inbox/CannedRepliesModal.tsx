import { ActionIcon, Button, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput } from "@mantine/core";
import { IconPencil, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type CannedReply,
  cannedKey,
  createCanned,
  deleteCanned,
  inboxKey,
  searchCanned,
  updateCanned,
} from "../../api/inbox";
import { errorMessage, fieldErrors } from "../../lib/errors";
import { notifyError, notifySuccess } from "../../lib/notify";

const EMPTY = { shortcut: "", title: "", body: "", language: "ko" };
const FIELDS = ["shortcut", "title", "body", "language"] as const;

/** Canned replies (FAQ presets): the list, and a form to add or change one. */
export function CannedRepliesModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState("");
  const [editing, setEditing] = useState<CannedReply | null>(null);
  const [form, setForm] = useState(EMPTY);
  const list = useQuery({
    queryKey: cannedKey(`all:${filter}`, ""),
    queryFn: () => searchCanned(filter, ""),
    enabled: opened,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: inboxKey });

  const save = useMutation({
    mutationFn: () => (editing ? updateCanned(editing.id, form) : createCanned(form)),
    onSuccess: async () => {
      notifySuccess(t("inbox.canned.saved"));
      setEditing(null);
      setForm(EMPTY);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: deleteCanned,
    onSuccess: refresh,
    onError: (error) => notifyError(errorMessage(t, error)),
  });
  const errors = fieldErrors(save.error, FIELDS);
  const set = (key: keyof typeof EMPTY) => (value: string) => setForm((current) => ({ ...current, [key]: value }));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t("inbox.canned.title")}
      size="lg"
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <Stack gap="sm">
        <TextInput
          size="xs"
          placeholder={t("inbox.canned.search")}
          aria-label={t("inbox.canned.search")}
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
        />
        <Table fz="sm" verticalSpacing={4}>
          <Table.Tbody>
            {(list.data ?? []).map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    /{c.shortcut}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {c.language} · {c.title}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" lineClamp={2}>
                    {c.body}
                  </Text>
                </Table.Td>
                <Table.Td w={70}>
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      aria-label={t("inbox.canned.edit", { shortcut: c.shortcut })}
                      onClick={() => {
                        setEditing(c);
                        setForm({ shortcut: c.shortcut, title: c.title, body: c.body, language: c.language });
                      }}
                    >
                      <IconPencil size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t("inbox.canned.delete", { shortcut: c.shortcut })}
                      onClick={() => remove.mutate(c.id)}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {list.data?.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("inbox.canned.none")}
          </Text>
        ) : null}
        <Text fw={600} size="sm">
          {editing ? t("inbox.canned.editTitle", { shortcut: editing.shortcut }) : t("inbox.canned.add")}
        </Text>
        <Group grow align="flex-start">
          <TextInput
            size="xs"
            label={t("inbox.canned.shortcut")}
            placeholder="hours"
            value={form.shortcut}
            onChange={(e) => set("shortcut")(e.currentTarget.value)}
            error={errors.shortcut}
          />
          <Select
            size="xs"
            label={t("inbox.canned.language")}
            value={form.language}
            allowDeselect={false}
            onChange={(value) => set("language")(value ?? "ko")}
            data={[
              { value: "ko", label: "한국어 (ko)" },
              { value: "en", label: "English (en)" },
            ]}
          />
        </Group>
        <TextInput
          size="xs"
          label={t("inbox.canned.titleField")}
          value={form.title}
          onChange={(e) => set("title")(e.currentTarget.value)}
          error={errors.title}
        />
        <Textarea
          size="xs"
          label={t("inbox.canned.body")}
          autosize
          minRows={3}
          value={form.body}
          onChange={(e) => set("body")(e.currentTarget.value)}
          error={errors.body}
        />
        {save.error && !errors.shortcut && !errors.title && !errors.body ? (
          <Text size="sm" c="red">
            {errorMessage(t, save.error)}
          </Text>
        ) : null}
        <Group justify="flex-end">
          {editing ? (
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                setEditing(null);
                setForm(EMPTY);
              }}
            >
              {t("common.cancel")}
            </Button>
          ) : null}
          <Button
            size="xs"
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={!form.shortcut || !form.body || !form.title}
          >
            {editing ? t("inbox.canned.save") : t("inbox.canned.create")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
