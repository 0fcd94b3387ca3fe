import { DataList } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Contact } from "../../api/types";
import { countryName, formatTime } from "../../lib/format";
import { Card, Field } from "./Card";

/** Who the contact is: phone, name, language, country and time zone. */
export function ProfileCard({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  return (
    <Card title={t("contacts.profile")}>
      <DataList labelWidth={130} data-testid="contact-profile">
        <Field label={t("contacts.phone")}>{contact.phone}</Field>
        <Field label={t("contacts.name")}>{contact.name || "—"}</Field>
        <Field label={t("contacts.language")}>{contact.language ?? "—"}</Field>
        <Field label={t("contacts.country")}>
          {contact.country ? `${countryName(contact.country)} (${contact.country})` : "—"}
        </Field>
        <Field label={t("contacts.timeZone")}>{contact.timeZone ?? "—"}</Field>
        <Field label={t("contacts.added")}>{formatTime(contact.createdAt)}</Field>
        <Field label={t("contacts.updated")}>{formatTime(contact.updatedAt)}</Field>
      </DataList>
    </Card>
  );
}
