import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  FileInput,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconArrowLeft, IconFileTypeCsv, IconUpload } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { ApiError } from "../../api/client";
import { importsKey, listImports, startImport, uploadImport } from "../../api/imports";
import type { ImportKind, UploadedImport } from "../../api/types";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { errorMessage } from "../../lib/errors";
import { formatBytes, formatTime } from "../../lib/format";
import { ImportStateBadge } from "./ImportStateBadge";

/** Server limit on an uploaded file (docs/api-customers.md). */
const MAX_BYTES = 200 * 1024 * 1024;
const SKIP = "__skip";
/** Targets each kind cannot do without (the server checks too, and says so in a 400). */
const REQUIRED: Record<ImportKind, string[][]> = {
  contacts: [["phone"]],
  orders: [["external_id"], ["phone", "contact_id"], ["amount"], ["currency"], ["placed_at"]],
};

/** The CSV import wizard: upload, map the columns (with a preview), start; progress is its own page. */
export function ImportPage() {
  const { t } = useTranslation();
  const [uploaded, setUploaded] = useState<UploadedImport | null>(null);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/contacts" size="sm">
        <IconArrowLeft size={14} style={{ verticalAlign: "middle" }} /> {t("contacts.backToList")}
      </Anchor>
      <PageHeader title={t("imports.title")} icon={sectionIcon("contacts")} description={t("imports.intro")} />
      <Stepper active={uploaded ? 1 : 0} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t("imports.stepUpload")} description={t("imports.stepUploadHint")}>
          <UploadStep onUploaded={setUploaded} />
        </Stepper.Step>
        <Stepper.Step label={t("imports.stepMapping")} description={t("imports.stepMappingHint")}>
          {uploaded ? <MappingStep uploaded={uploaded} onBack={() => setUploaded(null)} /> : null}
        </Stepper.Step>
        <Stepper.Step label={t("imports.stepProgress")} description={t("imports.stepProgressHint")} />
      </Stepper>
    </Stack>
  );
}

