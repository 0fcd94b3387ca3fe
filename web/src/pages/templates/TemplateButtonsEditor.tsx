import { ActionIcon, Badge, Button, Group, Menu, Paper, Select, Stack, Text, TextInput } from "@mantine/core";
import { IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { OtpType, TemplateButton, TemplateCategory } from "../../api/types";
import { errorAt, type IssueMap } from "./issues";
import { urlHasVariable } from "./template-content";

type Kind = TemplateButton["kind"];

function newButton(kind: Kind): TemplateButton {
  switch (kind) {
    case "QUICK_REPLY":
      return { kind, text: "" };
    case "URL":
      return { kind, text: "", url: "https://" };
    case "PHONE_NUMBER":
      return { kind, text: "", phoneNumber: "" };
    case "COPY_CODE":
      return { kind, example: "" };
    case "OTP":
      return { kind, otpType: "COPY_CODE" };
    default: {
      const never: never = kind;
      throw new Error(`unknown button kind ${String(never)}`);
    }
  }
}

/** The template's buttons: add by kind, edit each one's fields, reorder, remove. Errors appear at their field. */
export function TemplateButtonsEditor({
  buttons,
  category,
  onChange,
  issues,
  readOnly,
}: {
  buttons: TemplateButton[];
  category: TemplateCategory;
  onChange: (buttons: TemplateButton[]) => void;
  issues: IssueMap;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const kinds: Kind[] = category === "AUTHENTICATION" ? ["OTP"] : ["QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE"];
  const set = (index: number, button: TemplateButton) =>
    onChange(buttons.map((current, i) => (i === index ? button : current)));
  const move = (index: number) => {
    const next = [...buttons];
    const [item] = next.splice(index, 1);
    if (item) next.splice(index - 1, 0, item);
    onChange(next);
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <div>
          <Text fw={500} size="sm">
            {t("templates.buttons")}
          </Text>
          <Text size="xs" c="dimmed">
            {t("templates.buttonsHint")}
          </Text>
        </div>
        {readOnly ? null : (
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} disabled={buttons.length >= 10}>
                {t("templates.addButton")}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {kinds.map((kind) => (
                <Menu.Item key={kind} onClick={() => onChange([...buttons, newButton(kind)])}>
                  {t(`templates.buttonKinds.${kind}`)}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      {errorAt(issues, "buttons") ? (
        <Text size="xs" c="red" role="alert">
          {errorAt(issues, "buttons")}
        </Text>
      ) : null}
      {buttons.map((button, index) => {
        const path = `buttons[${index}]`;
        const number = index + 1;
        const label = (field: string) => `${t("templates.buttonNumber", { number })}: ${field}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: buttons have no id; their position is their identity
          <Paper key={index} withBorder p="sm" radius="sm" data-testid={`button-${index}`}>
            <Stack gap="xs">
              <Group justify="space-between">
                <Badge variant="light">{t(`templates.buttonKinds.${button.kind}`)}</Badge>
                {readOnly ? null : (
                  <Group gap={4}>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t("templates.moveUp", { number })}
                      disabled={index === 0}
                      onClick={() => move(index)}
                    >
                      <IconArrowUp size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t("templates.removeButton", { number })}
                      onClick={() => onChange(buttons.filter((_, i) => i !== index))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                )}
              </Group>
              {errorAt(issues, path) ? (
                <Text size="xs" c="red" role="alert">
                  {errorAt(issues, path)}
                </Text>
              ) : null}
              {button.kind === "QUICK_REPLY" || button.kind === "URL" || button.kind === "PHONE_NUMBER" ? (
                <TextInput
                  label={t("templates.buttonLabel")}
                  aria-label={label(t("templates.buttonLabel"))}
                  maxLength={200}
                  value={button.text}
                  onChange={(event) => set(index, { ...button, text: event.currentTarget.value })}
                  error={errorAt(issues, `${path}.text`)}
                  disabled={readOnly}
                  rightSection={<Text size="xs" c="dimmed">{`${button.text.length}/25`}</Text>}
                  rightSectionWidth={48}
                />
              ) : null}
              {button.kind === "URL" ? (
                <>
                  <TextInput
                    label={t("templates.buttonUrl")}
                    aria-label={label(t("templates.buttonUrl"))}
                    description={t("templates.buttonUrlHint", { example: "{{1}}" })}
                    value={button.url}
                    onChange={(event) => set(index, { ...button, url: event.currentTarget.value })}
                    error={errorAt(issues, `${path}.url`)}
                    disabled={readOnly}
                  />
                  {urlHasVariable(button.url) || button.example ? (
                    <TextInput
                      label={t("templates.buttonUrlExample")}
                      aria-label={label(t("templates.buttonUrlExample"))}
                      value={button.example ?? ""}
                      onChange={(event) => set(index, { ...button, example: event.currentTarget.value })}
                      error={errorAt(issues, `${path}.example`)}
                      disabled={readOnly}
                    />
                  ) : null}
                </>
              ) : null}
              {button.kind === "PHONE_NUMBER" ? (
                <TextInput
                  label={t("templates.buttonPhone")}
                  aria-label={label(t("templates.buttonPhone"))}
                  placeholder="+82 2 1234 5678"
                  value={button.phoneNumber}
                  onChange={(event) => set(index, { ...button, phoneNumber: event.currentTarget.value })}
                  error={errorAt(issues, `${path}.phoneNumber`)}
                  disabled={readOnly}
                />
              ) : null}
              {button.kind === "COPY_CODE" ? (
                <TextInput
                  label={t("templates.buttonCode")}
                  aria-label={label(t("templates.buttonCode"))}
                  value={button.example}
                  onChange={(event) => set(index, { ...button, example: event.currentTarget.value })}
                  error={errorAt(issues, `${path}.example`)}
                  disabled={readOnly}
                />
              ) : null}
              {button.kind === "OTP" ? (
                <Select
                  label={t("templates.otpType")}
                  data={["COPY_CODE", "ONE_TAP", "ZERO_TAP"]}
                  value={button.otpType}
                  onChange={(value) => set(index, { ...button, otpType: (value ?? "COPY_CODE") as OtpType })}
                  disabled={readOnly}
                  allowDeselect={false}
                />
              ) : null}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}
