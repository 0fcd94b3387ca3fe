import { Alert, Button, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../lib/errors";

/** A failed load, with the reason and a retry button. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t("errors.loadFailed")} role="alert">
      <Stack align="flex-start" gap="xs">
        {errorMessage(t, error)}
        <Button size="xs" variant="light" color="red" onClick={onRetry}>
          {t("common.retry")}
        </Button>
      </Stack>
    </Alert>
  );
}
