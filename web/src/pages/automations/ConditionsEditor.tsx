import { ActionIcon, Button, Fieldset, Group, MultiSelect, Select, Stack, Text, TextInput } from "@mantine/core";
import { IconPlus, IconX } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Condition, ConsentState } from "../../api/automation";
import { listSegments, segmentsKey } from "../../api/segments";

const KINDS: Condition["kind"][] = ["tag", "segment", "consent", "time_of_day"];

function emptyCondition(kind: Condition["kind"]): Condition {
  switch (kind) {
    case "tag":
      return { kind, op: "has", tag: "" };
    case "segment":
      return { kind, op: "in", segmentId: "" };
    case "consent":
      return { kind, states: ["opted_in", "unknown"] };
    case "time_of_day":
      return { kind, timeZone: "Asia/Seoul", from: "09:00", to: "18:00" };
  }
}

/** Conditions that must all hold: tags, segment membership, consent, local time of day. */
export function ConditionsEditor({ value, onChange }: { value: Condition[]; onChange: (c: Condition[]) => void }) {
  const { t } = useTranslation();
  const segments = useQuery({ queryKey: [...segmentsKey, "all"], queryFn: () => listSegments(null, 200) });
  const set = (i: number, c: Condition) => onChange(value.map((x, j) => (j === i ? c : x)));
  const segmentOptions = (segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }));
  return (
    <Fieldset legend={t("automations.editor.conditions")}>
      <Stack gap="xs">
        {value.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("automations.editor.noConditions")}
          </Text>
        ) : null}
        {value.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; the kind re-keys a changed row
          <Group key={`${i}-${c.kind}`} align="flex-end" wrap="nowrap">
            <Select
              w={150}
              label={t("automations.editor.conditionKind")}
              data={KINDS.map((k) => ({ value: k, label: t(`automations.conditionKind.${k}`) }))}
              value={c.kind}
              allowDeselect={false}
              onChange={(k) => k && set(i, emptyCondition(k as Condition["kind"]))}
            />
            {c.kind === "tag" ? (
              <>
                <Select
                  w={130}
                  data={[
                    { value: "has", label: t("automations.op.has") },
                    { value: "lacks", label: t("automations.op.lacks") },
                  ]}
                  value={c.op}
                  allowDeselect={false}
                  onChange={(op) => op && set(i, { ...c, op: op as "has" | "lacks" })}
                />
                <TextInput
                  style={{ flex: 1 }}
                  label={t("automations.editor.tag")}
                  value={c.tag}
                  onChange={(e) => set(i, { ...c, tag: e.currentTarget.value })}
                />
              </>
            ) : null}
            {c.kind === "segment" ? (
              <>
                <Select
                  w={130}
                  data={[
                    { value: "in", label: t("automations.op.in") },
                    { value: "not_in", label: t("automations.op.not_in") },
                  ]}
                  value={c.op}
                  allowDeselect={false}
                  onChange={(op) => op && set(i, { ...c, op: op as "in" | "not_in" })}
                />
                <Select
                  style={{ flex: 1 }}
                  label={t("automations.editor.segment")}
                  data={segmentOptions}
                  value={c.segmentId || null}
                  searchable
                  onChange={(id) => set(i, { ...c, segmentId: id ?? "" })}
                />
              </>
            ) : null}
            {c.kind === "consent" ? (
              <MultiSelect
                style={{ flex: 1 }}
                label={t("automations.editor.consentStates")}
                data={(["opted_in", "unknown", "opted_out"] as ConsentState[]).map((s) => ({
                  value: s,
                  label: t(`automations.consent.${s}`),
                }))}
                value={c.states}
                onChange={(states) => set(i, { ...c, states: states as ConsentState[] })}
              />
            ) : null}
            {c.kind === "time_of_day" ? (
              <>
                <TextInput
                  label={t("automations.editor.timeZone")}
                  value={c.timeZone}
                  onChange={(e) => set(i, { ...c, timeZone: e.currentTarget.value })}
                />
                <TextInput
                  w={90}
                  label={t("automations.editor.from")}
                  value={c.from}
                  onChange={(e) => set(i, { ...c, from: e.currentTarget.value })}
                />
                <TextInput
                  w={90}
                  label={t("automations.editor.to")}
                  value={c.to}
                  onChange={(e) => set(i, { ...c, to: e.currentTarget.value })}
                />
              </>
            ) : null}
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t("automations.editor.removeCondition")}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              <IconX size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange([...value, emptyCondition("tag")])}
          >
            {t("automations.editor.addCondition")}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
