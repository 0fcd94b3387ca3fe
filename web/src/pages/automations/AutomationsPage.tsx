import { Button, Grid, Group, Stack, Text } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Rule } from "../../api/automation";
import { can } from "../../auth/permissions";
import { useCurrentUser } from "../../auth/session";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { GuardSettingsCard } from "./GuardSettingsCard";
import { HandoversCard } from "./HandoversCard";
import { RuleEditorModal } from "./RuleEditorModal";
import { RulesTable } from "./RulesTable";
import { TesterCard } from "./TesterCard";

/** Keyword auto-replies: the rules in evaluation order with their statistics, an editor, a tester and the guards. */
export function AutomationsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canWrite = can(user.role, "automations.manage");
  const [editing, setEditing] = useState<Rule | "new" | null>(null);

  return (
    <Stack gap="md">
      <PageHeader title={t("nav.automations")} icon={sectionIcon("automations")} />
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={720}>
          {t("automations.intro")}
        </Text>
        {canWrite ? (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing("new")}>
            {t("automations.newRule")}
          </Button>
        ) : null}
      </Group>
      <RulesTable canWrite={canWrite} onEdit={(rule) => setEditing(rule)} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <TesterCard />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <GuardSettingsCard canWrite={canWrite} />
            <HandoversCard />
          </Stack>
        </Grid.Col>
      </Grid>
      {editing !== null ? (
        <RuleEditorModal rule={editing === "new" ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </Stack>
  );
}
