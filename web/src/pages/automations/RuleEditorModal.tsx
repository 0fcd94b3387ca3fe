import { Alert, Button, Group, List, Modal, Stack, Switch, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { createRule, type Rule, type RuleInput, rulesKey, updateRule } from "../../api/automation";
import { ApiError } from "../../api/client";
import { errorMessage } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";
import { ActionsEditor } from "./ActionsEditor";
import { ConditionsEditor } from "./ConditionsEditor";
import { TriggerEditor } from "./TriggerEditor";

const NEW_RULE: RuleInput = {
  name: "",
  enabled: true,
  trigger: { kind: "keyword", mode: "contains", keywords: [] },
  conditions: [],
  actions: [{ kind: "reply", content: { kind: "text", body: "" }, template: null }],
};

/** Create or edit a rule: trigger, conditions and actions; the server validates and names any bad field. */
export function RuleEditorModal({ rule, onClose }: { rule: Rule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RuleInput>(() =>
    rule
      ? {
          name: rule.name,
          enabled: rule.enabled,
          trigger: rule.trigger,
          conditions: rule.conditions,
          actions: rule.actions,
        }
      : NEW_RULE,
  );
  const save = useMutation({
    mutationFn: (input: RuleInput) => (rule ? updateRule(rule.id, input) : createRule(input)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: rulesKey });
      notifySuccess(t("automations.editor.saved"));
      onClose();
    },
  });
  const issues = save.error instanceof ApiError ? save.error.issues : [];

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={rule ? t("automations.editor.editTitle") : t("automations.editor.newTitle")}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <Stack gap="md">
          <Group align="flex-end">
            <TextInput
              style={{ flex: 1 }}
              label={t("automations.editor.name")}
              required
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            />
            <Switch
              label={t("automations.enabled")}
              checked={draft.enabled}
              onChange={(e) => setDraft({ ...draft, enabled: e.currentTarget.checked })}
            />
          </Group>
          <TriggerEditor value={draft.trigger} onChange={(trigger) => setDraft({ ...draft, trigger })} />
          <ConditionsEditor value={draft.conditions} onChange={(conditions) => setDraft({ ...draft, conditions })} />
          <ActionsEditor value={draft.actions} onChange={(actions) => setDraft({ ...draft, actions })} />
          {save.isError ? (
            <Alert color="red" role="alert" title={errorMessage(t, save.error)}>
              {issues.length > 0 ? (
                <List size="sm">
                  {issues.map((issue) => (
                    <List.Item key={`${issue.path}:${issue.message}`}>
                      {issue.path ? `${issue.path}: ` : ""}
                      {issue.message}
                    </List.Item>
                  ))}
                </List>
              ) : null}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("automations.editor.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
