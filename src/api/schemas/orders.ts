import { z } from "zod";
import { epochMs } from "./common.js";

const statuses = ["paid", "refunded", "cancelled"] as const;

export const orderSchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    contactId: z.string(),
    amount: z.number().int().describe("integer minor units of currency (₩15,000 = 15000, $12.34 = 1234)"),
    currency: z.string().describe("ISO 4217"),
    placedAt: epochMs,
    status: z.enum(statuses),
    items: z.array(z.unknown()).nullable(),
    source: z.string().nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "Order" });

/** One order upsert (also each item of a bulk upsert). */
export const orderItem = z.strictObject({
  externalId: z.string().min(1).max(200),
  contactId: z.string().max(64).optional(),
  phone: z.string().max(50).optional(),
  amount: z.number().int().min(0),
  currency: z.string().min(3).max(3),
  placedAt: epochMs,
  status: z.enum(statuses),
  items: z.array(z.unknown()).max(200).nullable().optional(),
  source: z.string().max(100).nullable().optional(),
});

export const upsertOrderBody = orderItem
  .extend({
    defaultCountry: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .optional(),
  })
  .meta({ id: "OrderUpsert" });

export const bulkOrdersBody = z.strictObject({
  defaultCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .optional(),
  orders: z.array(z.unknown()).min(1).describe("1–10,000 order upserts; more is a 413"),
});

export const listOrdersQuery = z.strictObject({
  contactId: z.string().max(64).optional(),
  status: z.enum(statuses).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
