import {
  Alert,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { IconRocket, IconSend } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { campaignAction, campaignsKey, previewCampaign, testSendCampaign } from "../../api/campaigns";
import { ApiError } from "../../api/client";
import type { Campaign, CampaignAudience, CampaignEstimate, ProviderComparison, QuietHours } from "../../api/types";
import { SKIP_REASONS } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatNumber } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { formatHour } from "./WizardSteps";

/** Meta's prices are in micro-dollars (1 USD = 1,000,000); shown with enough digits for a single message. */
export function formatMicroUsd(micro: number, digits = 2): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: digits,
    maximumFractionDigits: Math.max(digits, 4),
  }).format(micro / 1_000_000);
}

/**
 * The audience after each gate, in the order the launcher applies them: the segment's size, then what is left after
 * each skip reason. A reason no one hits is left out, so the table reads as a funnel.
 */
export function GateFunnel({ audience }: { audience: CampaignAudience }) {
  const { t } = useTranslation();
  let left = audience.total;
  const rows: { key: string; label: string; removed: number; left: number; hint: string }[] = [];
  // Every launch gate, in order, even when it removes no one: the marketer sees each check was applied.
  // ("cancelled" is not a gate: it only happens after launch.)
  for (const reason of SKIP_REASONS.filter((r) => r !== "cancelled")) {
    const removed = audience.skipped[reason] ?? 0;
    left -= removed;
    rows.push({
      key: reason,
      label: t("campaigns.gateAfter", { gate: t(`campaigns.skipReasons.${reason}`) }),
      removed,
      left,
      hint: t(`campaigns.skipReasonHints.${reason}`),
    });
  }
  return (
    <Table verticalSpacing={6} data-testid="gate-funnel">
      <Table.Tbody>
        <Table.Tr>
          <Table.Td>{t("campaigns.gateSegment")}</Table.Td>
          <Table.Td />
          <Table.Td ta="right" fw={500}>
            {formatNumber(audience.total)}
          </Table.Td>
        </Table.Tr>
        {rows.map((row) => (
          <Table.Tr key={row.key} data-testid={`gate-${row.key}`}>
            <Table.Td>
              <Tooltip label={row.hint} multiline maw={300} withArrow>
                <Text size="sm" span style={{ textDecoration: "underline dotted" }}>
                  {row.label}
                </Text>
              </Tooltip>
            </Table.Td>
            <Table.Td ta="right">
              <Text size="sm" c={row.removed > 0 ? "red" : "dimmed"}>
                −{formatNumber(row.removed)}
              </Text>
            </Table.Td>
            <Table.Td ta="right" c={row.removed > 0 ? undefined : "dimmed"}>
              {formatNumber(row.left)}
            </Table.Td>
          </Table.Tr>
        ))}
        <Table.Tr>
          <Table.Td fw={700}>{t("campaigns.willReceive")}</Table.Td>
          <Table.Td />
          <Table.Td ta="right" fw={700} data-testid="will-receive">
            {formatNumber(audience.queued)}
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

/** The cost estimate: total, the rate card, and the per-market breakdown. */
export function EstimateTable({ estimate }: { estimate: CampaignEstimate }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="cost-estimate">
      <Group justify="space-between" align="baseline">
        <Text size="sm">{t("campaigns.estimateTotal")}</Text>
        <Text fz={28} fw={700} data-testid="estimate-total">
          {formatMicroUsd(estimate.totalMicroUsd)}
        </Text>
      </Group>
      {estimate.card ? (
        <Text size="xs" c="dimmed">
          {t("campaigns.estimateCard", { card: estimate.card })} · {t(`templates.categories.${estimate.category}`)}
        </Text>
      ) : null}
      {estimate.byMarket.length > 0 ? (
        <Table verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("campaigns.market")}</Table.Th>
              <Table.Th ta="right">{t("campaigns.recipients")}</Table.Th>
              <Table.Th ta="right">{t("campaigns.unitPrice")}</Table.Th>
              <Table.Th ta="right">{t("campaigns.subtotal")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {estimate.byMarket.map((market) => (
              <Table.Tr key={market.market}>
                <Table.Td>{market.market}</Table.Td>
                <Table.Td ta="right">{formatNumber(market.count)}</Table.Td>
                <Table.Td ta="right">
                  {market.unitMicroUsd === null ? "—" : formatMicroUsd(market.unitMicroUsd, 4)}
                </Table.Td>
                <Table.Td ta="right">{formatMicroUsd(market.subtotalMicroUsd)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {estimate.unpricedRecipients > 0 ? (
        <Text size="xs" c="orange">
          {t("campaigns.estimateUnpriced", { count: estimate.unpricedRecipients })}
        </Text>
      ) : null}
      <Text size="xs" c="dimmed">
        {t("campaigns.estimateHint")}
      </Text>
    </Stack>
  );
}

/** "21:00–08:00 in each recipient's time zone", or "None". */
export function useQuietHoursLabel(): (quietHours: QuietHours | null) => string {
  const { t } = useTranslation();
  return (quietHours) =>
    quietHours
      ? t("campaigns.quietHoursValue", { start: formatHour(quietHours.startHour), end: formatHour(quietHours.endHour) })
      : t("campaigns.quietHoursOff");
}

/** The estimate across providers' plans, cheapest first: each plan's own fees on top of Meta's price. */
export function ProviderTable({ comparison }: { comparison: ProviderComparison }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="provider-comparison">
      <Title order={4} size="h6">
        {t("campaigns.providers")}
      </Title>
      <Table verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("campaigns.plan")}</Table.Th>
            <Table.Th ta="right">{t("campaigns.monthlyFee")}</Table.Th>
            <Table.Th ta="right">{t("campaigns.perMessageFee")}</Table.Th>
            <Table.Th ta="right">{t("campaigns.providerCost")}</Table.Th>
            <Table.Th ta="right">{t("campaigns.totalWithMeta")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {comparison.plans.map((plan, index) => (
            <Table.Tr key={plan.planId} data-testid={`provider-${plan.planId}`}>
              <Table.Td fw={index === 0 ? 700 : undefined}>
                {plan.name}
                {plan.freeMessagesPerMonth > 0 ? (
                  <Text size="xs" c="dimmed">
                    {t("campaigns.freeMessages", { count: plan.freeMessagesPerMonth })}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td ta="right">{formatMicroUsd(plan.monthlyFeeMicroUsd)}</Table.Td>
              <Table.Td ta="right">{formatMicroUsd(plan.perMessageMicroUsd, 4)}</Table.Td>
              <Table.Td ta="right">{formatMicroUsd(plan.providerMicroUsd)}</Table.Td>
              <Table.Td ta="right" fw={index === 0 ? 700 : undefined}>
                {formatMicroUsd(plan.totalMicroUsd)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t("campaigns.providersHint", { count: comparison.messagesPerMonth })}
      </Text>
    </Stack>
  );
}

/**
 * The pre-launch review of a saved draft: the audience after each compliance gate and the cost, as a launch now
 * would find them; a test send to one number; and the launch itself, after a confirmation that names the count.
 */
export function CampaignReview({
  campaign,
  templateName,
  senderName,
  blocker,
  onLaunched,
}: {
  campaign: Campaign;
  templateName: string;
  senderName: string;
  /** Why the campaign cannot launch (e.g. the template is not approved), or null. */
  blocker: string | null;
  onLaunched: (campaign: Campaign) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [to, setTo] = useState("");
  const [confirm, setConfirm] = useState(false);
  const preview = useQuery({
    queryKey: ["campaigns", "preview", campaign.id, campaign.updatedAt],
    queryFn: () => previewCampaign(campaign.id),
    retry: false,
  });
  const test = useMutation({
    mutationFn: () => testSendCampaign(campaign.id, to),
    onSuccess: () => notifySuccess(t("campaigns.testSent", { to })),
  });
  const launch = useMutation({
    mutationFn: () => campaignAction(campaign.id, "launch"),
    onSuccess: async (launched) => {
      await queryClient.invalidateQueries({ queryKey: campaignsKey });
      notifySuccess(t("campaigns.launchedToast"));
      setConfirm(false);
      onLaunched(launched);
    },
  });
  const testError =
    test.error instanceof ApiError && test.error.code === "validation_failed"
      ? test.error.issues.map((issue) => issue.message).join(" ")
      : test.error
        ? `${errorMessage(t, test.error)}`
        : null;
  const queued = preview.data?.audience.queued ?? 0;
  const scheduled = campaign.schedule.kind === "at" && (campaign.schedule.at ?? 0) > Date.now();
  const quietLabel = useQuietHoursLabel();

  return (
    <Stack gap="md" data-testid="campaign-review">
      <Text size="sm" c="dimmed">
        {t("campaigns.reviewIntro")}
      </Text>
      <Text size="sm" data-testid="review-quiet-hours">
        {t("campaigns.quietHoursLabel")}: {quietLabel(campaign.quietHours)}
      </Text>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder radius="md" p="md" h="100%">
            <Stack gap="xs">
              <Group justify="space-between">
                <Title order={3} size="h5">
                  {t("campaigns.gates")}
                </Title>
                {preview.isFetching ? <Loader size="xs" aria-label={t("campaigns.gatesLoading")} /> : null}
              </Group>
              {preview.isError ? <QueryError error={preview.error} onRetry={() => preview.refetch()} /> : null}
              {preview.data ? <GateFunnel audience={preview.data.audience} /> : null}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder radius="md" p="md" h="100%">
            <Stack gap="xs">
              <Title order={3} size="h5">
                {t("campaigns.estimate")}
              </Title>
              {preview.data ? <EstimateTable estimate={preview.data.estimate} /> : null}
              {preview.data ? <ProviderTable comparison={preview.data.providers} /> : null}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
      <Paper withBorder radius="md" p="md">
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t("campaigns.testSend")}
          </Title>
          <Text size="xs" c="dimmed">
            {t("campaigns.testSendHint")}
          </Text>
          <Group align="flex-start">
            <TextInput
              aria-label={t("campaigns.testPhone")}
              placeholder={t("campaigns.testPhonePlaceholder")}
              value={to}
              onChange={(event) => setTo(event.currentTarget.value)}
              error={testError}
              w={260}
            />
            <Button
              variant="default"
              leftSection={<IconSend size={16} />}
              onClick={() => test.mutate()}
              loading={test.isPending}
              disabled={to.trim().length < 4 || blocker !== null}
            >
              {t("campaigns.testSendButton")}
            </Button>
          </Group>
          {test.data ? (
            <Text size="xs" c="teal" data-testid="test-sent">
              {t("campaigns.testSent", { to })}
            </Text>
          ) : null}
        </Stack>
      </Paper>
      {blocker ? (
        <Alert color="orange" role="alert">
          {blocker}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button
          size="md"
          leftSection={<IconRocket size={18} />}
          disabled={blocker !== null || !preview.data}
          onClick={() => {
            launch.reset();
            setConfirm(true);
          }}
        >
          {scheduled ? t("campaigns.schedule") : t("campaigns.launch")}
        </Button>
      </Group>
      <ConfirmDialog
        opened={confirm}
        title={t("campaigns.launchTitle")}
        message={t("campaigns.launchConfirm", { count: queued, template: templateName, sender: senderName })}
        confirmLabel={scheduled ? t("campaigns.schedule") : t("campaigns.launch")}
        confirmColor="blue"
        loading={launch.isPending}
        error={launch.error ? `${errorMessage(t, launch.error)}` : null}
        onConfirm={() => launch.mutate()}
        onClose={() => setConfirm(false)}
      />
    </Stack>
  );
}
