import { DataList, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { AttributeDefinition, AttributeValue } from "../../api/types";
import { formatDate, formatNumber } from "../../lib/format";
import { Card, Field } from "./Card";

/** The business's custom attributes of this contact, shown by their definitions' types and labels. */
export function AttributesCard({
  attributes,
  definitions,
}: {
  attributes: Record<string, AttributeValue>;
  definitions: AttributeDefinition[];
}) {
  const { t } = useTranslation();
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));

  const show = (name: string, value: AttributeValue): string => {
    const type = byName.get(name)?.type;
    if (type === "date" && typeof value === "number") return formatDate(value);
    if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
    if (typeof value === "number") return formatNumber(value);
    return value;
  };

  return (
    <Card title={t("contacts.attributes")}>
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("contacts.noAttributes")}
        </Text>
      ) : (
        <DataList labelWidth={130}>
          {entries.map(([name, value]) => (
            <Field key={name} label={byName.get(name)?.label || name}>
              {show(name, value)}
            </Field>
          ))}
        </DataList>
      )}
    </Card>
  );
}
