import { z } from "zod";
import { CONVERSATION_STATUSES } from "../../domain/inbox/conversation.js";
import { MESSAGE_STATUSES } from "../../store/tables/campaigns.js";
import { epochMs } from "./common.js";
import { contactSchema, metricsSchema } from "./contacts.js";

export const windowSchema = z
  .object({
    open: z.boolean().describe("free text may be sent"),
    closesAt: epochMs.nullable().describe("24 hours after the contact's last message to this number"),
    remainingMs: z.number().int(),
  })
  .meta({ id: "ServiceWindow" });

export const conversationSchema = z
  .object({
    id: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    contact: z.object({ id: z.string(), name: z.string(), phone: z.string(), language: z.string().nullable() }),
    sender: z.object({ id: z.string(), name: z.string(), displayPhoneNumber: z.string() }),
    assignee: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    lastInboundAt: epochMs.nullable(),
    lastOutboundAt: epochMs.nullable(),
    lastMessageAt: epochMs,
    lastPreview: z.string().nullable(),
    unread: z.number().int(),
    waitingSince: epochMs.nullable().describe("the contact's first unanswered message"),
    waitingMs: z.number().int(),
    overdue: z.boolean().describe("unanswered for 2 hours or more"),
    priority: z.boolean().describe("a high-value customer (the inbox settings' tag or segment; VIP by default)"),
    window: windowSchema,
    updatedAt: epochMs,
  })
  .meta({ id: "Conversation" });

export const threadItemSchema = z
  .discriminatedUnion("direction", [
    z.object({
      direction: z.literal("in"),
      id: z.string(),
      at: epochMs,
      type: z.string(),
      text: z.string().nullable(),
      payload: z.string().nullable(),
    }),
    z.object({
      direction: z.literal("out"),
      id: z.string(),
      at: epochMs,
      origin: z.enum(["campaign", "test", "auto_reply", "agent", "api"]),
      kind: z.string(),
      text: z.string(),
      template: z.string().nullable(),
      status: z.enum(MESSAGE_STATUSES),
      errorCode: z.number().int().nullable(),
      errorMessage: z.string().nullable(),
      sentAt: epochMs.nullable(),
      deliveredAt: epochMs.nullable(),
      readAt: epochMs.nullable(),
      author: z.object({ id: z.string(), name: z.string() }).nullable(),
    }),
  ])
  .meta({ id: "ConversationMessage" });

export const responseSchema = z.object({
  waitingSince: epochMs,
  respondedAt: epochMs,
  responseMs: z.number().int(),
  by: z.enum(["agent", "auto"]),
  user: z.object({ id: z.string(), name: z.string() }).nullable(),
});

export const conversationDetailSchema = z
  .object({
    conversation: conversationSchema,
    contact: contactSchema,
    tags: z.array(z.object({ tag: z.string(), source: z.enum(["manual", "rule"]) })),
    metrics: metricsSchema.nullable(),
    messages: z.array(threadItemSchema).describe("oldest first, the newest 100 each way"),
    responses: z.array(responseSchema).describe("first-response time of each answered waiting period, newest first"),
  })
  .meta({ id: "ConversationDetail" });

export const listConversationsQuery = z.strictObject({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assigned: z.string().min(1).max(64).optional().describe("`me`, `unassigned`, or a user id"),
  senderId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const replyBody = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("text"), text: z.string().trim().min(1).max(4096) }),
    z.strictObject({
      kind: z.literal("template"),
      templateId: z.string().min(1).max(64),
      values: z
        .record(z.string().max(64), z.string().max(1024))
        .optional()
        .describe('place → value: body variables ("1", "first_name"), "header", "button.N"'),
    }),
  ])
  .meta({ id: "ConversationReply" });

export const replyTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.string(),
  body: z.string(),
  places: z.array(z.string()),
  examples: z.record(z.string(), z.string()),
});

export const cannedReplySchema = z
  .object({
    id: z.string(),
    shortcut: z.string(),
    title: z.string(),
    body: z.string(),
    language: z.string(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "CannedReply" });

const language = z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "a language code like ko, en or en_US");

export const createCannedBody = z.strictObject({
  shortcut: z.string().min(1).max(33).describe("typed after / in the composer: a-z, 0-9, _ and -"),
  title: z.string().trim().min(1).max(100),
  body: z.string().min(1).max(4096),
  language,
});

export const patchCannedBody = createCannedBody.partial();

export const inboxSettingsSchema = z
  .object({
    priorityTag: z.string().min(1).max(50).nullable().describe("contacts with this tag come first"),
    prioritySegmentId: z.string().min(1).max(64).nullable().describe("or contacts in this segment"),
  })
  .meta({ id: "InboxSettings" });

const summary = {
  answered: z.number().int(),
  waiting: z.number().int(),
  medianMs: z.number().nullable(),
  averageMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
  within5MinShare: z.number().nullable(),
  autoShare: z.number().nullable(),
};

export const teamMetricsSchema = z
  .object({
    from: epochMs,
    to: epochMs,
    team: z.object(summary),
    agents: z.array(
      z.object({ ...summary, userId: z.string().nullable(), name: z.string(), replies: z.number().int() }),
    ),
    replies: z.object({ agent: z.number().int(), auto: z.number().int(), autoShare: z.number().nullable() }),
  })
  .meta({ id: "TeamMetrics" });
