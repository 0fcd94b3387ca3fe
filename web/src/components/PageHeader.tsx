import { Group, Text, ThemeIcon, Title } from "@mantine/core";
import type { Icon } from "@tabler/icons-react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** Sets the browser tab's title to "<title> · Herald". */
export function useDocumentTitle(title: string): void {
  const { t } = useTranslation();
  const app = t("app.name");
  useEffect(() => {
    document.title = `${title} · ${app}`;
  }, [title, app]);
}

/** The page's heading (the only <h1>), with its section icon and an optional one-line description. */
export function PageHeader({
  title,
  icon: SectionIcon,
  description,
}: {
  title: string;
  icon: Icon;
  description?: string;
}) {
  useDocumentTitle(title);
  return (
    <div>
      <Group gap="sm" mb={description ? 4 : "md"}>
        <ThemeIcon variant="light" size="lg" radius="md">
          <SectionIcon size={20} stroke={1.75} />
        </ThemeIcon>
        <Title order={1} size="h2">
          {title}
        </Title>
      </Group>
      {description ? (
        <Text c="dimmed" mb="md">
          {description}
        </Text>
      ) : null}
    </div>
  );
}
