import { z } from "zod";
import { MESSAGE_STATUSES } from "../../store/tables/campaigns.js";
import { epochMs } from "./common.js";

const parameter = z.string().min(1).max(1024);

const header = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text"), text: z.string().min(1).max(60) }),
  z
    .strictObject({
      type: z.literal("media"),
      link: z.url({ protocol: /^https?$/ }).optional(),
      id: z.string().min(1).max(128).optional(),
      filename: z.string().min(1).max(240).optional(),
    })
    .refine((h) => (h.link === undefined) !== (h.id === undefined), "give either link or id"),
]);

export const sendMessageBody = z
  .strictObject({
    senderId: z.string().min(1).max(64).describe("the sender number to send from"),
    to: z.string().min(4).max(32).optional().describe("recipient phone, E.164 preferred (+821012345678)"),
    contactId: z.string().min(1).max(64).optional().describe("or a contact id instead of `to`"),
    template: z
      .strictObject({
        name: z.string().min(1).max(512),
        language: z.string().min(2).max(15).describe("e.g. ko, en_US"),
        variables: z
          .record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/), parameter)
          .optional()
          .describe('body variables: {"1": "김민수"} (positional) or {"first_name": "김민수"} (named)'),
        header: header.optional().describe("the header's variable or media, when the template has one"),
        buttons: z
          .record(z.string().regex(/^\d$/), parameter)
          .optional()
          .describe('button index → URL suffix, coupon code or quick-reply payload: {"0": "ord-123"}'),
      })
      .optional()
      .describe("an APPROVED template of the sender's WhatsApp Business Account; can be sent at any time"),
    text: z
      .strictObject({ body: z.string().min(1).max(4096), previewUrl: z.boolean().optional() })
      .optional()
      .describe("free-form text: only within 24 hours of the contact's last message"),
    idempotencyKey: z
      .string()
      .regex(/^[\x21-\x7e]{1,255}$/, "1–255 printable ASCII characters")
      .optional()
      .describe("a repeat with the same key returns the first message instead of sending again"),
  })
  .refine((b) => (b.to === undefined) !== (b.contactId === undefined), {
    message: "give either `to` or `contactId`",
    path: ["to"],
  })
  .refine((b) => (b.template === undefined) !== (b.text === undefined), {
    message: "give either `template` or `text`",
    path: ["template"],
  });

export const messageStatusSchema = z
  .object({
    id: z.string(),
    status: z
      .enum(MESSAGE_STATUSES)
      .describe("queued → sending → sent → delivered → read; or failed, skipped, unknown"),
    origin: z.string().describe("api, campaign, test, auto_reply, agent"),
    category: z.string().describe("marketing, utility, authentication or service (free text)"),
    to: z.string(),
    contactId: z.string().nullable(),
    senderId: z.string(),
    campaignId: z.string().nullable(),
    kind: z.string().describe("template, text, …"),
    template: z.object({ name: z.string(), language: z.string() }).nullable(),
    idempotencyKey: z.string().nullable(),
    skipReason: z.string().nullable(),
    error: z
      .object({ code: z.number().describe("Meta's error code, e.g. 131026"), message: z.string().nullable() })
      .nullable(),
    attempts: z.number(),
    providerMessageId: z.string().nullable().describe("WhatsApp's message id (wamid) once sent"),
    createdAt: epochMs,
    dueAt: epochMs,
    sentAt: epochMs.nullable(),
    deliveredAt: epochMs.nullable(),
    readAt: epochMs.nullable(),
    failedAt: epochMs.nullable(),
  })
  .meta({ id: "Message" });
