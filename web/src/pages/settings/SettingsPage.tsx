import { Alert, Stack, Tabs } from "@mantine/core";
import { IconKey, IconLock, IconPhone, IconServer, IconUsers, IconWebhook } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useParams } from "react-router";
import { useCurrentUser } from "../../auth/session";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { ApiKeysTab } from "./ApiKeysTab";
import { GeneralTab } from "./GeneralTab";
import { SendersTab } from "./SendersTab";
import { UsersTab } from "./UsersTab";
import { WebhooksTab } from "./WebhooksTab";

export const SETTINGS_TABS = ["users", "api-keys", "senders", "webhooks", "general"] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

function isSettingsTab(value: string | undefined): value is SettingsTab {
  return SETTINGS_TABS.some((tab) => tab === value);
}

/** `/settings` opens the first tab the user can use. */
export function SettingsIndex() {
  const user = useCurrentUser();
  return <Navigate to={user.role === "admin" ? "/settings/users" : "/settings/general"} replace />;
}

/** Settings, one tab per route (`/settings/users`, `/settings/api-keys`, `/settings/senders`, `/settings/general`). */
export function SettingsPage() {
  const { t } = useTranslation();
  const { tab } = useParams();
  const navigate = useNavigate();
  const user = useCurrentUser();
  if (!isSettingsTab(tab)) return <Navigate to="/settings" replace />;
  const isAdmin = user.role === "admin";

  return (
    <Stack gap="md">
      <PageHeader title={t("settings.title")} icon={sectionIcon("settings")} />
      <Tabs value={tab} onChange={(value) => value && navigate(`/settings/${value}`)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>
            {t("settings.tabs.users")}
          </Tabs.Tab>
          <Tabs.Tab value="api-keys" leftSection={<IconKey size={16} />}>
            {t("settings.tabs.apiKeys")}
          </Tabs.Tab>
          <Tabs.Tab value="senders" leftSection={<IconPhone size={16} />}>
            {t("settings.tabs.senders")}
          </Tabs.Tab>
          <Tabs.Tab value="webhooks" leftSection={<IconWebhook size={16} />}>
            {t("settings.tabs.webhooks")}
          </Tabs.Tab>
          <Tabs.Tab value="general" leftSection={<IconServer size={16} />}>
            {t("settings.tabs.general")}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users">{isAdmin ? <UsersTab /> : <AdminOnly />}</Tabs.Panel>
        <Tabs.Panel value="api-keys">{isAdmin ? <ApiKeysTab /> : <AdminOnly />}</Tabs.Panel>
        <Tabs.Panel value="senders">
          {user.role === "agent" ? <AdminOnly message={t("settings.sendersNotAllowed")} /> : <SendersTab />}
        </Tabs.Panel>
        <Tabs.Panel value="webhooks">{isAdmin ? <WebhooksTab /> : <AdminOnly />}</Tabs.Panel>
        <Tabs.Panel value="general">
          <GeneralTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function AdminOnly({ message }: { message?: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" icon={<IconLock size={18} />} title={t("settings.adminOnlyTitle")} data-testid="admin-only">
      {message ?? t("settings.adminOnly")}
    </Alert>
  );
}
