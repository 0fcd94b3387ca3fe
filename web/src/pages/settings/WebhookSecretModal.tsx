import { useTranslation } from "react-i18next";
import type { WebhookSubscriptionWithSecret } from "../../api/webhook-subscriptions";
import { OneTimeSecretModal } from "./OneTimeSecretModal";

/** Shows a subscription's signing secret, the only time it is visible (the server keeps it sealed). */
export function WebhookSecretModal({
  created,
  onClose,
}: {
  created: WebhookSubscriptionWithSecret | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <OneTimeSecretModal
      onClose={onClose}
      shown={
        created && {
          title: t("webhooks.secretTitle"),
          warning: t("webhooks.secretWarning"),
          label: t("webhooks.secretLabel", { name: created.subscription.name }),
          secret: created.secret,
          testId: "webhook-secret",
          copyLabel: t("common.copy"),
          doneLabel: t("webhooks.secretDone"),
          footnote: t("webhooks.secretHow"),
        }
      }
    />
  );
}
