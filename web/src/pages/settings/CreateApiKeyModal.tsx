import { Alert, Button, Group, Modal, Select, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { apiKeysKey, createApiKey } from "../../api/api-keys";
import { ApiError } from "../../api/client";
import { type CreatedApiKey, ROLES, type Role } from "../../api/types";
import { errorMessage, fieldErrors } from "../../lib/errors";

const FIELDS = ["name", "role"] as const;

/** The "create an API key" form; hands the created key (with its one-time secret) to `onCreated`. */
export function CreateApiKeyModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (created: CreatedApiKey) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: "", role: "marketer" as Role },
    validate: { name: (value) => (value.trim() ? null : t("apiKeys.nameRequired")) },
  });

  const create = useMutation({
    mutationFn: createApiKey,
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: apiKeysKey });
      close();
      onCreated(created);
    },
    onError: (error) => {
      const { "": _other, ...byField } = fieldErrors(error, FIELDS);
      form.setErrors(byField);
    },
  });

  function close() {
    form.reset();
    create.reset();
    onClose();
  }

  const error = create.error;
  const generalError = !error
    ? null
    : error instanceof ApiError && error.code === "validation_failed"
      ? (fieldErrors(error, FIELDS)[""] ?? null)
      : errorMessage(t, error);

  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={opened}
      onClose={close}
      title={t("apiKeys.createTitle")}
      centered
    >
      <form
        noValidate
        onSubmit={form.onSubmit((values) => create.mutate({ name: values.name.trim(), role: values.role }))}
      >
        <Stack>
          <TextInput
            label={t("apiKeys.name")}
            placeholder={t("apiKeys.namePlaceholder")}
            required
            maxLength={100}
            data-autofocus
            {...form.getInputProps("name")}
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
              {t("apiKeys.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
