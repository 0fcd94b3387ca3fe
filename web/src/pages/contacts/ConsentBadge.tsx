import { Badge, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Consent, ConsentState } from "../../api/types";
import { formatTime } from "../../lib/format";

const COLOR: Record<ConsentState, string> = { opted_in: "teal", opted_out: "red", unknown: "gray" };

/** Opted in / opted out / unknown, with since when in the tooltip. */
export function ConsentBadge({ consent }: { consent: Consent }) {
  const { t } = useTranslation();
  const badge = (
    <Badge color={COLOR[consent.state]} variant="light">
      {t(`consent.state.${consent.state}`)}
    </Badge>
  );
  if (consent.at === null) return badge;
  return <Tooltip label={t("consent.since", { time: formatTime(consent.at) })}>{badge}</Tooltip>;
}
