import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
} from "@mantine/core";
import { IconPlus, IconSquarePlus, IconTrash } from "@tabler/icons-react";
import { Fragment, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { SegmentCondition, SegmentField, SegmentNode } from "../../api/types";
import { useFieldLabel, useGroupLabel, useOperatorLabel } from "./labels";
import {
  isGroup,
  negate,
  newCondition,
  type Path,
  pathKey,
  type Group as RuleGroup,
  unwrap,
  withOperator,
} from "./rule-tree";
import { ValueInput } from "./ValueInput";

/** The server allows depth 8; the root is 1 and a NOT adds one, so groups stop a little earlier. */
const MAX_GROUP_DEPTH = 6;
/** What a new condition starts with: the most common first filter of a marketing audience. */
const DEFAULT_FIELD = "contact.country";

export interface BuilderContext {
  fields: SegmentField[];
  currency: string;
  tags: string[];
  /** Server issues by builder path ("" = the whole tree). */
  issues: ReadonlyMap<string, string[]>;
  update: (path: Path, change: (node: SegmentNode) => SegmentNode | null) => void;
  readOnly: boolean;
}

/** One AND/OR group: its items, each a condition or a nested group, either of them negatable. */
export function RuleGroupEditor({
  group,
  path,
  negated,
  context,
}: {
  group: RuleGroup;
  path: Path;
  negated: boolean;
  context: BuilderContext;
}) {
  const { t } = useTranslation();
  const isRoot = path.length === 0;
  const firstField =
    context.fields.find((field) => field.id === DEFAULT_FIELD && field.available) ??
    context.fields.find((field) => field.available);
  const label = isRoot ? t("segments.rootGroup") : t("segments.groupLabel", { number: humanPath(path) });

  const addCondition = () => {
    if (!firstField) return;
    context.update(path, (node) => {
      const { negated: not, inner } = unwrap(node);
      return isGroup(inner) ? negate({ ...inner, children: [...inner.children, newCondition(firstField)] }, not) : node;
    });
  };
  const addGroup = () => {
    if (!firstField) return;
    context.update(path, (node) => {
      const { negated: not, inner } = unwrap(node);
      const child: RuleGroup = { kind: inner.kind === "and" ? "or" : "and", children: [newCondition(firstField)] };
      return isGroup(inner) ? negate({ ...inner, children: [...inner.children, child] }, not) : node;
    });
  };

  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      bg={path.length % 2 === 1 ? "var(--mantine-color-gray-0)" : undefined}
      role="group"
      aria-label={label}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            {isRoot ? null : (
              <Checkbox
                size="xs"
                label={t("segments.not")}
                checked={negated}
                disabled={context.readOnly}
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  context.update(path, (node) => negate(node, checked));
                }}
              />
            )}
            <SegmentedControl
              size="xs"
              aria-label={t("segments.combine", { group: label })}
              disabled={context.readOnly}
              value={group.kind}
              onChange={(kind) =>
                context.update(path, (node) => {
                  const { negated: not, inner } = unwrap(node);
                  return isGroup(inner) ? negate({ ...inner, kind: kind === "or" ? "or" : "and" }, not) : node;
                })
              }
              data={[
                { value: "and", label: t("segments.all") },
                { value: "or", label: t("segments.any") },
              ]}
            />
            <Text size="xs" c="dimmed">
              {group.kind === "and" ? t("segments.allHint") : t("segments.anyHint")}
            </Text>
          </Group>
          {isRoot || context.readOnly ? null : (
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t("segments.removeGroup", { number: humanPath(path) })}
              onClick={() => context.update(path, () => null)}
            >
              <IconTrash size={16} />
            </ActionIcon>
          )}
        </Group>

        {group.children.length === 0 ? (
          <Text size="sm" c="dimmed">
            {isRoot ? t("segments.emptyRoot") : t("segments.emptyGroup")}
          </Text>
        ) : null}
        {group.children.map((child, index) => {
          const childPath = [...path, index];
          const { negated: childNegated, inner } = unwrap(child);
          return (
            // Items have no ids of their own; a removal re-keys the ones after it, which only resets their focus.
            // biome-ignore lint/suspicious/noArrayIndexKey: position is the identity in a rule list
            <Fragment key={index}>
              {index > 0 ? (
                <Badge size="xs" variant="light" color={group.kind === "and" ? "blue" : "orange"}>
                  {group.kind === "and" ? t("segments.andJoin") : t("segments.orJoin")}
                </Badge>
              ) : null}
              {isGroup(inner) ? (
                <RuleGroupEditor group={inner} path={childPath} negated={childNegated} context={context} />
              ) : inner.kind === "condition" ? (
                <ConditionRow condition={inner} negated={childNegated} path={childPath} context={context} />
              ) : (
                <Text size="sm" c="dimmed">
                  {t("segments.unsupportedNode")}
                </Text>
              )}
            </Fragment>
          );
        })}
        <Issues messages={context.issues.get(pathKey(path))} />

        {context.readOnly ? null : (
          <Group gap="xs">
            <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />} onClick={addCondition}>
              {t("segments.addCondition")}
            </Button>
            <Button
              size="compact-sm"
              variant="subtle"
              leftSection={<IconSquarePlus size={14} />}
              onClick={addGroup}
              disabled={path.length + 1 >= MAX_GROUP_DEPTH}
            >
              {t("segments.addGroup")}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function ConditionRow({
  condition,
  negated,
  path,
  context,
}: {
  condition: SegmentCondition;
  negated: boolean;
  path: Path;
  context: BuilderContext;
}) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const groupLabel = useGroupLabel();
  const operatorLabel = useOperatorLabel();
  const number = humanPath(path);
  const field = context.fields.find((candidate) => candidate.id === condition.field);

  const fieldOptions = useMemo(() => {
    const groups = new Map<string, { value: string; label: string; disabled?: boolean }[]>();
    for (const candidate of context.fields) {
      const items = groups.get(candidate.group) ?? [];
      items.push({
        value: candidate.id,
        label: candidate.available ? fieldLabel(candidate) : `${fieldLabel(candidate)} (${t("segments.notAvailable")})`,
        disabled: !candidate.available,
      });
      groups.set(candidate.group, items);
    }
    return [...groups].map(([group, items]) => ({ group: groupLabel(group), items }));
  }, [context.fields, fieldLabel, groupLabel, t]);

  const change = (next: SegmentCondition) => context.update(path, () => negate(next, negated));
  const messages = context.issues.get(pathKey(path));

  return (
    <div data-testid={`condition-${pathKey(path)}`}>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <Checkbox
          size="xs"
          mt={6}
          label={t("segments.not")}
          aria-label={t("segments.negateCondition", { number })}
          checked={negated}
          disabled={context.readOnly}
          onChange={(event) => {
            const checked = event.currentTarget.checked;
            context.update(path, (node) => negate(node, checked));
          }}
        />
        <Box style={{ flex: "1 1 0", minWidth: 150 }}>
          <Select
            size="xs"
            aria-label={t("segments.fieldOf", { number })}
            searchable
            allowDeselect={false}
            disabled={context.readOnly}
            data={fieldOptions}
            value={condition.field}
            onChange={(id) => {
              const next = context.fields.find((candidate) => candidate.id === id);
              if (next) change(newCondition(next));
            }}
            error={field ? undefined : t("segments.unknownField")}
          />
        </Box>
        {field ? (
          <>
            <Select
              size="xs"
              w={150}
              style={{ flexShrink: 0 }}
              aria-label={t("segments.operatorOf", { number })}
              allowDeselect={false}
              disabled={context.readOnly}
              data={field.operators.map((op) => ({ value: op, label: operatorLabel(op) }))}
              value={condition.op}
              onChange={(op) => {
                const next = field.operators.find((candidate) => candidate === op);
                if (next) change(withOperator(condition, field, next));
              }}
            />
            <Box style={{ flex: "1.3 1 0", minWidth: 120 }}>
              <ValueInput
                field={field}
                op={condition.op}
                value={condition.value}
                onChange={(value) => {
                  const { value: _old, ...rest } = condition;
                  change(value === undefined ? rest : { ...rest, value });
                }}
                currency={context.currency}
                tags={context.tags}
                label={t("segments.valueOf", { number })}
              />
            </Box>
          </>
        ) : null}
        {context.readOnly ? null : (
          <ActionIcon
            variant="subtle"
            color="red"
            mt={2}
            aria-label={t("segments.removeCondition", { number })}
            onClick={() => context.update(path, () => null)}
          >
            <IconTrash size={16} />
          </ActionIcon>
        )}
      </Group>
      <Issues messages={messages} />
    </div>
  );
}

function Issues({ messages }: { messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <Text size="xs" c="red" mt={4} role="alert">
      {messages.join(" ")}
    </Text>
  );
}

/** [0, 2] → "1.3": how people count. */
function humanPath(path: Path): string {
  return path.map((index) => index + 1).join(".");
}
