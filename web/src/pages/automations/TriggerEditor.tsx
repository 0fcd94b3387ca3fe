import { Fieldset, Group, MultiSelect, SegmentedControl, Select, TagsInput, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { KeywordMode, Trigger } from "../../api/automation";

const KINDS: Trigger["kind"][] = ["keyword", "regex", "button", "first_message", "outside_hours"];
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function emptyTrigger(kind: Trigger["kind"]): Trigger {
  switch (kind) {
    case "keyword":
      return { kind, mode: "contains", keywords: [] };
    case "regex":
      return { kind, pattern: "" };
    case "button":
      return { kind, payloads: [] };
    case "first_message":
      return { kind };
    case "outside_hours":
      return { kind, hours: { timeZone: "Asia/Seoul", days: [1, 2, 3, 4, 5], open: "09:00", close: "18:00" } };
  }
}

/** The trigger of a rule: keywords (exact, contains, any word), a regular expression, a button, first message, hours. */
export function TriggerEditor({ value, onChange }: { value: Trigger; onChange: (t: Trigger) => void }) {
  const { t } = useTranslation();
  const days = WEEKDAYS.map((d) => ({ value: String(d), label: t(`automations.weekday.d${d}`) }));
  return (
    <Fieldset legend={t("automations.trigger")}>
      <Select
        label={t("automations.editor.triggerKind")}
        data={KINDS.map((k) => ({ value: k, label: t(`automations.triggerKind.${k}`) }))}
        value={value.kind}
        allowDeselect={false}
        onChange={(k) => k && onChange(emptyTrigger(k as Trigger["kind"]))}
      />
      {value.kind === "keyword" ? (
        <>
          <SegmentedControl
            mt="xs"
            data={(["exact", "contains", "any_of"] as KeywordMode[]).map((m) => ({
              value: m,
              label: t(`automations.modeLabel.${m}`),
            }))}
            value={value.mode}
            onChange={(mode) => onChange({ ...value, mode: mode as KeywordMode })}
          />
          <TagsInput
            mt="xs"
            label={t("automations.editor.keywords")}
            description={t("automations.editor.keywordsHint")}
            value={value.keywords}
            onChange={(keywords) => onChange({ ...value, keywords })}
          />
        </>
      ) : null}
      {value.kind === "regex" ? (
        <TextInput
          mt="xs"
          label={t("automations.editor.pattern")}
          description={t("automations.editor.patternHint")}
          value={value.pattern}
          onChange={(e) => onChange({ ...value, pattern: e.currentTarget.value })}
        />
      ) : null}
      {value.kind === "button" ? (
        <TagsInput
          mt="xs"
          label={t("automations.editor.payloads")}
          description={t("automations.editor.payloadsHint")}
          value={value.payloads}
          onChange={(payloads) => onChange({ ...value, payloads })}
        />
      ) : null}
      {value.kind === "outside_hours" ? (
        <>
          <Group grow mt="xs">
            <TextInput
              label={t("automations.editor.timeZone")}
              value={value.hours.timeZone}
              onChange={(e) => onChange({ ...value, hours: { ...value.hours, timeZone: e.currentTarget.value } })}
            />
            <TextInput
              label={t("automations.editor.open")}
              value={value.hours.open}
              onChange={(e) => onChange({ ...value, hours: { ...value.hours, open: e.currentTarget.value } })}
            />
            <TextInput
              label={t("automations.editor.close")}
              value={value.hours.close}
              onChange={(e) => onChange({ ...value, hours: { ...value.hours, close: e.currentTarget.value } })}
            />
          </Group>
          <MultiSelect
            mt="xs"
            label={t("automations.editor.days")}
            data={days}
            value={value.hours.days.map(String)}
            onChange={(d) => onChange({ ...value, hours: { ...value.hours, days: d.map(Number).sort() } })}
          />
        </>
      ) : null}
    </Fieldset>
  );
}
