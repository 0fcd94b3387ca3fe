import { Alert, Button, DataList, Group, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type ConsentChange, contactsKey, optIn, optOut } from "../../api/contacts";
import { type Contact, OPT_IN_SOURCES, OPT_OUT_REASONS, type OptInSource, type OptOutReason } from "../../api/types";
import { errorMessage } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { Card, Field } from "./Card";
import { ConsentBadge } from "./ConsentBadge";

type Recording = "opt-in" | "opt-out";

/** The server may add sources and reasons before this build knows them: those are shown as sent. */
function isKnown<T extends string>(list: readonly T[], value: string): value is T {
  return list.some((item) => item === value);
}

/** Whether Herald may send marketing to the contact, where that came from, and recording a change by hand. */
export function ConsentCard({ contact, canWrite }: { contact: Contact; canWrite: boolean }) {
  const { t } = useTranslation();
  const [recording, setRecording] = useState<Recording | null>(null);
  const { consent } = contact;
  return (
    <Card
      title={t("contacts.consentTitle")}
      action={
        canWrite ? (
          <Group gap={6}>
            {consent.state !== "opted_out" ? (
              <Button size="compact-xs" variant="light" color="red" onClick={() => setRecording("opt-out")}>
                {t("consent.recordOptOut")}
              </Button>
            ) : null}
            {consent.state !== "opted_in" ? (
              <Button size="compact-xs" variant="light" onClick={() => setRecording("opt-in")}>
                {t("consent.recordOptIn")}
              </Button>
            ) : null}
          </Group>
        ) : null
      }
    >
      <DataList labelWidth={130} data-testid="contact-consent">
        <Field label={t("common.status")}>
          <ConsentBadge consent={consent} />
        </Field>
        {consent.source ? (
          <Field label={t("consent.source")}>
            {isKnown(OPT_IN_SOURCES, consent.source) ? t(`consent.sources.${consent.source}`) : consent.source}
          </Field>
        ) : null}
        {consent.reason ? (
          <Field label={t("consent.reason")}>
            {isKnown(OPT_OUT_REASONS, consent.reason) ? t(`consent.reasons.${consent.reason}`) : consent.reason}
          </Field>
        ) : null}
        {consent.note ? <Field label={t("consent.note")}>{consent.note}</Field> : null}
        <Field label={t("consent.at")}>{consent.at === null ? "—" : formatTime(consent.at)}</Field>
      </DataList>
      <Text size="xs" c="dimmed" mt="sm">
        {t(`consent.explain.${consent.state}`)}
      </Text>
      {canWrite ? (
        <RecordConsentModal contact={contact} recording={recording} onClose={() => setRecording(null)} />
      ) : null}
    </Card>
  );
}

function RecordConsentModal({
  contact,
  recording,
  onClose,
}: {
  contact: Contact;
  recording: Recording | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [source, setSource] = useState<OptInSource>("manual");
  const [reason, setReason] = useState<OptOutReason>("manual");
  const [note, setNote] = useState("");
  const [ignored, setIgnored] = useState<ConsentChange["ignored"]>(null);

  const record = useMutation({
    mutationFn: () => (recording === "opt-in" ? optIn(contact.id, source) : optOut(contact.id, reason, note.trim())),
    onSuccess: async (change) => {
      await queryClient.invalidateQueries({ queryKey: contactsKey });
      if (change.changed) {
        notifySuccess(t("consent.recorded"));
        close();
      } else {
        setIgnored(change.ignored);
      }
    },
  });

  function close() {
    record.reset();
    setIgnored(null);
    setNote("");
    onClose();
  }

  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={recording !== null}
      onClose={close}
      title={recording === "opt-in" ? t("consent.recordOptIn") : t("consent.recordOptOut")}
      centered
    >
      <Stack>
        {recording === "opt-in" ? (
          <>
            <Text size="sm">{t("consent.optInHint")}</Text>
            <Select
              label={t("consent.source")}
              allowDeselect={false}
              data={OPT_IN_SOURCES.map((value) => ({ value, label: t(`consent.sources.${value}`) }))}
              value={source}
              onChange={(value) => value && setSource(value as OptInSource)}
            />
          </>
        ) : (
          <>
            <Text size="sm">{t("consent.optOutHint")}</Text>
            <Select
              label={t("consent.reason")}
              allowDeselect={false}
              data={OPT_OUT_REASONS.map((value) => ({ value, label: t(`consent.reasons.${value}`) }))}
              value={reason}
              onChange={(value) => value && setReason(value as OptOutReason)}
            />
            <Textarea
              label={t("consent.note")}
              maxLength={500}
              autosize
              minRows={2}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
          </>
        )}
        {ignored ? (
          <Alert color="yellow" role="alert">
            {t(`consent.ignored.${ignored}`)}
          </Alert>
        ) : null}
        {record.isError ? (
          <Alert color="red" role="alert">
            {errorMessage(t, record.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {ignored ? t("common.close") : t("common.cancel")}
          </Button>
          {ignored ? null : (
            <Button
              color={recording === "opt-out" ? "red" : undefined}
              loading={record.isPending}
              onClick={() => record.mutate()}
            >
              {t("consent.record")}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
