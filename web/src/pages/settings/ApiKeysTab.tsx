import { Badge, Button, Code, Group, Loader, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconKey } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { apiKeysKey, listApiKeys, revokeApiKey } from "../../api/api-keys";
import type { ApiKey, CreatedApiKey } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { ApiKeySecretModal } from "./ApiKeySecretModal";
import { CreateApiKeyModal } from "./CreateApiKeyModal";

/** Admins create API keys for integrations (the secret is shown once) and revoke them. */
export function ApiKeysTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: apiKeysKey, queryFn: listApiKeys });
  const [createOpened, createModal] = useDisclosure();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [toRevoke, setToRevoke] = useState<ApiKey | null>(null);

  const revoke = useMutation({
    mutationFn: (key: ApiKey) => revokeApiKey(key.id),
    onSuccess: async (_nothing, key) => {
      await queryClient.invalidateQueries({ queryKey: apiKeysKey });
      notifySuccess(t("apiKeys.revokedToast", { name: key.name }));
      setToRevoke(null);
    },
  });

  const rows = (keys.data ?? []).map((key) => (
    <Table.Tr key={key.id} data-testid={`api-key-row-${key.id}`}>
      <Table.Td>{key.name}</Table.Td>
      <Table.Td>{t(`roles.${key.role}`)}</Table.Td>
      <Table.Td>
        <Code>{key.prefix}…</Code>
      </Table.Td>
      <Table.Td>{formatTime(key.createdAt)}</Table.Td>
      <Table.Td>{key.lastUsedAt === null ? t("common.never") : formatTime(key.lastUsedAt)}</Table.Td>
      <Table.Td>
        {key.revokedAt === null ? (
          <Badge color="teal" variant="light">
            {t("apiKeys.active")}
          </Badge>
        ) : (
          <Badge color="gray" variant="light" title={formatTime(key.revokedAt)}>
            {t("apiKeys.revoked")}
          </Badge>
        )}
      </Table.Td>
      <Table.Td ta="right">
        {key.revokedAt === null ? (
          <Button
            size="compact-sm"
            variant="light"
            color="red"
            aria-label={`${t("apiKeys.revoke")} ${key.name}`}
            onClick={() => {
              revoke.reset();
              setToRevoke(key);
            }}
          >
            {t("apiKeys.revoke")}
          </Button>
        ) : null}
      </Table.Td>
    </Table.Tr>
  ));

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={640}>
          {t("apiKeys.intro")}
        </Text>
        <Button leftSection={<IconKey size={16} />} onClick={createModal.open}>
          {t("apiKeys.add")}
        </Button>
      </Group>

      {keys.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {keys.isError ? <QueryError error={keys.error} onRetry={() => keys.refetch()} /> : null}
      {keys.data ? (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("apiKeys.name")}</Table.Th>
                <Table.Th>{t("common.role")}</Table.Th>
                <Table.Th>{t("apiKeys.prefix")}</Table.Th>
                <Table.Th>{t("common.created")}</Table.Th>
                <Table.Th>{t("apiKeys.lastUsed")}</Table.Th>
                <Table.Th>{t("common.status")}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t("common.actions")}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length > 0 ? (
                rows
              ) : (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="md">
                      {t("apiKeys.empty")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}

      <CreateApiKeyModal opened={createOpened} onClose={createModal.close} onCreated={setCreated} />
      <ApiKeySecretModal created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        opened={toRevoke !== null}
        title={t("apiKeys.revokeTitle")}
        message={t("apiKeys.revokeConfirm", { name: toRevoke?.name ?? "" })}
        confirmLabel={t("apiKeys.revoke")}
        loading={revoke.isPending}
        error={revoke.isError ? errorMessage(t, revoke.error) : null}
        onConfirm={() => toRevoke && revoke.mutate(toRevoke)}
        onClose={() => setToRevoke(null)}
      />
    </Stack>
  );
}
