// Translated names of the segment fields, operators and enum values the server's whitelist uses. The server sends
// English labels; fields this build does not know (new ones, custom attributes) show the server's label.
import { useTranslation } from "react-i18next";
import {
  CONSENT_STATES,
  FREQUENCY_CLASSES,
  HEAT_LEVELS,
  type SegmentField,
  type SegmentOperator,
} from "../../api/types";

const FIELD_KEYS = [
  "contact.phone",
  "contact.country",
  "contact.language",
  "contact.name",
  "contact.time_zone",
  "contact.created_at",
  "consent.state",
  "consent.changed_at",
  "tags",
  "metrics.orders_30d",
  "metrics.orders_90d",
  "metrics.orders_365d",
  "metrics.total_spent",
  "metrics.spent_365d",
  "metrics.avg_order_value",
  "metrics.first_order_at",
  "metrics.last_order_at",
  "metrics.frequency_class",
  "metrics.heat",
  "metrics.last_inbound_at",
  "metrics.last_read_at",
  "metrics.read_rate",
  "metrics.rfm_recency",
  "metrics.rfm_frequency",
  "metrics.rfm_monetary",
  "campaign.received",
  "campaign.read",
  "campaign.replied",
] as const;
type KnownField = (typeof FIELD_KEYS)[number];

const GROUPS = ["contact", "consent", "tags", "attributes", "metrics", "campaign"] as const;
type KnownGroup = (typeof GROUPS)[number];

const includes = <T extends string>(list: readonly T[], value: string): value is T => list.some((v) => v === value);

/** i18n keys cannot hold dots inside a key name, so "metrics.orders_30d" is stored as "metrics__orders_30d". */
const fieldKey = (id: KnownField) => id.replace(".", "__") as ReplaceDot<KnownField>;
type ReplaceDot<S extends string> = S extends `${infer A}.${infer B}` ? `${A}__${B}` : S;

export function useFieldLabel(): (field: SegmentField) => string {
  const { t } = useTranslation();
  return (field) => {
    if (includes(FIELD_KEYS, field.id)) return t(`segments.fields.${fieldKey(field.id)}`);
    if (field.group === "attributes") return t("segments.attributeField", { name: field.label || field.id });
    return field.label || field.id;
  };
}

export function useGroupLabel(): (group: string) => string {
  const { t } = useTranslation();
  return (group) => (includes(GROUPS, group) ? t(`segments.groups.${group as KnownGroup}`) : group);
}

export function useOperatorLabel(): (op: SegmentOperator) => string {
  const { t } = useTranslation();
  return (op) => t(`segments.ops.${op}`);
}

/** A value of an enum field: consent states, frequency classes and heat levels are translated. */
export function useEnumLabel(): (fieldId: string, value: string) => string {
  const { t } = useTranslation();
  return (fieldId, value) => {
    if (fieldId === "consent.state" && includes(CONSENT_STATES, value)) return t(`consent.state.${value}`);
    if (fieldId === "metrics.frequency_class" && includes(FREQUENCY_CLASSES, value))
      return t(`metrics.frequencyClass.${value}`);
    if (fieldId === "metrics.heat" && includes(HEAT_LEVELS, value)) return t(`metrics.heatLevel.${value}`);
    return value;
  };
}
