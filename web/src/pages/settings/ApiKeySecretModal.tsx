import { useTranslation } from "react-i18next";
import type { CreatedApiKey } from "../../api/types";
import { OneTimeSecretModal } from "./OneTimeSecretModal";

/** Shows a new key's full secret, the only time it is ever visible: the server stores a hash. */
export function ApiKeySecretModal({ created, onClose }: { created: CreatedApiKey | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <OneTimeSecretModal
      onClose={onClose}
      shown={
        created && {
          title: t("apiKeys.secretTitle"),
          warning: t("apiKeys.secretWarning"),
          label: t("apiKeys.secretLabel", { name: created.apiKey.name }),
          secret: created.key,
          testId: "api-key-secret",
          copyLabel: t("apiKeys.copyKey"),
          doneLabel: t("apiKeys.done"),
        }
      }
    />
  );
}
