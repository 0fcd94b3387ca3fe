import {
  Alert,
  Anchor,
  Button,
  Collapse,
  Divider,
  Group,
  List,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDisclosure } from "@mantine/hooks";
import { IconBrandMeta, IconFlask, IconWand } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { createSender, type NewSender, type SenderChanges, sendersKey, updateSender } from "../../api/senders";
import {
  MESSAGING_TIERS,
  type MessagingTier,
  SENDER_PROVIDERS,
  type Sender,
  type SenderProvider,
} from "../../api/types";
import { errorMessage, fieldErrors } from "../../lib/errors";
import { notifySuccess } from "../../lib/notify";

const FIELDS = [
  "name",
  "provider",
  "phoneNumberId",
  "wabaId",
  "displayPhoneNumber",
  "accessToken",
  "appSecret",
  "verifyToken",
  "mpsLimit",
  "messagingTier",
  "apiOrigin",
  "apiVersion",
  "disabled",
] as const;

const SECRETS = ["accessToken", "appSecret", "verifyToken"] as const;

// The same rules as the server's schema (src/api/schemas/senders.ts), checked before sending.
const DIGITS = /^\d{1,32}$/;
const PHONE = /^\+?[\d ()-]{4,24}$/;
const ORIGIN = /^https?:\/\/[^/\s]+\/?$/;
const VERSION = /^v\d{1,3}\.\d$/;
const MIN_SECRET = 8;

interface Values {
  name: string;
  provider: SenderProvider;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  mpsLimit: number | string;
  messagingTier: string;
  apiOrigin: string;
  apiVersion: string;
  disabled: boolean;
}

function initialValues(sender: Sender | null): Values {
  return {
    name: sender?.name ?? "",
    provider: sender?.provider ?? "cloud",
    phoneNumberId: sender?.phoneNumberId ?? "",
    wabaId: sender?.wabaId ?? "",
    displayPhoneNumber: sender?.displayPhoneNumber ?? "",
    accessToken: "",
    appSecret: "",
    verifyToken: "",
    mpsLimit: sender?.mpsLimit ?? 80,
    messagingTier: sender?.messagingTier ?? "TIER_250",
    apiOrigin: sender?.apiOrigin ?? "",
    apiVersion: sender?.apiVersion ?? "",
    disabled: sender?.disabled ?? false,
  };
}

/** A random credential for the sandbox, which accepts any value of at least 8 characters. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The "add / edit a sender number" dialog. `sender` null adds a new one. */
export function SenderFormModal({
  opened,
  sender,
  onClose,
}: {
  opened: boolean;
  sender: Sender | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={opened}
      onClose={onClose}
      title={sender ? t("senders.editTitle", { name: sender.name }) : t("senders.createTitle")}
      size="lg"
      centered
    >
      {/* Keyed, so every opening starts from the sender's current values and empty secret fields. */}
      {opened ? <SenderForm key={sender?.id ?? "new"} sender={sender} onDone={onClose} /> : null}
    </Modal>
  );
}

