import { Alert, Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { ROLES, type Role } from "../../api/types";
import { createUser, usersKey } from "../../api/users";
import { errorMessage, fieldErrors } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";

const FIELDS = ["email", "name", "password", "role"] as const;
const MIN_PASSWORD_LENGTH = 12;

/** The error to show above the buttons: one that belongs to no field of the form, or is not about input at all. */
function formLevelError(t: TFunction, error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.code === "conflict") return null; // shown on the email field
  if (error instanceof ApiError && error.code === "validation_failed") return fieldErrors(error, FIELDS)[""] ?? null;
  return errorMessage(t, error);
}

/** The "add a user" form. Server validation errors appear next to the field they name. */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { email: "", name: "", password: "", role: "marketer" as Role },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t("users.emailInvalid")),
      password: (value) => (value.length >= MIN_PASSWORD_LENGTH ? null : t("users.passwordTooShort")),
    },
  });

  const create = useMutation({
    mutationFn: createUser,
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: usersKey });
      notifySuccess(t("users.created", { email: user.email }));
      close();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "conflict") {
        form.setFieldError("email", t("users.emailTaken"));
        return;
      }
      const { "": _other, ...byField } = fieldErrors(error, FIELDS);
      form.setErrors(byField);
    },
  });

  function close() {
    form.reset();
    create.reset();
    onClose();
  }

  const generalError = formLevelError(t, create.error);

  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={opened}
      onClose={close}
      title={t("users.createTitle")}
      centered
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          create.mutate({
            email: values.email.trim(),
            name: values.name.trim() || undefined,
            password: values.password,
            role: values.role,
          }),
        )}
      >
        <Stack>
          <TextInput label={t("users.email")} type="email" required data-autofocus {...form.getInputProps("email")} />
          <TextInput label={t("users.name")} maxLength={200} {...form.getInputProps("name")} />
          <PasswordInput
            visibilityToggleButtonProps={{ "aria-label": t("common.togglePassword") }}
            label={t("users.password")}
            description={t("users.passwordHint")}
            required
            autoComplete="new-password"
            {...form.getInputProps("password")}
          />
          <Select
            label={t("common.role")}
            required
            allowDeselect={false}
            data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            {...form.getInputProps("role")}
          />
          {generalError ? (
            <Alert color="red" role="alert">
              {generalError}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("users.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
