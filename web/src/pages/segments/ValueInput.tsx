import { Autocomplete, Box, Group, MultiSelect, NumberInput, Select, TagsInput, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Scalar, SegmentField, SegmentOperator } from "../../api/types";
import { currencyDigits, currencySymbol, toMajor, toMinor } from "../../lib/money";
import { useEnumLabel } from "./labels";
import { operandShape } from "./rule-tree";

export interface ValueInputProps {
  field: SegmentField;
  op: SegmentOperator;
  value: Scalar | Scalar[] | undefined;
  onChange: (value: Scalar | Scalar[] | undefined) => void;
  /** The base currency money fields are in (from /metrics/status). */
  currency: string;
  /** Tags in use, offered for tag conditions. */
  tags: string[];
  error?: string | undefined;
  /** Accessible name of the input, e.g. "Value of condition 2". */
  label: string;
}

/** The value part of a condition, by the field's type and the operator's operand shape. */
export function ValueInput(props: ValueInputProps) {
  const { t } = useTranslation();
  const shape = operandShape(props.op);
  if (shape === "none") return null;
  if (shape === "days") {
    return (
      <NumberInput
        aria-label={props.label}
        size="xs"
        min={0}
        max={3650}
        allowDecimal={false}
        allowNegative={false}
        suffix={` ${t("segments.days")}`}
        value={typeof props.value === "number" ? props.value : ""}
        onChange={(value) => props.onChange(typeof value === "number" ? value : undefined)}
        error={props.error}
      />
    );
  }
  if (shape === "list") return <ListInput {...props} />;
  if (shape === "range") {
    const [low, high] = Array.isArray(props.value) ? props.value : [];
    const set = (index: 0 | 1, value: Scalar | undefined) => {
      const next: Scalar[] = [low ?? "", high ?? ""];
      next[index] = value ?? "";
      props.onChange(next);
    };
    return (
      <Group gap={6} wrap="nowrap" align="flex-start">
        <Box style={{ flex: 1 }}>
          <ScalarInput
            {...props}
            label={`${props.label} (${t("segments.from")})`}
            value={low}
            onChange={(v) => set(0, v)}
          />
        </Box>
        <Text size="xs" c="dimmed" mt={6}>
          {t("segments.and")}
        </Text>
        <Box style={{ flex: 1 }}>
          <ScalarInput
            {...props}
            label={`${props.label} (${t("segments.to")})`}
            value={high}
            onChange={(v) => set(1, v)}
          />
        </Box>
      </Group>
    );
  }
  return (
    <ScalarInput
      {...props}
      value={Array.isArray(props.value) ? undefined : props.value}
      onChange={(value) => props.onChange(value)}
    />
  );
}

interface ScalarProps extends Omit<ValueInputProps, "value" | "onChange"> {
  value: Scalar | undefined;
  onChange: (value: Scalar | undefined) => void;
}

function ScalarInput({ field, value, onChange, currency, tags, error, label }: ScalarProps) {
  const { t } = useTranslation();
  const enumLabel = useEnumLabel();
  switch (field.type) {
    case "number":
      return (
        <NumberValue field={field} value={value} onChange={onChange} currency={currency} error={error} label={label} />
      );
    case "boolean":
      return (
        <Select
          aria-label={label}
          size="xs"
          allowDeselect={false}
          data={[
            { value: "true", label: t("common.yes") },
            { value: "false", label: t("common.no") },
          ]}
          value={value === false ? "false" : "true"}
          onChange={(next) => onChange(next === "true")}
          error={error}
        />
      );
    case "date":
      return (
        <TextInput
          aria-label={label}
          size="xs"
          type="date"
          value={typeof value === "number" ? toDateInput(value) : ""}
          onChange={(event) => onChange(fromDateInput(event.currentTarget.value))}
          error={error}
        />
      );
    case "enum":
      return (
        <Select
          aria-label={label}
          size="xs"
          allowDeselect={false}
          data={(field.values ?? []).map((option) => ({ value: option, label: enumLabel(field.id, option) }))}
          value={typeof value === "string" ? value : null}
          onChange={(next) => onChange(next ?? undefined)}
          error={error}
        />
      );
    case "tag":
      return (
        <Autocomplete
          aria-label={label}
          size="xs"
          placeholder={t("segments.tagPlaceholder")}
          data={tags}
          value={typeof value === "string" ? value : ""}
          onChange={(next) => onChange(next)}
          maxLength={50}
          error={error}
        />
      );
    case "country":
      return (
        <TextInput
          aria-label={label}
          size="xs"
          placeholder="KR"
          maxLength={2}
          value={typeof value === "string" ? value : ""}
          onChange={(event) => onChange(event.currentTarget.value.toUpperCase().replace(/[^A-Z]/g, ""))}
          error={error}
        />
      );
    default:
      return (
        <TextInput
          aria-label={label}
          size="xs"
          maxLength={500}
          value={typeof value === "string" ? value : ""}
          onChange={(event) => onChange(event.currentTarget.value)}
          error={error}
        />
      );
  }
}

