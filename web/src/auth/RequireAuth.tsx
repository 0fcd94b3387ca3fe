import { Alert, Button, Center, Loader, Stack } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router";
import { errorMessage } from "../lib/errors";
import { useSession } from "./session";

/** Where the login page sends the user back to (kept in the navigation state). */
export interface LoginRedirectState {
  from?: string;
}

/** Renders its children for a signed-in user, and sends everyone else to /login (and back after signing in). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();

  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label={t("common.loading")} />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh">
        <Stack maw={420}>
          <Alert color="red" title={t("errors.loadFailed")}>
            {errorMessage(t, session.error)}
          </Alert>
          <Button onClick={() => session.refetch()}>{t("common.retry")}</Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) {
    const state: LoginRedirectState = { from: location.pathname + location.search + location.hash };
    return <Navigate to="/login" replace state={state} />;
  }
  return children;
}
