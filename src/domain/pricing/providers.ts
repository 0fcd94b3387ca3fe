/**
 * Business solution providers' plans on top of Meta's price, as editable data, and a monthly comparison.
 * Figures are the seed's (whatsapp-platform.md §6): a provider's free messages waive its own per-message fee,
 * never Meta's, which every provider passes through. Money in micro-dollars like the rate card.
 */

export interface ProviderPlan {
  id: string;
  name: string;
  monthlyFeeMicroUsd: number;
  perMessageMicroUsd: number;
  freeMessagesPerMonth: number;
}

export const PROVIDER_PLANS: readonly ProviderPlan[] = [
  {
    id: "cloud_api",
    name: "Meta Cloud API (direct)",
    monthlyFeeMicroUsd: 0,
    perMessageMicroUsd: 0,
    freeMessagesPerMonth: 0,
  },
  { id: "twilio", name: "Twilio", monthlyFeeMicroUsd: 0, perMessageMicroUsd: 5_000, freeMessagesPerMonth: 0 },
  {
    id: "messagebird",
    name: "MessageBird",
    monthlyFeeMicroUsd: 50_000_000,
    perMessageMicroUsd: 4_500,
    freeMessagesPerMonth: 1_000,
  },
  {
    id: "zenvia",
    name: "Zenvia",
    monthlyFeeMicroUsd: 30_000_000,
    perMessageMicroUsd: 6_000,
    freeMessagesPerMonth: 500,
  },
];

export interface ProviderCost {
  plan: ProviderPlan;
  /** The provider's own charges: monthly fee + per-message fee beyond the free messages. */
  providerMicroUsd: number;
  /** Provider charges plus Meta's charges. */
  totalMicroUsd: number;
}

/** What one month costs with each plan, cheapest first, for `messages` messages whose Meta cost is `metaMicroUsd`. */
export function compareProviders(
  messages: number,
  metaMicroUsd: number,
  plans: readonly ProviderPlan[] = PROVIDER_PLANS,
): ProviderCost[] {
  return plans
    .map((plan) => {
      const billable = Math.max(0, messages - plan.freeMessagesPerMonth);
      const providerMicroUsd = plan.monthlyFeeMicroUsd + billable * plan.perMessageMicroUsd;
      return { plan, providerMicroUsd, totalMicroUsd: providerMicroUsd + metaMicroUsd };
    })
    .sort((a, b) => a.totalMicroUsd - b.totalMicroUsd || a.plan.id.localeCompare(b.plan.id));
}
