import { ActionIcon, Badge, Group, Loader, Switch, Table, Text, Tooltip } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPencil, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { deleteRule, listRules, type Rule, reorderRules, rulesKey, updateRule } from "../../api/automation";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifyError } from "../../lib/notify";
import { describeActions, describeTrigger } from "./describe";

/** The rules in evaluation order: move up/down, switch on/off, statistics, edit and delete. */
export function RulesTable({ canWrite, onEdit }: { canWrite: boolean; onEdit: (rule: Rule) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: rulesKey, queryFn: listRules, refetchInterval: 5_000 });
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const onError = (error: unknown) => notifyError(errorMessage(t, error));
  const refresh = () => queryClient.invalidateQueries({ queryKey: rulesKey });

  const reorder = useMutation({
    mutationFn: reorderRules,
    onSuccess: (data) => queryClient.setQueryData(rulesKey, data),
    onError,
  });
  const toggle = useMutation({
    mutationFn: (rule: Rule) => updateRule(rule.id, { enabled: !rule.enabled }),
    onSuccess: refresh,
    onError,
  });
  const remove = useMutation({
    mutationFn: (rule: Rule) => deleteRule(rule.id),
    onSuccess: () => {
      setDeleting(null);
      void refresh();
    },
  });

  if (rules.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (rules.isError) return <QueryError error={rules.error} onRetry={() => rules.refetch()} />;
  const list = rules.data;
  const move = (index: number, by: -1 | 1) => {
    const ids = list.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    if (id === undefined) return;
    ids.splice(index + by, 0, id);
    reorder.mutate(ids);
  };

  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table striped verticalSpacing="xs" data-testid="rules-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>{t("automations.order")}</Table.Th>
              <Table.Th>{t("automations.rule")}</Table.Th>
              <Table.Th>{t("automations.trigger")}</Table.Th>
              <Table.Th>{t("automations.actions")}</Table.Th>
              <Table.Th>{t("automations.matches")}</Table.Th>
              <Table.Th>{t("automations.repliesSent")}</Table.Th>
              <Table.Th>{t("automations.lastMatched")}</Table.Th>
              <Table.Th>{t("automations.enabled")}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text c="dimmed" ta="center" py="md">
                    {t("automations.empty")}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              list.map((rule, index) => (
                <Table.Tr key={rule.id} data-testid="rule-row">
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      <Text size="sm" w={20}>
                        {index + 1}
                      </Text>
                      {canWrite ? (
                        <>
                          <ActionIcon
                            variant="subtle"
                            size="sm"
                            aria-label={t("automations.moveUp", { name: rule.name })}
                            disabled={index === 0 || reorder.isPending}
                            onClick={() => move(index, -1)}
                          >
                            <IconArrowUp size={14} />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            size="sm"
                            aria-label={t("automations.moveDown", { name: rule.name })}
                            disabled={index === list.length - 1 || reorder.isPending}
                            onClick={() => move(index, 1)}
                          >
                            <IconArrowDown size={14} />
                          </ActionIcon>
                        </>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {rule.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{describeTrigger(t, rule.trigger)}</Text>
                    {rule.conditions.length > 0 ? (
                      <Badge size="xs" variant="light" color="gray">
                        {t("automations.conditionCount", { count: rule.conditions.length })}
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {describeActions(t, rule.actions)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{rule.stats.matches.toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Tooltip label={t("automations.repliesQueued", { count: rule.stats.replies })}>
                      <span>{rule.stats.repliesSent.toLocaleString()}</span>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {rule.stats.lastMatchedAt ? formatTime(rule.stats.lastMatchedAt) : "—"}
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      checked={rule.enabled}
                      disabled={!canWrite || toggle.isPending}
                      onChange={() => toggle.mutate(rule)}
                      aria-label={t("automations.enableRule", { name: rule.name })}
                    />
                  </Table.Td>
                  <Table.Td>
                    {canWrite ? (
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          aria-label={t("automations.edit", { name: rule.name })}
                          onClick={() => onEdit(rule)}
                        >
                          <IconPencil size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t("automations.delete", { name: rule.name })}
                          onClick={() => setDeleting(rule)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmDialog
        opened={deleting !== null}
        title={t("automations.deleteTitle")}
        message={t("automations.deleteMessage", { name: deleting?.name ?? "" })}
        confirmLabel={t("common.delete")}
        loading={remove.isPending}
        error={remove.isError ? errorMessage(t, remove.error) : null}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </>
  );
}
