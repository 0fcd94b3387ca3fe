import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconTrash, IconUserPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ROLES, type Role, type User } from "../../api/types";
import { deleteUser, listUsers, type UserChanges, updateUser, usersKey } from "../../api/users";
import { useCurrentUser } from "../../auth/session";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { QueryError } from "../../components/QueryError";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { CreateUserModal } from "./CreateUserModal";

/** Admins manage dashboard users: create, change role, disable/enable, delete. */
export function UsersTab() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: usersKey, queryFn: listUsers });
  const [createOpened, createModal] = useDisclosure();
  const [toDelete, setToDelete] = useState<User | null>(null);

  const update = useMutation({
    mutationFn: ({ user, changes }: { user: User; changes: UserChanges }) => updateUser(user.id, changes),
    onSuccess: (user, { changes }) => {
      const email = user.email;
      if (changes.role) notifySuccess(t("users.roleChanged", { email, role: t(`roles.${user.role}`) }));
      else if (changes.disabled !== undefined)
        notifySuccess(user.disabled ? t("users.disabledToast", { email }) : t("users.enabledToast", { email }));
      else notifySuccess(t("users.updated", { email }));
    },
    onError: (error) => notifyError(errorMessage(t, error)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });

  const remove = useMutation({
    mutationFn: (user: User) => deleteUser(user.id),
    onSuccess: async (_nothing, user) => {
      await queryClient.invalidateQueries({ queryKey: usersKey });
      notifySuccess(t("users.deleted", { email: user.email }));
      setToDelete(null);
    },
  });

  const rows = (users.data ?? []).map((user) => {
    const isMe = user.id === me.id;
    // The server refuses these for your own account (409); the controls say so before you try.
    const selfHint = isMe ? t("users.selfProtected") : undefined;
    return (
      <Table.Tr key={user.id} data-testid={`user-row-${user.email}`}>
        <Table.Td>
          <Group gap={6} wrap="nowrap">
            <Text size="sm">{user.email}</Text>
            {isMe ? (
              <Badge size="xs" variant="outline" style={{ flexShrink: 0 }}>
                {t("users.you")}
              </Badge>
            ) : null}
          </Group>
        </Table.Td>
        <Table.Td>{user.name}</Table.Td>
        <Table.Td>
          <Tooltip label={selfHint} disabled={!isMe}>
            <div>
              <Select
                size="xs"
                w={130}
                aria-label={t("users.changeRole", { email: user.email })}
                allowDeselect={false}
                disabled={isMe || update.isPending}
                value={user.role}
                data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
                onChange={(value) => {
                  if (value && value !== user.role) update.mutate({ user, changes: { role: value as Role } });
                }}
              />
            </div>
          </Tooltip>
        </Table.Td>
        <Table.Td>{formatTime(user.createdAt)}</Table.Td>
        <Table.Td>{user.lastLoginAt === null ? t("common.never") : formatTime(user.lastLoginAt)}</Table.Td>
        <Table.Td>
          <Badge color={user.disabled ? "gray" : "teal"} variant="light">
            {user.disabled ? t("users.disabled") : t("users.active")}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap" justify="flex-end">
            <Button
              size="compact-sm"
              variant="default"
              disabled={isMe || update.isPending}
              title={selfHint}
              onClick={() => update.mutate({ user, changes: { disabled: !user.disabled } })}
            >
              {user.disabled ? t("users.enable") : t("users.disable")}
            </Button>
            <ActionIcon
              variant="subtle"
              color="red"
              disabled={isMe}
              aria-label={`${t("common.delete")} ${user.email}`}
              title={selfHint ?? t("common.delete")}
              onClick={() => {
                remove.reset();
                setToDelete(user);
              }}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        </Table.Td>
      </Table.Tr>
    );
  });

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={640}>
          {t("users.intro")}
        </Text>
        <Button leftSection={<IconUserPlus size={16} />} onClick={createModal.open}>
          {t("users.add")}
        </Button>
      </Group>

      {users.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {users.isError ? <QueryError error={users.error} onRetry={() => users.refetch()} /> : null}
      {users.data ? (
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("users.email")}</Table.Th>
                <Table.Th>{t("users.name")}</Table.Th>
                <Table.Th>{t("common.role")}</Table.Th>
                <Table.Th>{t("common.created")}</Table.Th>
                <Table.Th>{t("users.lastLogin")}</Table.Th>
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
                      {t("users.empty")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}

      <CreateUserModal opened={createOpened} onClose={createModal.close} />
      <ConfirmDialog
        opened={toDelete !== null}
        title={t("users.deleteTitle")}
        message={t("users.deleteConfirm", { email: toDelete?.email ?? "" })}
        confirmLabel={t("common.delete")}
        loading={remove.isPending}
        error={remove.isError ? errorMessage(t, remove.error) : null}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        onClose={() => setToDelete(null)}
      />
    </Stack>
  );
}
