import { Button, EmptyState } from "@mantine/core";
import { IconMapQuestion } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useDocumentTitle } from "../../components/PageHeader";

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("notFound.title"));
  return (
    <EmptyState
      mt="xl"
      icon={<IconMapQuestion size={32} stroke={1.5} />}
      withIndicatorBackground
      title={t("notFound.title")}
      description={t("notFound.body")}
    >
      <EmptyState.Actions>
        <Button component={Link} to="/campaigns" variant="light">
          {t("notFound.back")}
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
