import { Anchor, Button, Group, Loader, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconChevronLeft, IconChevronRight, IconDownload, IconSearch, IconUpload } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import {
  type ContactFilters,
  contactsExportUrl,
  contactsKey,
  listContacts,
  listTags,
  tagsKey,
} from "../../api/contacts";
import { listSegments, segmentsKey } from "../../api/segments";
import { CONSENT_STATES, type ConsentState } from "../../api/types";
import { can } from "../../auth/permissions";
import { useCurrentUser } from "../../auth/session";
import { sectionIcon } from "../../components/navigation";
import { PageHeader } from "../../components/PageHeader";
import { QueryError } from "../../components/QueryError";
import { countryName, formatDate } from "../../lib/format";
import { ConsentBadge } from "./ConsentBadge";

const PAGE_SIZE = 50;

function isConsent(value: string | null): value is ConsentState {
  return CONSENT_STATES.some((state) => state === value);
}

/** The filters live in the URL (`?q=&consent=&country=&tag=&segmentId=`), so a filtered list can be bookmarked. */
function useFilters(): [ContactFilters, (changes: Partial<Record<keyof ContactFilters, string | null>>) => void] {
  const [params, setParams] = useSearchParams();
  const consent = params.get("consent");
  const filters: ContactFilters = {
    ...(params.get("q") ? { q: params.get("q") ?? "" } : {}),
    ...(isConsent(consent) ? { consent } : {}),
    ...(params.get("country") ? { country: params.get("country") ?? "" } : {}),
    ...(params.get("tag") ? { tag: params.get("tag") ?? "" } : {}),
    ...(params.get("segmentId") ? { segmentId: params.get("segmentId") ?? "" } : {}),
  };
  const update = (changes: Partial<Record<keyof ContactFilters, string | null>>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  return [filters, update];
}

/** Contacts: search and filter, cursor-paged table, CSV import and export. */
export function ContactsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [filters, setFilters] = useFilters();
  const [search, setSearch] = useState(filters.q ?? "");
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [country, setCountry] = useState(filters.country ?? "");

  useEffect(() => {
    if (debouncedSearch !== (filters.q ?? "")) setFilters({ q: debouncedSearch || null });
  }, [debouncedSearch, filters.q, setFilters]);

  // Cursor paging: the cursors of the pages seen so far, so "previous" works; a filter change starts over.
  const filterKey = JSON.stringify(filters);
  const [pages, setPages] = useState<{ filterKey: string; cursors: (string | null)[] }>({ filterKey, cursors: [null] });
  const cursors = pages.filterKey === filterKey ? pages.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;

  const contacts = useQuery({
    queryKey: [...contactsKey, "list", filters, cursor],
    queryFn: () => listContacts(filters, cursor, PAGE_SIZE),
    placeholderData: keepPreviousData,
  });
  const tags = useQuery({ queryKey: tagsKey, queryFn: listTags });
  const segments = useQuery({ queryKey: [...segmentsKey, "all"], queryFn: () => listSegments(null, 200) });

  const tagOptions = useMemo(
    () => (tags.data ?? []).map((tag) => ({ value: tag.tag, label: `${tag.tag} (${tag.contacts})` })),
    [tags.data],
  );
  const segmentOptions = useMemo(
    () => (segments.data?.data ?? []).map((segment) => ({ value: segment.id, label: segment.name })),
    [segments.data],
  );

  const rows = (contacts.data?.data ?? []).map((contact) => (
    <Table.Tr key={contact.id} data-testid={`contact-row-${contact.id}`}>
      <Table.Td>
        <Anchor component={Link} to={`/contacts/${contact.id}`} size="sm" fw={500}>
          {contact.name || t("contacts.noName")}
        </Anchor>
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{contact.phone}</Table.Td>
      <Table.Td>{contact.country ? countryName(contact.country) : "—"}</Table.Td>
      <Table.Td>{contact.language ?? "—"}</Table.Td>
      <Table.Td>
        <ConsentBadge consent={contact.consent} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDate(contact.createdAt)}</Table.Td>
    </Table.Tr>
  ));

  const nextCursor = contacts.data?.nextCursor ?? null;

  return (
    <Stack gap="md">
      <PageHeader title={t("nav.contacts")} icon={sectionIcon("contacts")} />
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm" maw={640}>
          {t("contacts.intro")}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            component="a"
            href={contactsExportUrl(filters)}
            download
          >
            {t("contacts.export")}
          </Button>
          {can(user.role, "contacts.write") ? (
            <Button leftSection={<IconUpload size={16} />} component={Link} to="/contacts/import">
              {t("contacts.import")}
            </Button>
          ) : null}
        </Group>
      </Group>

      <Paper withBorder p="sm" radius="md">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
          <TextInput
            label={t("contacts.search")}
            placeholder={t("contacts.searchPlaceholder")}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            maxLength={100}
          />
          <Select
            label={t("contacts.consent")}
            placeholder={t("contacts.any")}
            clearable
            data={CONSENT_STATES.map((state) => ({ value: state, label: t(`consent.state.${state}`) }))}
            value={filters.consent ?? null}
            onChange={(value) => setFilters({ consent: value })}
          />
          <TextInput
            label={t("contacts.country")}
            placeholder="KR"
            description={country.length === 2 ? countryName(country) : undefined}
            maxLength={2}
            value={country}
            onChange={(event) => {
              const value = event.currentTarget.value.toUpperCase().replace(/[^A-Z]/g, "");
              setCountry(value);
              if (value.length === 2 || value.length === 0) setFilters({ country: value || null });
            }}
          />
          <Select
            label={t("contacts.tag")}
            placeholder={t("contacts.any")}
            clearable
            searchable
            nothingFoundMessage={t("contacts.noTags")}
            data={tagOptions}
            value={filters.tag ?? null}
            onChange={(value) => setFilters({ tag: value })}
          />
          <Select
            label={t("contacts.segment")}
            placeholder={t("contacts.any")}
            clearable
            searchable
            nothingFoundMessage={t("contacts.noSegments")}
            data={segmentOptions}
            value={filters.segmentId ?? null}
            onChange={(value) => setFilters({ segmentId: value })}
          />
        </SimpleGrid>
      </Paper>

      {contacts.isPending ? <Loader size="sm" aria-label={t("common.loading")} /> : null}
      {contacts.isError ? <QueryError error={contacts.error} onRetry={() => contacts.refetch()} /> : null}
      {contacts.data ? (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover verticalSpacing="xs" data-testid="contacts-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("contacts.name")}</Table.Th>
                  <Table.Th>{t("contacts.phone")}</Table.Th>
                  <Table.Th>{t("contacts.country")}</Table.Th>
                  <Table.Th>{t("contacts.language")}</Table.Th>
                  <Table.Th>{t("contacts.consent")}</Table.Th>
                  <Table.Th>{t("contacts.added")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: contacts.isPlaceholderData ? 0.5 : 1 }}>
                {rows.length > 0 ? (
                  rows
                ) : (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text c="dimmed" ta="center" py="md">
                        {Object.keys(filters).length > 0 ? t("contacts.noMatch") : t("contacts.empty")}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t("contacts.pageInfo", { page: cursors.length, count: rows.length })}
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                size="xs"
                leftSection={<IconChevronLeft size={14} />}
                disabled={cursors.length <= 1}
                onClick={() => setPages({ filterKey, cursors: cursors.slice(0, -1) })}
              >
                {t("contacts.previous")}
              </Button>
              <Button
                variant="default"
                size="xs"
                rightSection={<IconChevronRight size={14} />}
                disabled={nextCursor === null || contacts.isPlaceholderData}
                onClick={() => setPages({ filterKey, cursors: [...cursors, nextCursor] })}
              >
                {t("contacts.next")}
              </Button>
            </Group>
          </Group>
        </>
      ) : null}
    </Stack>
  );
}
