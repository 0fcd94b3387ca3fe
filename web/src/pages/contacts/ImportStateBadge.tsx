import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ImportJob, ImportState } from "../../api/types";

const COLOR: Record<ImportState, string> = { uploaded: "gray", running: "blue", succeeded: "teal", failed: "red" };

/** Uploaded / running / done / failed; a finished job with rejected rows says so. */
export function ImportStateBadge({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const partly = job.state === "succeeded" && job.progress.rejected > 0;
  return (
    <Badge color={partly ? "orange" : COLOR[job.state]} variant="light">
      {partly ? t("imports.states.partly") : t(`imports.states.${job.state}`)}
      {job.dryRun ? ` · ${t("imports.dryRunShort")}` : ""}
    </Badge>
  );
}