/** Numbers in the unit a person thinks in: money in major units of the base currency, ratios in percent. */
function NumberValue({
  field,
  value,
  onChange,
  currency,
  error,
  label,
}: {
  field: SegmentField;
  value: Scalar | undefined;
  onChange: (value: Scalar | undefined) => void;
  currency: string;
  error?: string | undefined;
  label: string;
}) {
  const { toShown, fromShown, props } = numberUnit(field, currency);
  return (
    <NumberInput
      aria-label={label}
      size="xs"
      {...props}
      value={typeof value === "number" ? toShown(value) : ""}
      onChange={(next) => onChange(typeof next === "number" ? fromShown(next) : undefined)}
      error={error}
    />
  );
}

function numberUnit(field: SegmentField, currency: string) {
  switch (field.unit) {
    case "minor_units":
      return {
        toShown: (v: number) => toMajor(v, currency),
        fromShown: (v: number) => toMinor(v, currency),
        props: {
          prefix: `${currencySymbol(currency)} `,
          thousandSeparator: ",",
          decimalScale: currencyDigits(currency),
          allowNegative: false,
        },
      };
    case "ratio":
      return {
        toShown: (v: number) => Math.round(v * 1000) / 10,
        fromShown: (v: number) => v / 100,
        props: { suffix: " %", min: 0, max: 100, decimalScale: 1, allowNegative: false },
      };
    case "score":
      return {
        toShown: (v: number) => v,
        fromShown: (v: number) => v,
        props: { min: 1, max: 5, allowDecimal: false, allowNegative: false },
      };
    case "count":
      return {
        toShown: (v: number) => v,
        fromShown: (v: number) => v,
        props: { min: 0, allowDecimal: false, allowNegative: false, thousandSeparator: "," },
      };
    default:
      return { toShown: (v: number) => v, fromShown: (v: number) => v, props: {} };
  }
}

function ListInput({ field, value, onChange, currency, tags, error, label }: ValueInputProps) {
  const { t } = useTranslation();
  const enumLabel = useEnumLabel();
  const list = Array.isArray(value) ? value : [];
  if (field.type === "enum") {
    return (
      <MultiSelect
        aria-label={label}
        size="xs"
        data={(field.values ?? []).map((option) => ({ value: option, label: enumLabel(field.id, option) }))}
        value={list.map(String)}
        onChange={(next) => onChange(next)}
        error={error}
      />
    );
  }
  const { toShown, fromShown } = numberUnit(field, currency);
  const shown =
    field.type === "number"
      ? list.map((v) => (typeof v === "number" ? String(toShown(v)) : String(v)))
      : list.map(String);
  return (
    <TagsInput
      aria-label={label}
      size="xs"
      placeholder={t("segments.listPlaceholder")}
      data={field.type === "tag" ? tags : []}
      value={shown}
      onChange={(next) => {
        if (field.type === "number") {
          onChange(next.map(Number).filter(Number.isFinite).map(fromShown));
        } else if (field.type === "country") {
          onChange(next.map((v) => v.trim().toUpperCase()).filter((v) => /^[A-Z]{2}$/.test(v)));
        } else {
          onChange(next.map((v) => v.trim()).filter(Boolean));
        }
      }}
      error={error}
    />
  );
}

/** Epoch ms → "YYYY-MM-DD" in the browser's time zone. */
function toDateInput(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "YYYY-MM-DD" → epoch ms of that day's local midnight; empty or invalid → undefined. */
function fromDateInput(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
