/**
 * zod schemas for the editable pricing data: rate cards, pricing rules and provider plans (all money in
 * micro-dollars, whole numbers).
 */
import { z } from "zod";

const micro = z.number().int().nonnegative();
const rateOrNull = micro.nullable();

export const marketRatesSchema = z.strictObject({
  marketing: rateOrNull,
  utility: rateOrNull,
  authentication: rateOrNull,
  authenticationInternational: rateOrNull.optional(),
});

export const rateCardSchema = z.strictObject({
  id: z.string().min(1).max(100),
  effectiveFrom: z.number().int().nonnegative(),
  currency: z.literal("USD"),
  markets: z.record(z.string().regex(/^[a-z_]{2,40}$/u), marketRatesSchema),
  source: z.string().max(1000),
});

export const pricingRulesSchema = z.strictObject({
  utilityInWindowChargedFrom: z.number().int().nonnegative(),
  serviceChargedFrom: z.number().int().nonnegative(),
  freeServiceMessagesPerMonth: z.number().int().nonnegative(),
});

export const providerPlanSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,40}$/u),
  name: z.string().min(1).max(100),
  monthlyFeeMicroUsd: micro,
  perMessageMicroUsd: micro,
  freeMessagesPerMonth: z.number().int().nonnegative(),
});
