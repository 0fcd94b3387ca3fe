import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconBrandWhatsapp, IconLogout } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { useCurrentUser, useLogout } from "../auth/session";
import { LanguageSwitch } from "./LanguageSwitch";
import { NAV_ITEMS } from "./navigation";

/** The signed-in frame: header with the language switch, the section menu, and the user with a logout button. */
export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const user = useCurrentUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const { pathname } = useLocation();

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => navigate("/login", { replace: true }) });
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 248, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t("shell.toggleNavigation")}
            />
            <IconBrandWhatsapp size={26} stroke={1.75} color="var(--mantine-color-teal-7)" aria-hidden />
            <Title order={2} size="h4">
              {t("app.name")}
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="md">
              {t("app.tagline")}
            </Text>
          </Group>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t("nav.label")}>
        <AppShell.Section grow>
          {NAV_ITEMS.map((item) => (
            <NavLink
              key={item.key}
              component={Link}
              to={item.path}
              label={t(`nav.${item.key}`)}
              leftSection={<item.icon size={18} stroke={1.75} />}
              active={pathname === item.path || pathname.startsWith(`${item.path}/`)}
              onClick={close}
              variant="light"
              style={{ borderRadius: "var(--mantine-radius-sm)" }}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section pt="sm" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
          <Stack gap={6} data-testid="current-user">
            <Text size="xs" c="dimmed">
              {t("shell.signedInAs")}
            </Text>
            <Text size="sm" fw={500} truncate="end" title={user.email}>
              {user.email}
            </Text>
            <Badge variant="light" size="sm">
              {t(`roles.${user.role}`)}
            </Badge>
            <Button
              variant="subtle"
              color="gray"
              size="xs"
              justify="flex-start"
              leftSection={<IconLogout size={16} />}
              onClick={onLogout}
              loading={logout.isPending}
            >
              {t("shell.logout")}
            </Button>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