function SenderForm({ sender, onDone }: { sender: Sender | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const editing = sender !== null;
  const [advancedOpen, advanced] = useDisclosure(Boolean(sender?.apiOrigin));
  const form = useForm<Values>({
    initialValues: initialValues(sender),
    validate: {
      name: (v) => (v.trim() ? null : t("senders.form.nameRequired")),
      phoneNumberId: (v) => (editing || DIGITS.test(v.trim()) ? null : t("senders.form.digitsOnly")),
      wabaId: (v) => (DIGITS.test(v.trim()) ? null : t("senders.form.digitsOnly")),
      displayPhoneNumber: (v) =>
        !v.trim() || PHONE.test(v.trim()) ? null : t("senders.form.displayPhoneNumberInvalid"),
      accessToken: (v) => secretError(t, v, editing),
      appSecret: (v) => secretError(t, v, editing),
      verifyToken: (v) => secretError(t, v, editing),
      mpsLimit: (v) =>
        typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 1000 ? null : t("senders.form.mpsLimitInvalid"),
      apiOrigin: (v) => (!v.trim() || ORIGIN.test(v.trim()) ? null : t("senders.form.apiOriginInvalid")),
      apiVersion: (v) => (!v.trim() || VERSION.test(v.trim()) ? null : t("senders.form.apiVersionInvalid")),
    },
  });

  const save = useMutation({
    mutationFn: async (values: Values) => {
      if (!sender) return createSender(newSenderFrom(values));
      const changes = changesFrom(sender, values);
      // The server refuses an empty change; nothing to save is not an error for the person.
      return Object.keys(changes).length > 0 ? updateSender(sender.id, changes) : sender;
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: sendersKey });
      notifySuccess(t(editing ? "senders.updated" : "senders.created", { name: saved.name }));
      onDone();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "conflict") {
        form.setFieldError("phoneNumberId", t("senders.form.phoneNumberIdTaken"));
        return;
      }
      const { "": _other, ...byField } = fieldErrors(error, FIELDS);
      form.setErrors(byField);
    },
  });

  const error = save.error;
  const generalError = !error
    ? null
    : error instanceof ApiError && error.code === "conflict"
      ? null
      : error instanceof ApiError && error.code === "validation_failed"
        ? (fieldErrors(error, FIELDS)[""] ?? null)
        : errorMessage(t, error);

  const provider = form.values.provider;
  const secretProps = (field: (typeof SECRETS)[number]) => ({
    ...form.getInputProps(field),
    label: t(`senders.form.${field}`),
    required: !editing,
    autoComplete: "new-password",
    maxLength: field === "accessToken" ? 4096 : 256,
    visibilityToggleButtonProps: { "aria-label": t("common.togglePassword") },
    description: editing ? t("senders.form.keepSecret") : undefined,
    placeholder: editing ? t("senders.form.keepSecretPlaceholder") : undefined,
  });

  return (
    <form noValidate onSubmit={form.onSubmit((values) => save.mutate(values))}>
      <Stack>
        <TextInput
          label={t("senders.form.name")}
          description={t("senders.form.nameHint")}
          required
          maxLength={100}
          data-autofocus
          {...form.getInputProps("name")}
        />
        <Select
          label={t("senders.form.provider")}
          required
          allowDeselect={false}
          disabled={editing}
          description={editing ? t("senders.form.providerFixed") : t(`senders.providerDescription.${provider}`)}
          data={SENDER_PROVIDERS.map((p) => ({ value: p, label: t(`senders.provider.${p}`) }))}
          {...form.getInputProps("provider")}
        />
        <ProviderHelp provider={provider} />

        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("senders.form.phoneNumberId")}
            description={t("senders.form.digitsOnly")}
            required={!editing}
            disabled={editing}
            inputMode="numeric"
            maxLength={32}
            {...form.getInputProps("phoneNumberId")}
          />
          <TextInput
            label={t("senders.form.wabaId")}
            description={t("senders.form.wabaIdHint")}
            required
            inputMode="numeric"
            maxLength={32}
            {...form.getInputProps("wabaId")}
          />
        </SimpleGrid>
        <TextInput
          label={t("senders.form.displayPhoneNumber")}
          description={t("senders.form.displayPhoneNumberHint")}
          placeholder="+82 10 1234 5678"
          maxLength={24}
          {...form.getInputProps("displayPhoneNumber")}
        />

        <Divider label={t("senders.form.credentials")} labelPosition="left" />
        {provider === "sandbox" ? (
          <Group gap="xs">
            <Button
              variant="light"
              size="xs"
              leftSection={<IconWand size={14} />}
              onClick={() =>
                form.setValues({ accessToken: randomSecret(), appSecret: randomSecret(), verifyToken: randomSecret() })
              }
            >
              {t("senders.form.generateSecrets")}
            </Button>
            <Text size="xs" c="dimmed">
              {t("senders.form.generateSecretsHint")}
            </Text>
          </Group>
        ) : null}
        <PasswordInput {...secretProps("accessToken")} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <PasswordInput {...secretProps("appSecret")} />
          <PasswordInput {...secretProps("verifyToken")} />
        </SimpleGrid>

        <Divider label={t("senders.form.limits")} labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t("senders.form.mpsLimit")}
            description={t("senders.form.mpsLimitHint")}
            min={1}
            max={1000}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps("mpsLimit")}
          />
          <Select
            label={t("senders.form.messagingTier")}
            description={t("senders.tierHint")}
            allowDeselect={false}
            data={tierOptions(t, form.values.messagingTier)}
            {...form.getInputProps("messagingTier")}
          />
        </SimpleGrid>

        <div>
          <Anchor component="button" type="button" size="sm" onClick={advanced.toggle} aria-expanded={advancedOpen}>
            {t("senders.form.advanced")}
          </Anchor>
          <Collapse expanded={advancedOpen}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
              <TextInput
                label={t("senders.form.apiOrigin")}
                description={t("senders.form.apiOriginHint")}
                maxLength={200}
                {...form.getInputProps("apiOrigin")}
              />
              <TextInput
                label={t("senders.form.apiVersion")}
                description={t("senders.form.apiVersionHint")}
                placeholder="v23.0"
                maxLength={8}
                {...form.getInputProps("apiVersion")}
              />
            </SimpleGrid>
          </Collapse>
        </div>

        {editing ? (
          <Switch
            label={t("senders.form.disabled")}
            description={t("senders.form.disabledHint")}
            {...form.getInputProps("disabled", { type: "checkbox" })}
          />
        ) : null}

        {generalError ? (
          <Alert color="red" role="alert">
            {generalError}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {editing ? t("senders.save") : t("senders.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Where each value comes from: Meta's App Dashboard for `cloud`, nowhere for the built-in `sandbox`. */
function ProviderHelp({ provider }: { provider: SenderProvider }) {
  const { t } = useTranslation();
  if (provider === "sandbox") {
    return (
      <Alert color="grape" variant="light" icon={<IconFlask size={18} />} title={t("senders.help.sandboxTitle")}>
        {t("senders.help.sandboxBody")}
      </Alert>
    );
  }
  return (
    <Alert color="blue" variant="light" icon={<IconBrandMeta size={18} />} title={t("senders.help.cloudTitle")}>
      <List size="sm" spacing={4}>
        <List.Item>{t("senders.help.cloudIds")}</List.Item>
        <List.Item>{t("senders.help.cloudToken")}</List.Item>
        <List.Item>{t("senders.help.cloudSecret")}</List.Item>
        <List.Item>{t("senders.help.cloudVerify", { url: `${window.location.origin}/webhooks/whatsapp` })}</List.Item>
      </List>
    </Alert>
  );
}

function secretError(t: TFunction, value: string, editing: boolean): string | null {
  if (editing && value === "") return null;
  if (value.length >= MIN_SECRET) return null;
  return editing ? t("senders.form.secretTooShort") : t("senders.form.secretRequired");
}

function isTier(value: string): value is MessagingTier {
  return (MESSAGING_TIERS as readonly string[]).includes(value);
}

/** The tiers, plus the current value when the provider reported one this build does not know. */
function tierOptions(t: TFunction, current: string) {
  const options = MESSAGING_TIERS.map((tier) => ({ value: tier, label: t(`senders.tier.${tier}`) }));
  return isTier(current) ? options : [...options, { value: current, label: current }];
}

function newSenderFrom(values: Values): NewSender {
  return {
    name: values.name.trim(),
    provider: values.provider,
    phoneNumberId: values.phoneNumberId.trim(),
    wabaId: values.wabaId.trim(),
    ...(values.displayPhoneNumber.trim() ? { displayPhoneNumber: values.displayPhoneNumber.trim() } : {}),
    ...(values.apiOrigin.trim() ? { apiOrigin: values.apiOrigin.trim() } : {}),
    ...(values.apiVersion.trim() ? { apiVersion: values.apiVersion.trim() } : {}),
    accessToken: values.accessToken,
    appSecret: values.appSecret,
    verifyToken: values.verifyToken,
    mpsLimit: Number(values.mpsLimit),
    ...(isTier(values.messagingTier) ? { messagingTier: values.messagingTier } : {}),
  };
}

/** Only what changed; empty secret fields keep the stored secrets. */
function changesFrom(sender: Sender, values: Values): SenderChanges {
  const changes: SenderChanges = {};
  const name = values.name.trim();
  if (name !== sender.name) changes.name = name;
  const wabaId = values.wabaId.trim();
  if (wabaId !== sender.wabaId) changes.wabaId = wabaId;
  const display = values.displayPhoneNumber.trim();
  if (display && display !== sender.displayPhoneNumber) changes.displayPhoneNumber = display;
  const origin = values.apiOrigin.trim();
  if (origin !== (sender.apiOrigin ?? "")) changes.apiOrigin = origin || null;
  const version = values.apiVersion.trim();
  if (version && version !== sender.apiVersion) changes.apiVersion = version;
  for (const field of SECRETS) if (values[field]) changes[field] = values[field];
  if (Number(values.mpsLimit) !== sender.mpsLimit) changes.mpsLimit = Number(values.mpsLimit);
  if (values.messagingTier !== sender.messagingTier && isTier(values.messagingTier))
    changes.messagingTier = values.messagingTier;
  if (values.disabled !== sender.disabled) changes.disabled = values.disabled;
  return changes;
}
