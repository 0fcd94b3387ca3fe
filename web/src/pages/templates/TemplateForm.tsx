import {
  Autocomplete,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { IconBraces } from "@tabler/icons-react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Sender, TemplateCategory, TemplateContent, TemplateHeader } from "../../api/types";
import { TEMPLATE_CATEGORIES } from "../../api/types";
import { errorAt, type IssueMap } from "./issues";
import { TemplateButtonsEditor } from "./TemplateButtonsEditor";
import { nextVariable, syncExamples, variableNames } from "./template-content";

/** Meta's most used language codes, offered as suggestions (any well-formed code can be typed). */
const LANGUAGES = [
  "ko",
  "en_US",
  "en",
  "en_GB",
  "ja",
  "zh_CN",
  "zh_TW",
  "zh_HK",
  "es",
  "es_MX",
  "pt_BR",
  "fr",
  "de",
  "it",
  "id",
  "vi",
  "th",
  "ar",
  "hi",
  "ru",
  "tr",
];

type HeaderKind = "NONE" | TemplateHeader["kind"];
const HEADER_KINDS: HeaderKind[] = ["NONE", "TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];

function headerOf(kind: HeaderKind, current: TemplateHeader | null): TemplateHeader | null {
  if (kind === "NONE") return null;
  if (kind === current?.kind) return current;
  if (kind === "TEXT") return { kind: "TEXT", text: "" };
  if (kind === "LOCATION") return { kind: "LOCATION" };
  return { kind, example: "" };
}

/** The template's fields. Errors from Meta's rules appear under the field they name (`buttons[1].url`). */
export function TemplateForm({
  content,
  onChange,
  issues,
  readOnly,
  nameLocked,
  senders,
  senderId,
  onSenderChange,
}: {
  content: TemplateContent;
  onChange: (content: TemplateContent, field: string) => void;
  issues: IssueMap;
  readOnly: boolean;
  /** Meta keys a template by name and language: once submitted they cannot change. */
  nameLocked: boolean;
  senders: Sender[];
  senderId: string | null;
  onSenderChange: (senderId: string | null) => void;
}) {
  const { t } = useTranslation();
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const set = <K extends keyof TemplateContent>(field: K, value: TemplateContent[K]) =>
    onChange({ ...content, [field]: value }, field);
  const setBody = (body: string) =>
    onChange({ ...content, body, examples: syncExamples(body, content.examples) }, "body");
  const variables = variableNames(content.body);
  const header = content.header;
  const counter = (length: number, max: number) => (
    <Text size="xs" c={length > max ? "red" : "dimmed"}>{`${length}/${max}`}</Text>
  );

  const insertVariable = () => {
    const token = `{{${nextVariable(content)}}}`;
    const area = bodyRef.current;
    const start = area?.selectionStart ?? content.body.length;
    const end = area?.selectionEnd ?? start;
    const before = content.body.slice(0, start);
    const spaced = before === "" || before.endsWith(" ") ? token : ` ${token}`;
    setBody(`${before}${spaced}${content.body.slice(end)}`);
    requestAnimationFrame(() => area?.focus());
  };

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t("templates.name")}
              required
              placeholder={t("templates.namePlaceholder")}
              description={t("templates.nameHint")}
              value={content.name}
              onChange={(event) => set("name", event.currentTarget.value.toLowerCase().replace(/[\s-]+/g, "_"))}
              error={errorAt(issues, "name")}
              disabled={readOnly || nameLocked}
              maxLength={512}
            />
            <Autocomplete
              label={t("templates.language")}
              required
              description={t("templates.languageHint")}
              data={LANGUAGES}
              value={content.language}
              onChange={(value) => set("language", value.trim())}
              error={errorAt(issues, "language")}
              disabled={readOnly || nameLocked}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t("templates.category")}
              data={TEMPLATE_CATEGORIES.map((value) => ({ value, label: t(`templates.categories.${value}`) }))}
              value={content.category}
              onChange={(value) => value && set("category", value as TemplateCategory)}
              description={t(`templates.categoryHints.${content.category}`)}
              allowDeselect={false}
              disabled={readOnly}
            />
            <Select
              label={t("templates.sender")}
              description={t("templates.account")}
              data={senders.map((sender) => ({
                value: sender.id,
                label: `${sender.name} (${sender.displayPhoneNumber || sender.phoneNumberId})`,
              }))}
              value={senderId}
              onChange={onSenderChange}
              disabled={readOnly || nameLocked}
              clearable
            />
          </SimpleGrid>
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t("templates.parameterFormat")}
            </Text>
            <SegmentedControl
              size="xs"
              value={content.parameterFormat}
              onChange={(value) => set("parameterFormat", value as TemplateContent["parameterFormat"])}
              data={[
                { value: "POSITIONAL", label: t("templates.positional", { example: "{{1}}" }) },
                { value: "NAMED", label: t("templates.named", { example: "{{first_name}}" }) },
              ]}
              disabled={readOnly}
            />
          </div>
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Select
            label={t("templates.header")}
            data={HEADER_KINDS.map((value) => ({ value, label: t(`templates.headerKinds.${value}`) }))}
            value={header?.kind ?? "NONE"}
            onChange={(value) => set("header", headerOf((value ?? "NONE") as HeaderKind, header))}
            allowDeselect={false}
            error={errorAt(issues, "header")}
            disabled={readOnly}
            w={240}
          />
          {header?.kind === "TEXT" ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t("templates.headerText")}
                description={t("templates.headerTextHint", { example: "{{1}}" })}
                value={header.text}
                onChange={(event) => set("header", { ...header, text: event.currentTarget.value })}
                error={errorAt(issues, "header.text")}
                rightSection={counter(header.text.length, 60)}
                rightSectionWidth={48}
                disabled={readOnly}
              />
              {variableNames(header.text).length > 0 || header.example ? (
                <TextInput
                  label={t("templates.headerExample")}
                  value={header.example ?? ""}
                  onChange={(event) => set("header", { ...header, example: event.currentTarget.value })}
                  error={errorAt(issues, "header.example")}
                  disabled={readOnly}
                />
              ) : null}
            </SimpleGrid>
          ) : null}
          {header && header.kind !== "TEXT" && header.kind !== "LOCATION" ? (
            <TextInput
              label={t("templates.mediaExample")}
              description={t("templates.mediaExampleHint")}
              placeholder="https://"
              value={header.example ?? ""}
              onChange={(event) => set("header", { ...header, example: event.currentTarget.value })}
              error={errorAt(issues, "header.example")}
              disabled={readOnly}
            />
          ) : null}
          {header?.kind === "LOCATION" ? (
            <Text size="xs" c="dimmed">
              {t("templates.locationHint")}
            </Text>
          ) : null}

          <Textarea
            ref={bodyRef}
            label={t("templates.body")}
            required
            description={
              <>
                {t("templates.bodyHint")}{" "}
                <Text span size="xs" c={content.body.length > 1024 ? "red" : "dimmed"} fw={500}>
                  {`${content.body.length}/1024`}
                </Text>
              </>
            }
            autosize
            minRows={4}
            maxRows={14}
            value={content.body}
            onChange={(event) => setBody(event.currentTarget.value)}
            error={errorAt(issues, "body")}
            disabled={readOnly}
          />
          {readOnly ? null : (
            <Group>
              <Button size="xs" variant="light" leftSection={<IconBraces size={14} />} onClick={insertVariable}>
                {t("templates.addVariable")}
              </Button>
            </Group>
          )}
          <div>
            <Text size="sm" fw={500}>
              {t("templates.samples")}
            </Text>
            <Text size="xs" c="dimmed" mb={4}>
              {variables.length === 0 ? t("templates.noVariables") : t("templates.samplesHint")}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {variables.map((name) => (
                <TextInput
                  key={name}
                  label={t("templates.sampleFor", { variable: `{{${name}}}` })}
                  value={content.examples[name] ?? ""}
                  onChange={(event) => set("examples", { ...content.examples, [name]: event.currentTarget.value })}
                  error={errorAt(issues, `examples.${name}`)}
                  disabled={readOnly}
                />
              ))}
            </SimpleGrid>
          </div>
          <TextInput
            label={t("templates.footer")}
            description={t("templates.footerHint")}
            value={content.footer ?? ""}
            onChange={(event) => set("footer", event.currentTarget.value === "" ? null : event.currentTarget.value)}
            error={errorAt(issues, "footer")}
            rightSection={counter((content.footer ?? "").length, 60)}
            rightSectionWidth={48}
            disabled={readOnly}
          />
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <TemplateButtonsEditor
          buttons={content.buttons}
          category={content.category}
          onChange={(buttons) => set("buttons", buttons)}
          issues={issues}
          readOnly={readOnly}
        />
      </Paper>
    </Stack>
  );
}

/** The paths TemplateForm shows next to a field; other issues are listed in the checks panel. */
export function isPlacedPath(path: string, content: TemplateContent): boolean {
  if (["name", "language", "header", "header.text", "header.example", "body", "footer", "buttons"].includes(path))
    return true;
  if (path.startsWith("examples.")) return variableNames(content.body).includes(path.slice("examples.".length));
  return /^buttons\[\d+\](\.(text|url|example|phoneNumber))?$/.test(path);
}
