import { Anchor, Grid, Loader, Stack } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { attributesKey, contactKey, getContactProfile, listAttributes } from "../../api/contacts";
import { can } from "../../auth/permissions";
import { useCurrentUser } from "../../auth/session";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { AttributesCard } from "./AttributesCard";
import { ConsentCard } from "./ConsentCard";
import { MetricsCard } from "./MetricsCard";
import { OrdersCard } from "./OrdersCard";
import { ProfileCard } from "./ProfileCard";
import { TagsCard } from "./TagsCard";

/** One contact: profile, consent, attributes, derived metrics, tags with why, and orders. */
export function ContactPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const user = useCurrentUser();
  const canWrite = can(user.role, "contacts.write");
  const profile = useQuery({ queryKey: contactKey(id), queryFn: () => getContactProfile(id) });
  const attributes = useQuery({ queryKey: attributesKey, queryFn: listAttributes });

  const contact = profile.data?.contact;
  const title = contact ? contact.name || contact.phone : t("contacts.contact");

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/contacts" size="sm">
        <IconArrowLeft size={14} style={{ verticalAlign: "middle" }} /> {t("contacts.backToList")}
      </Anchor>
      <PageHeader title={title} icon={sectionIcon("contacts")} />
      {profile.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {profile.isError ? <QueryError error={profile.error} onRetry={() => profile.refetch()} /> : null}
      {profile.data && contact ? (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="md">
              <ProfileCard contact={contact} />
              <ConsentCard contact={contact} canWrite={canWrite} />
              <AttributesCard attributes={contact.attributes} definitions={attributes.data ?? []} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="md">
              <MetricsCard metrics={profile.data.metrics} frequency={profile.data.frequency} />
              <TagsCard contactId={contact.id} tags={profile.data.tags} canWrite={canWrite} />
              <OrdersCard contactId={contact.id} recentOrders={profile.data.recentOrders} />
            </Stack>
          </Grid.Col>
        </Grid>
      ) : null}
    </Stack>
  );
}
