import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconBrandWhatsapp } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";
import { ApiError } from "../../api/client";
import type { LoginRedirectState } from "../../auth/RequireAuth";
import { useLogin, useSession } from "../../auth/session";
import { LanguageSwitch } from "../../components/LanguageSwitch";
import { useDocumentTitle } from "../../components/PageHeader";
import { errorMessage, fieldErrors } from "../../lib/errors";

/** Only same-app paths are followed after login, never another origin. */
function safeRedirect(state: unknown): string {
  const from = (state as LoginRedirectState | null)?.from;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") && from !== "/login"
    ? from
    : "/campaigns";
}

function loginError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && error.code === "unauthorized") return t("login.wrongCredentials");
  if (error instanceof ApiError && error.code === "rate_limited") {
    const seconds = error.retryAfterSeconds;
    return seconds === undefined ? t("login.tooManyAttemptsLater") : t("login.tooManyAttempts", { seconds });
  }
  return errorMessage(t, error);
}

/** Email + password sign-in; afterwards the user goes back to the page that sent them here. */
export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("login.submit"));
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const target = safeRedirect(location.state);

  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: {
      email: (value) => (value.trim() ? null : t("login.emailRequired")),
      password: (value) => (value ? null : t("login.passwordRequired")),
    },
  });

  if (session.data) return <Navigate to={target} replace />;

  const submit = form.onSubmit((values) => {
    login.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: () => navigate(target, { replace: true }),
        onError: (error) => form.setErrors(fieldErrors(error, ["email", "password"] as const)),
      },
    );
  });

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Stack w="100%" maw={400}>
        <Group justify="space-between">
          <Group gap="xs">
            <IconBrandWhatsapp size={28} stroke={1.75} color="var(--mantine-color-teal-7)" aria-hidden />
            <Text fw={700} size="lg">
              {t("app.name")}
            </Text>
          </Group>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="sm" radius="md" p="xl">
          <form onSubmit={submit} noValidate>
            <Stack>
              <div>
                <Title order={1} size="h3">
                  {t("login.title")}
                </Title>
                <Text size="sm" c="dimmed" mt={4}>
                  {t("login.subtitle")}
                </Text>
              </div>
              {login.isError ? (
                <Alert color="red" role="alert" data-testid="login-error">
                  {loginError(t, login.error)}
                </Alert>
              ) : null}
              <TextInput
                label={t("login.email")}
                type="email"
                autoComplete="username"
                required
                data-autofocus
                {...form.getInputProps("email")}
              />
              <PasswordInput
                visibilityToggleButtonProps={{ "aria-label": t("common.togglePassword") }}
                label={t("login.password")}
                autoComplete="current-password"
                required
                {...form.getInputProps("password")}
              />
              <Button type="submit" loading={login.isPending} fullWidth>
                {t("login.submit")}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </Center>
  );
}
