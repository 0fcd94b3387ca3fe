import { EmptyState, Paper, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type SectionKey, sectionIcon } from "./navigation";
import { PageHeader } from "./PageHeader";

type PlannedSection = Exclude<SectionKey, "settings">;

/**
 * The page of a section that this build does not have yet: its title, what it will do, and a plain statement that
 * it is not available. No sample data and no buttons that do nothing.
 */
export function SectionPlaceholder({ section }: { section: PlannedSection }) {
  const { t } = useTranslation();
  const Icon = sectionIcon(section);
  return (
    <Stack gap="md">
      <PageHeader title={t(`nav.${section}`)} icon={Icon} />
      <Paper withBorder radius="md" p="xl" data-testid="section-not-available">
        <EmptyState
          icon={<Icon size={32} stroke={1.5} />}
          withIndicatorBackground
          title={t("comingSoon.title")}
          description={
            <>
              {t(`sections.${section}`)} {t("comingSoon.body")}
            </>
          }
        />
      </Paper>
    </Stack>
  );
}
