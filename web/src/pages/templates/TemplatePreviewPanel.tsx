import { Alert, Group, List, Loader, Paper, SegmentedControl, Stack, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { previewTemplate } from "../../api/templates";
import type { PreviewValues, TemplateContent } from "../../api/types";
import { requiredPlaces, sampleBubble } from "./template-content";
import { WhatsAppBubble } from "./WhatsAppBubble";

/**
 * The live WhatsApp bubble: with the samples as you type (rendered here, instantly), or, for a saved template,
 * with values you type, rendered by the server's preview endpoint, which also says which values WhatsApp would
 * refuse and with what error code.
 */
export function TemplatePreviewPanel({ content, savedId }: { content: TemplateContent; savedId: string | null }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<"samples" | "custom">("samples");
  const [custom, setCustom] = useState<Record<string, string>>({});
  const places = requiredPlaces(content);
  const body: Record<string, string> = {};
  const buttons: Record<string, string> = {};
  const values: PreviewValues = { body, buttons };
  for (const place of places) {
    const value = custom[place];
    if (value === undefined || value === "") continue;
    if (place === "header") values.header = { kind: "text", text: value };
    else if (place.startsWith("button.")) buttons[place.slice(7)] = value;
    else body[place] = value;
  }
  const [debounced] = useDebouncedValue(values, 300);
  const server = useQuery({
    queryKey: ["templates", "preview", savedId, debounced],
    queryFn: ({ signal }) => previewTemplate(savedId ?? "", debounced, signal),
    enabled: mode === "custom" && savedId !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const bubble = mode === "custom" && server.data?.bubble ? server.data.bubble : sampleBubble(content);

  return (
    <Paper withBorder radius="md" p="md" data-testid="template-preview">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h5">
              {t("templates.preview")}
            </Title>
            <Text size="xs" c="dimmed">
              {t("templates.previewHint")}
            </Text>
          </div>
          {server.isFetching ? <Loader size="xs" aria-label={t("common.loading")} /> : null}
        </Group>
        {places.length > 0 ? (
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(value) => setMode(value as "samples" | "custom")}
            data={[
              { value: "samples", label: t("templates.previewSamples") },
              { value: "custom", label: t("templates.previewCustom") },
            ]}
          />
        ) : null}
        {mode === "custom" && savedId === null ? (
          <Text size="xs" c="dimmed">
            {t("templates.previewSavedOnly")}
          </Text>
        ) : null}
        {mode === "custom" && savedId !== null
          ? places.map((place) => (
              <TextInput
                key={place}
                size="xs"
                label={t("templates.previewValueFor", {
                  variable: place.startsWith("button.") || place === "header" ? place : `{{${place}}}`,
                })}
                placeholder={place === "header" ? "" : (content.examples[place] ?? "")}
                value={custom[place] ?? ""}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  setCustom((current) => ({ ...current, [place]: value }));
                }}
              />
            ))
          : null}
        {mode === "custom" && server.data && !server.data.ok ? (
          <Alert color="red" p="xs" title={t("templates.previewRefused")}>
            <List size="xs">
              {(server.data.issues ?? []).map((issue) => (
                <List.Item key={`${issue.path}-${issue.code}`}>
                  {issue.path}: {issue.message} ({issue.metaCode})
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        <WhatsAppBubble bubble={bubble} dimmed={mode === "custom" && server.isFetching} />
      </Stack>
    </Paper>
  );
}
