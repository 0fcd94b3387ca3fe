import { Alert, Grid, Group, Loader, Paper, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { attributesKey, contactKey, getContactProfile, listAttributes, listContacts } from "../../api/contacts";
import { previewTemplate } from "../../api/templates";
import type { StoredTemplate, VariableSource } from "../../api/types";
import { CONTACT_FIELDS } from "../../api/types";
import { placeSample, requiredPlaces } from "../templates/template-content";
import { WhatsAppBubble } from "../templates/WhatsAppBubble";
import { METRIC_NAMES, previewValues } from "./mapping";

type From = VariableSource["from"];

function switchSource(from: From, current: VariableSource | undefined, sample: string): VariableSource {
  const fallback = current === undefined || current.from === "constant" ? undefined : current.fallback;
  const keep = fallback === undefined ? {} : { fallback };
  switch (from) {
    case "field":
      return { from, field: "name", ...keep };
    case "attribute":
      return { from, name: "", ...keep };
    case "metric":
      return { from, name: "orders_total", ...keep };
    case "constant":
      return { from, value: sample };
    default: {
      const never: never = from;
      throw new Error(`unknown source ${String(never)}`);
    }
  }
}

/** A place's name for people: "Body {{1}}", "Header variable", "Button 1 URL suffix". */
export function usePlaceLabel() {
  const { t } = useTranslation();
  return (place: string) =>
    place === "header"
      ? t("campaigns.placeHeader")
      : place.startsWith("button.")
        ? t("campaigns.placeButton", { number: Number(place.slice(7)) + 1 })
        : t("campaigns.placeBody", { name: `{{${place}}}` });
}

/**
 * One row per template place: its source (contact field, attribute, metric or a constant) and a fallback, with a
 * live bubble for a chosen contact of the segment (values resolved as the launcher does, rendered by the server).
 */
export function VariableMappingEditor({
  template,
  segmentId,
  mapping,
  onChange,
  errors,
}: {
  template: StoredTemplate;
  segmentId: string | null;
  mapping: Record<string, VariableSource>;
  onChange: (mapping: Record<string, VariableSource>) => void;
  errors: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const placeLabel = usePlaceLabel();
  const places = requiredPlaces(template.template);
  const attributes = useQuery({ queryKey: attributesKey, queryFn: listAttributes, staleTime: 60_000 });
  const [contactSearch, setContactSearch] = useState("");
  const [contactId, setContactId] = useState<string | null>(null);
  const [search] = useDebouncedValue(contactSearch, 300);
  const contacts = useQuery({
    queryKey: ["contacts", "list", { q: search, segmentId }, "picker"],
    queryFn: () => listContacts({ q: search, ...(segmentId ? { segmentId } : {}) }, null, 20),
    placeholderData: keepPreviousData,
  });
  const profile = useQuery({
    queryKey: contactKey(contactId ?? ""),
    queryFn: () => getContactProfile(contactId ?? ""),
    enabled: contactId !== null,
  });
  const { values, missing } = previewValues(mapping, contactId ? (profile.data ?? null) : null);
  const [debouncedValues] = useDebouncedValue(values, 250);
  const preview = useQuery({
    queryKey: ["templates", "preview", template.id, debouncedValues],
    queryFn: ({ signal }) => previewTemplate(template.id, debouncedValues, signal),
    placeholderData: keepPreviousData,
    retry: false,
  });

  const set = (place: string, source: VariableSource) => onChange({ ...mapping, [place]: source });
  const sourceLabel = (from: From) => t(`campaigns.sources.${from}`);

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t("campaigns.variablesIntro")}
          </Text>
          {places.length === 0 ? (
            <Text size="sm">{t("campaigns.noPlaces")}</Text>
          ) : (
            <Table verticalSpacing="sm" data-testid="variable-mapping">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("campaigns.place")}</Table.Th>
                  <Table.Th>{t("campaigns.source")}</Table.Th>
                  <Table.Th />
                  <Table.Th>{t("campaigns.fallback")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {places.map((place) => {
                  const source = mapping[place];
                  const label = placeLabel(place);
                  const sample = placeSample(template.template, place);
                  const error = errors.get(`variables.${place}`) ?? null;
                  return (
                    <Table.Tr key={place} data-testid={`mapping-${place}`}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {label}
                        </Text>
                        {sample ? (
                          <Text size="xs" c="dimmed">
                            {t("campaigns.sample", { value: sample })}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Select
                          size="xs"
                          aria-label={t("campaigns.sourceOf", { place: label })}
                          data={(["field", "attribute", "metric", "constant"] as const).map((from) => ({
                            value: from,
                            label: sourceLabel(from),
                          }))}
                          placeholder={t("campaigns.chooseSource")}
                          value={source?.from ?? null}
                          onChange={(value) => value && set(place, switchSource(value as From, source, sample))}
                          allowDeselect={false}
                          error={source ? null : error}
                          w={170}
                        />
                      </Table.Td>
                      <Table.Td>
                        {source?.from === "field" ? (
                          <Select
                            size="xs"
                            aria-label={t("campaigns.valueOf", { place: label })}
                            data={CONTACT_FIELDS.map((field) => ({
                              value: field,
                              label: t(`campaigns.fields.${field}`),
                            }))}
                            value={source.field}
                            onChange={(value) =>
                              value && set(place, { ...source, field: value as typeof source.field })
                            }
                            allowDeselect={false}
                            error={error}
                          />
                        ) : null}
                        {source?.from === "attribute" ? (
                          <Select
                            size="xs"
                            aria-label={t("campaigns.valueOf", { place: label })}
                            placeholder={t("campaigns.chooseAttribute")}
                            data={(attributes.data ?? []).map((a) => ({ value: a.name, label: a.label || a.name }))}
                            value={source.name || null}
                            onChange={(value) => set(place, { ...source, name: value ?? "" })}
                            error={error}
                          />
                        ) : null}
                        {source?.from === "metric" ? (
                          <Select
                            size="xs"
                            aria-label={t("campaigns.valueOf", { place: label })}
                            data={METRIC_NAMES.map((name) => ({ value: name, label: t(`campaigns.metrics.${name}`) }))}
                            value={source.name}
                            onChange={(value) => value && set(place, { ...source, name: value })}
                            allowDeselect={false}
                            error={error}
                          />
                        ) : null}
                        {source?.from === "constant" ? (
                          <TextInput
                            size="xs"
                            aria-label={t("campaigns.valueOf", { place: label })}
                            placeholder={t("campaigns.constantPlaceholder")}
                            value={source.value}
                            onChange={(event) => set(place, { ...source, value: event.currentTarget.value })}
                            error={error}
                          />
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        {source === undefined || source.from === "constant" ? null : (
                          <TextInput
                            size="xs"
                            aria-label={t("campaigns.fallbackOf", { place: label })}
                            placeholder={t("campaigns.fallbackPlaceholder")}
                            value={source.fallback ?? ""}
                            onChange={(event) => {
                              const fallback = event.currentTarget.value;
                              const { fallback: _old, ...rest } = source;
                              set(place, fallback === "" ? rest : { ...rest, fallback });
                            }}
                          />
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Paper withBorder radius="md" p="md" data-testid="mapping-preview">
          <Stack gap="sm">
            <Group justify="space-between">
              <Title order={3} size="h5">
                {t("templates.preview")}
              </Title>
              {preview.isFetching || profile.isFetching ? <Loader size="xs" aria-label={t("common.loading")} /> : null}
            </Group>
            <Select
              size="xs"
              label={t("campaigns.previewFor")}
              placeholder={t("campaigns.previewContactPlaceholder")}
              searchable
              clearable
              searchValue={contactSearch}
              onSearchChange={setContactSearch}
              data={(contacts.data?.data ?? []).map((c) => ({
                value: c.id,
                label: `${c.name || c.phone} · ${c.phone}`,
              }))}
              value={contactId}
              onChange={setContactId}
              filter={({ options }) => options}
              nothingFoundMessage="—"
            />
            {contactId === null ? (
              <Text size="xs" c="dimmed">
                {t("campaigns.previewSamples")}
              </Text>
            ) : null}
            {missing.map((place) => (
              <Alert key={place} color="orange" p="xs">
                {t("campaigns.previewMissing", { place: placeLabel(place) })}
              </Alert>
            ))}
            {preview.data && !preview.data.ok ? (
              <Alert color="red" p="xs" title={t("templates.previewRefused")}>
                {(preview.data.issues ?? [])
                  .map((issue) => `${issue.path}: ${issue.message} (${issue.metaCode})`)
                  .join(" · ")}
              </Alert>
            ) : null}
            {preview.data?.bubble ? <WhatsAppBubble bubble={preview.data.bubble} dimmed={preview.isFetching} /> : null}
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