function UploadStep({ onUploaded }: { onUploaded: (uploaded: UploadedImport) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ImportKind>("contacts");
  const [file, setFile] = useState<File | null>(null);
  const recent = useQuery({ queryKey: importsKey, queryFn: listImports });
  const upload = useMutation({
    mutationFn: () => {
      if (!file) throw new Error("no file");
      return uploadImport(kind, file);
    },
    onSuccess: onUploaded,
  });
  const tooBig = file !== null && file.size > MAX_BYTES;

  return (
    <Stack mt="md">
      <Paper withBorder p="md" radius="md">
        <Stack>
          <div>
            <Text size="sm" fw={500} mb={4} id="import-kind-label">
              {t("imports.kind")}
            </Text>
            <SegmentedControl
              aria-labelledby="import-kind-label"
              value={kind}
              onChange={(value) => setKind(value as ImportKind)}
              data={[
                { value: "contacts", label: t("imports.kinds.contacts") },
                { value: "orders", label: t("imports.kinds.orders") },
              ]}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {t(`imports.kindHint.${kind}`)}
            </Text>
          </div>
          <FileInput
            label={t("imports.file")}
            description={t("imports.fileHint")}
            placeholder={t("imports.filePlaceholder")}
            accept=".csv,text/csv"
            leftSection={<IconFileTypeCsv size={18} />}
            value={file}
            onChange={(value) => {
              upload.reset();
              setFile(value);
            }}
            error={tooBig ? t("imports.tooBig") : undefined}
            clearable
          />
          {upload.isError ? (
            <Alert color="red" role="alert">
              {uploadErrorMessage(t, upload.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button
              leftSection={<IconUpload size={16} />}
              disabled={!file || tooBig}
              loading={upload.isPending}
              onClick={() => upload.mutate()}
            >
              {t("imports.upload")}
            </Button>
          </Group>
        </Stack>
      </Paper>

      {recent.data && recent.data.data.length > 0 ? (
        <div>
          <Title order={2} size="h5" mb="xs">
            {t("imports.recent")}
          </Title>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("imports.fileColumn")}</Table.Th>
                  <Table.Th>{t("imports.kind")}</Table.Th>
                  <Table.Th>{t("common.status")}</Table.Th>
                  <Table.Th ta="right">{t("imports.imported")}</Table.Th>
                  <Table.Th ta="right">{t("imports.rejected")}</Table.Th>
                  <Table.Th>{t("common.created")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {recent.data.data.map((job) => (
                  <Table.Tr key={job.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/contacts/import/${job.id}`} size="sm">
                        {job.fileName ?? formatBytes(job.bytes)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`imports.kinds.${job.kind}`)}</Table.Td>
                    <Table.Td>
                      <ImportStateBadge job={job} />
                    </Table.Td>
                    <Table.Td ta="right">{job.progress.imported}</Table.Td>
                    <Table.Td ta="right">{job.progress.rejected}</Table.Td>
                    <Table.Td>{formatTime(job.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      ) : null}
    </Stack>
  );
}

function uploadErrorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && error.code === "payload_too_large") return t("imports.tooBig");
  if (error instanceof ApiError && error.code === "validation_failed") {
    const details = error.issues.map((issue) => issue.message).join(" ");
    return details || error.message;
  }
  return errorMessage(t, error);
}

function MappingStep({ uploaded, onBack }: { uploaded: UploadedImport; onBack: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [mapping, setMapping] = useState<Record<string, string | null>>(() =>
    Object.fromEntries(uploaded.header.map((column) => [column, uploaded.suggestedMapping[column] ?? null])),
  );
  const [defaultCountry, setDefaultCountry] = useState("");
  const [dryRun, setDryRun] = useState(false);
  const [atomic, setAtomic] = useState(false);

  const mapped = Object.values(mapping).filter((target): target is string => target !== null);
  const duplicates = new Set(mapped.filter((target, index) => mapped.indexOf(target) !== index));
  const missing = REQUIRED[uploaded.kind].filter((anyOf) => !anyOf.some((target) => mapped.includes(target)));

  const start = useMutation({
    mutationFn: () =>
      startImport(uploaded.id, {
        mapping,
        ...(defaultCountry ? { defaultCountry } : {}),
        dryRun,
        atomic,
      }),
    onSuccess: (job) => navigate(`/contacts/import/${job.id}`),
  });

  const targetOptions = [
    { value: SKIP, label: t("imports.skipColumn") },
    ...uploaded.targets.map((target) => ({ value: target, label: targetLabel(t, target) })),
  ];
  const startError =
    start.error instanceof ApiError && start.error.code === "validation_failed"
      ? start.error.issues.map((issue) => `${issue.path ? `${issue.path}: ` : ""}${issue.message}`).join(" · ") ||
        start.error.message
      : start.error
        ? errorMessage(t, start.error)
        : null;

  return (
    <Stack mt="md">
      <Text size="sm">
        {t("imports.uploadedFile", {
          name: uploaded.fileName ?? t("imports.theFile"),
          size: formatBytes(uploaded.bytes),
          columns: uploaded.header.length,
        })}
      </Text>
      {uploaded.problems.length > 0 ? (
        <Alert color="yellow" title={t("imports.problems")}>
          <Stack gap={2}>
            {uploaded.problems.map((problem) => (
              <Text size="sm" key={problem}>
                {problem}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : null}

      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" data-testid="import-mapping">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("imports.column")}</Table.Th>
              <Table.Th>{t("imports.sample")}</Table.Th>
              <Table.Th>{t("imports.target")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {uploaded.header.map((column, index) => {
              const target = mapping[column] ?? null;
              return (
                <Table.Tr key={column}>
                  <Table.Td>
                    <Code>{column}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {uploaded.sampleRows
                        .slice(0, 3)
                        .map((row) => row[index] ?? "")
                        .filter(Boolean)
                        .join(" · ") || "—"}
                    </Text>
                  </Table.Td>
                  <Table.Td w={260}>
                    <Select
                      size="xs"
                      aria-label={t("imports.targetFor", { column })}
                      allowDeselect={false}
                      searchable
                      data={targetOptions}
                      value={target ?? SKIP}
                      onChange={(value) => setMapping((now) => ({ ...now, [column]: value === SKIP ? null : value }))}
                      error={target !== null && duplicates.has(target) ? t("imports.duplicateTarget") : undefined}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <div>
        <Title order={2} size="h5" mb="xs">
          {t("imports.preview")}
        </Title>
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing={4} data-testid="import-preview">
            <Table.Thead>
              <Table.Tr>
                {uploaded.header.map((column) =>
                  mapping[column] ? (
                    <Table.Th key={column}>
                      <Badge variant="light" size="sm">
                        {targetLabel(t, mapping[column] ?? "")}
                      </Badge>
                    </Table.Th>
                  ) : null,
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {uploaded.sampleRows.map((row, rowIndex) => (
                // Sample rows have no identity of their own; their order is fixed.
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of a fixed sample
                <Table.Tr key={rowIndex}>
                  {uploaded.header.map((column, index) =>
                    mapping[column] ? <Table.Td key={column}>{row[index] ?? ""}</Table.Td> : null,
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </div>

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          label={t("imports.defaultCountry")}
          description={t("imports.defaultCountryHint")}
          placeholder="KR"
          maxLength={2}
          value={defaultCountry}
          onChange={(event) => setDefaultCountry(event.currentTarget.value.toUpperCase().replace(/[^A-Z]/g, ""))}
        />
        <Switch
          mt="lg"
          label={t("imports.dryRun")}
          description={t("imports.dryRunHint")}
          checked={dryRun}
          onChange={(event) => setDryRun(event.currentTarget.checked)}
        />
        <Switch
          mt="lg"
          label={t("imports.atomic")}
          description={t("imports.atomicHint")}
          checked={atomic}
          onChange={(event) => setAtomic(event.currentTarget.checked)}
        />
      </SimpleGrid>

      {missing.length > 0 ? (
        <Alert color="yellow">
          {t("imports.missingTargets", {
            targets: missing.map((anyOf) => anyOf.map((target) => targetLabel(t, target)).join(" / ")).join(", "),
          })}
        </Alert>
      ) : null}
      {startError ? (
        <Alert color="red" role="alert">
          {startError}
        </Alert>
      ) : null}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          {t("imports.otherFile")}
        </Button>
        <Button
          loading={start.isPending}
          disabled={
            missing.length > 0 || duplicates.size > 0 || (defaultCountry.length > 0 && defaultCountry.length !== 2)
          }
          onClick={() => start.mutate()}
        >
          {dryRun ? t("imports.startDryRun") : t("imports.start")}
        </Button>
      </Group>
    </Stack>
  );
}

/** "phone" → "Phone", "attributes.vip_level" → "Attribute: vip_level"; unknown targets as the server names them. */
export function targetLabel(t: TFunction, target: string): string {
  if (target.startsWith("attributes."))
    return t("imports.attributeTarget", { name: target.slice("attributes.".length) });
  return isKnownTarget(target) ? t(`imports.targets.${target}`) : target;
}

const KNOWN_TARGETS = [
  "phone",
  "name",
  "language",
  "country",
  "time_zone",
  "consent",
  "consent_source",
  "tags",
  "external_id",
  "contact_id",
  "amount",
  "currency",
  "placed_at",
  "status",
  "items",
  "source",
] as const;

function isKnownTarget(target: string): target is (typeof KNOWN_TARGETS)[number] {
  return KNOWN_TARGETS.some((known) => known === target);
}
