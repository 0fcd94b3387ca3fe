import { Button, Group, Modal, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { getInboxSettings, inboxKey, inboxSettingsKey, saveInboxSettings } from "../../api/inbox";
import { listSegments, segmentsKey } from "../../api/segments";
import { errorMessage } from "../../lib/errors";

/** Admins choose what makes a customer "high value" in the inbox's order: a tag (VIP by default) and/or a segment. */
export function PrioritySettingsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: inboxSettingsKey, queryFn: getInboxSettings, enabled: opened });
  const segments = useQuery({
    queryKey: [...segmentsKey, "all"],
    queryFn: () => listSegments(null, 200),
    enabled: opened,
  });
  const [tag, setTag] = useState("");
  const [segmentId, setSegmentId] = useState<string | null>(null);
  useEffect(() => {
    if (!settings.data) return;
    setTag(settings.data.priorityTag ?? "");
    setSegmentId(settings.data.prioritySegmentId);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => saveInboxSettings({ priorityTag: tag.trim() || null, prioritySegmentId: segmentId }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: inboxKey });
      onClose();
    },
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t("inbox.priority.title")}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("inbox.priority.hint")}
        </Text>
        <TextInput label={t("inbox.priority.tag")} value={tag} onChange={(e) => setTag(e.currentTarget.value)} />
        <Select
          label={t("inbox.priority.segment")}
          clearable
          value={segmentId}
          onChange={setSegmentId}
          data={(segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        {save.error ? (
          <Text size="sm" c="red">
            {errorMessage(t, save.error)}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t("inbox.priority.save")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
