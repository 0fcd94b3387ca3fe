import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { IconInfoCircle, IconPencil, IconPhonePlus, IconPlugConnected, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { deleteSender, listSenders, sendersKey, testSender } from "../../api/senders";
import type { QualityRating, Sender, SenderConnectionTest } from "../../api/types";
import { useCurrentUser } from "../../auth/session";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { SenderFormModal } from "./SenderFormModal";
import { SenderTestResult } from "./SenderTestResult";
import { useTierLabel } from "./sender-labels";

const NO_WRAP = { whiteSpace: "nowrap" } as const;

const QUALITY_COLOR: Record<QualityRating, string> = {
  GREEN: "green",
  YELLOW: "yellow",
  RED: "red",
  UNKNOWN: "gray",
};

/**
 * The WhatsApp numbers Herald sends from. Everyone who runs campaigns sees them; only admins add, edit, test and
 * delete them (the server's `senders.manage` permission).
 */
export function SendersTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isAdmin = useCurrentUser().role === "admin";
  const senders = useQuery({ queryKey: sendersKey, queryFn: listSenders });
  const [form, setForm] = useState<{ sender: Sender | null } | null>(null);
  const [toDelete, setToDelete] = useState<Sender | null>(null);
  const [results, setResults] = useState<Record<string, SenderConnectionTest>>({});
  const [testing, setTesting] = useState<ReadonlySet<string>>(new Set());
  const tierLabel = useTierLabel();
  const columns = isAdmin ? 7 : 6;

  const test = useMutation({
    mutationFn: (sender: Sender) => testSender(sender.id),
    onMutate: (sender) => setTesting((now) => new Set(now).add(sender.id)),
    onSuccess: (result, sender) => {
      setResults((now) => ({ ...now, [sender.id]: result }));
      // The server recorded the check (and the quality and tier it read) on the sender.
      queryClient.setQueryData<Sender[]>(sendersKey, (list) =>
        list?.map((s) => (s.id === result.sender.id ? result.sender : s)),
      );
    },
    onError: (error) => notifyError(errorMessage(t, error)),
    onSettled: (_result, _error, sender) =>
      setTesting((now) => {
        const next = new Set(now);
        next.delete(sender.id);
        return next;
      }),
  });

  const remove = useMutation({
    mutationFn: (sender: Sender) => deleteSender(sender.id),
    onSuccess: async (_nothing, sender) => {
      await queryClient.invalidateQueries({ queryKey: sendersKey });
      notifySuccess(t("senders.deleted", { name: sender.name }));
      setToDelete(null);
    },
  });

  const rows = (senders.data ?? []).flatMap((sender) => {
    const result = results[sender.id];
    const row = (
      <Table.Tr key={sender.id} data-testid={`sender-row-${sender.id}`}>
        <Table.Td>
          <Stack gap={4} align="flex-start">
            <Text size="sm" fw={500}>
              {sender.name}
            </Text>
            <Badge size="sm" variant="light" color={sender.provider === "sandbox" ? "grape" : "blue"}>
              {t(`senders.provider.${sender.provider}`)}
            </Badge>
          </Stack>
        </Table.Td>
        <Table.Td>
          <Stack gap={2}>
            <Text size="sm" style={NO_WRAP}>
              {sender.displayPhoneNumber || "—"}
            </Text>
            <LabelledId label={t("senders.columns.phoneNumberId")} value={sender.phoneNumberId} />
            <LabelledId label={t("senders.columns.wabaId")} value={sender.wabaId} />
          </Stack>
        </Table.Td>
        <Table.Td style={NO_WRAP}>
          <Text size="sm">{t("senders.mpsValue", { count: sender.mpsLimit })}</Text>
          <Tooltip label={t("senders.tierHint")} multiline w={240}>
            <Text size="xs" c="dimmed" span>
              {tierLabel(sender.messagingTier)}
            </Text>
          </Tooltip>
        </Table.Td>
        <Table.Td>
          <Tooltip label={t(`senders.qualityHint.${sender.qualityRating}`)} multiline w={280}>
            <Badge color={QUALITY_COLOR[sender.qualityRating]} variant="filled">
              {t(`senders.quality.${sender.qualityRating}`)}
            </Badge>
          </Tooltip>
        </Table.Td>
        <Table.Td>
          <Badge color={sender.disabled ? "gray" : "teal"} variant="light">
            {sender.disabled ? t("senders.disabled") : t("senders.active")}
          </Badge>
        </Table.Td>
        <Table.Td miw={170} maw={260}>
          <LastCheck sender={sender} />
        </Table.Td>
        {isAdmin ? (
          <Table.Td>
            <Group gap="xs" wrap="nowrap" justify="flex-end">
              <Button
                size="compact-sm"
                variant="light"
                leftSection={<IconPlugConnected size={14} />}
                loading={testing.has(sender.id)}
                aria-label={t("senders.testLabel", { name: sender.name })}
                onClick={() => test.mutate(sender)}
              >
                {t("senders.test")}
              </Button>
              <ActionIcon
                variant="subtle"
                aria-label={t("senders.editLabel", { name: sender.name })}
                title={t("senders.edit")}
                onClick={() => setForm({ sender })}
              >
                <IconPencil size={16} />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t("senders.deleteLabel", { name: sender.name })}
                title={t("common.delete")}
                onClick={() => {
                  remove.reset();
                  setToDelete(sender);
                }}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          </Table.Td>
        ) : null}
      </Table.Tr>
    );
    if (!result) return [row];
    return [
      row,
      <Table.Tr key={`${sender.id}-result`}>
        <Table.Td colSpan={columns}>
          <SenderTestResult
            name={sender.name}
            result={result}
            onDismiss={() =>
              setResults((now) => {
                const { [sender.id]: _gone, ...rest } = now;
                return rest;
              })
            }
          />
        </Table.Td>
      </Table.Tr>,
    ];
  });

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={640}>
          {t("senders.intro")}
        </Text>
        {isAdmin ? (
          <Button leftSection={<IconPhonePlus size={16} />} onClick={() => setForm({ sender: null })}>
            {t("senders.add")}
          </Button>
        ) : null}
      </Group>
      {isAdmin ? null : (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} data-testid="senders-admin-hint">
          {t("senders.marketerHint")}
        </Alert>
      )}

      {senders.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {senders.isError ? <QueryError error={senders.error} onRetry={() => senders.refetch()} /> : null}
      {senders.data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("senders.columns.name")}</Table.Th>
                <Table.Th>{t("senders.columns.number")}</Table.Th>
                <Table.Th>{t("senders.columns.limits")}</Table.Th>
                <Table.Th>{t("senders.columns.quality")}</Table.Th>
                <Table.Th>{t("common.status")}</Table.Th>
                <Table.Th>{t("senders.columns.lastCheck")}</Table.Th>
                {isAdmin ? (
                  <Table.Th>
                    <VisuallyHidden>{t("common.actions")}</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length > 0 ? (
                rows
              ) : (
                <Table.Tr>
                  <Table.Td colSpan={columns}>
                    <Text c="dimmed" ta="center" py="md">
                      {isAdmin ? t("senders.empty") : t("senders.emptyMarketer")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}

      {isAdmin ? (
        <>
          <SenderFormModal opened={form !== null} sender={form?.sender ?? null} onClose={() => setForm(null)} />
          <ConfirmDialog
            opened={toDelete !== null}
            title={t("senders.deleteTitle")}
            message={t("senders.deleteConfirm", { name: toDelete?.name ?? "" })}
            confirmLabel={t("common.delete")}
            loading={remove.isPending}
            error={remove.isError ? errorMessage(t, remove.error) : null}
            onConfirm={() => toDelete && remove.mutate(toDelete)}
            onClose={() => setToDelete(null)}
          />
        </>
      ) : null}
    </Stack>
  );
}

/** When the connection was last tested, and the provider's error if that test failed. */
function LastCheck({ sender }: { sender: Sender }) {
  const { t } = useTranslation();
  if (sender.lastCheckedAt === null) {
    return (
      <Text size="sm" c="dimmed">
        {t("senders.notChecked")}
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      <Badge size="sm" variant="dot" color={sender.lastCheckError ? "red" : "green"}>
        {sender.lastCheckError ? t("senders.checkFailed") : t("senders.checkOk")}
      </Badge>
      <Text size="xs" c="dimmed" style={NO_WRAP}>
        {formatTime(sender.lastCheckedAt)}
      </Text>
      {sender.lastCheckError ? (
        <Text size="xs" c="red" lineClamp={2} title={sender.lastCheckError}>
          {sender.lastCheckError}
        </Text>
      ) : null}
    </Stack>
  );
}

/** A provider id with its name above it, small, so both ids fit one cell. */
function LabelledId({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" lh={1.2}>
        {label}
      </Text>
      <Code>{value}</Code>
    </div>
  );
}
