import { ActionIcon, Autocomplete, Badge, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { addTag, contactsKey, listTags, removeTag, tagsKey } from "../../api/contacts";
import type { ContactTag } from "../../api/types";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifyError } from "../../lib/notify";
import { Card } from "./Card";

// The server's tag rule (docs/api-customers.md): a letter or digit first, then letters, digits, space, _ . : -
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,49}$/u;

/** The contact's tags, each with why it holds (the manual note or the tag rule's explanation). */
export function TagsCard({ contactId, tags, canWrite }: { contactId: string; tags: ContactTag[]; canWrite: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [tag, setTag] = useState("");
  const [note, setNote] = useState("");
  const [tagError, setTagError] = useState<string | null>(null);
  const known = useQuery({ queryKey: tagsKey, queryFn: listTags, enabled: canWrite });

  const add = useMutation({
    mutationFn: () => addTag(contactId, tag.trim(), note.trim() || undefined),
    onSuccess: async () => {
      setTag("");
      setNote("");
      await queryClient.invalidateQueries({ queryKey: contactsKey });
    },
    onError: (error) => setTagError(errorMessage(t, error)),
  });
  const remove = useMutation({
    mutationFn: (name: string) => removeTag(contactId, name),
    onSettled: () => queryClient.invalidateQueries({ queryKey: contactsKey }),
    onError: (error) => notifyError(errorMessage(t, error)),
  });

  const submit = () => {
    const value = tag.trim();
    if (!TAG.test(value)) {
      setTagError(t("tags.invalid"));
      return;
    }
    setTagError(null);
    add.mutate();
  };

  return (
    <Card title={t("tags.title")}>
      <Stack gap="sm" data-testid="contact-tags">
        {tags.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("tags.none")}
          </Text>
        ) : (
          tags.map((item) => (
            <Group key={item.tag} justify="space-between" align="flex-start" wrap="nowrap">
              <div>
                <Group gap={6}>
                  <Badge variant="filled">{item.tag}</Badge>
                  <Badge variant="outline" size="xs" color={item.source === "rule" ? "grape" : "gray"}>
                    {item.source === "rule" ? t("tags.byRule") : t("tags.manual")}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {formatTime(item.addedAt)}
                  </Text>
                </Group>
                <Text size="sm" mt={4}>
                  {item.explanation ||
                    item.note ||
                    (item.source === "rule" ? t("tags.noExplanation") : t("tags.noNote"))}
                </Text>
              </div>
              {canWrite && item.source !== "rule" ? (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t("tags.remove", { tag: item.tag })}
                  title={t("tags.remove", { tag: item.tag })}
                  loading={remove.isPending && remove.variables === item.tag}
                  onClick={() => remove.mutate(item.tag)}
                >
                  <IconX size={16} />
                </ActionIcon>
              ) : null}
            </Group>
          ))
        )}
        {canWrite ? (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <Group align="flex-start" gap="xs" mt="xs">
              <Autocomplete
                aria-label={t("tags.add")}
                placeholder={t("tags.addPlaceholder")}
                data={(known.data ?? []).filter((item) => item.ruleId === null).map((item) => item.tag)}
                value={tag}
                onChange={(value) => {
                  setTag(value);
                  setTagError(null);
                }}
                error={tagError}
                maxLength={50}
                w={180}
              />
              <TextInput
                aria-label={t("tags.note")}
                placeholder={t("tags.notePlaceholder")}
                value={note}
                onChange={(event) => setNote(event.currentTarget.value)}
                maxLength={500}
                style={{ flex: 1 }}
              />
              <Button type="submit" variant="light" loading={add.isPending} disabled={!tag.trim()}>
                {t("tags.addButton")}
              </Button>
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              {t("tags.ruleHint")}
            </Text>
          </form>
        ) : null}
      </Stack>
    </Card>
  );
}
