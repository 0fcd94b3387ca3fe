// Display labels for the values a provider reports about a number, known ones translated, others shown as sent.
import { useTranslation } from "react-i18next";
import { MESSAGING_TIERS, type MessagingTier, QUALITY_RATINGS, type QualityRating } from "../../api/types";

function isTier(value: string): value is MessagingTier {
  return (MESSAGING_TIERS as readonly string[]).includes(value);
}

function isQuality(value: string): value is QualityRating {
  return (QUALITY_RATINGS as readonly string[]).includes(value);
}

/** "TIER_10K" → "10K / day"; a tier this build does not know is shown as the provider wrote it. */
export function useTierLabel(): (tier: string) => string {
  const { t } = useTranslation();
  return (tier) => (isTier(tier) ? t(`senders.tier.${tier}`) : tier);
}

/** "GREEN" → "High"; anything else as the provider wrote it. */
export function useQualityLabel(): (quality: string) => string {
  const { t } = useTranslation();
  return (quality) => (isQuality(quality) ? t(`senders.quality.${quality}`) : quality);
}
