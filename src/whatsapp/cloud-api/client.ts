// The Cloud API adapter of the Provider port: one undici keep-alive pool to the Graph API origin (Meta's, or
// the sandbox's), one request per message (there is no batch endpoint, whatsapp-platform.md §1).
import { FormData } from "undici";
import type {
  CreatedTemplate,
  MediaUpload,
  OutboundMessage,
  PhoneNumberInfo,
  Provider,
  SenderRef,
  SendResult,
  TemplateCategory,
  TemplateDefinition,
  TemplatePage,
  TemplateQuery,
  TemplateStatus,
} from "../provider.js";
import { ProviderError } from "../provider-error.js";
import { GraphHttp } from "./http.js";
import { toCloudPayload } from "./payloads.js";
import { assertOutbound } from "./schemas.js";
import { fromWireTemplate, toWireTemplate, type WireTemplate } from "./templates.js";

/** Settings of a Cloud API client. */
/** Keep-alive connections of a provider pool unless told otherwise (see CloudApiOptions.connections). */
export const DEFAULT_CONNECTIONS = 256;

export interface CloudApiOptions {
  /** Default "https://graph.facebook.com"; the sandbox is e.g. "http://127.0.0.1:4010". */
  origin?: string;
  /** Graph API version, default "v23.0". */
  version?: string;
  /** Per-request timeout in milliseconds, default 15 s. */
  timeoutMs?: number;
  /**
   * Keep-alive connections at most, default 256 (opened only while all others are busy). One pool serves every
   * sender of an origin, and a send holds its connection for the whole round trip: at Meta's ~100–200 ms from
   * afar, 1,000 msg/s needs 100–200 of them. The former 16 capped all senders together at 16 / round trip (~100
   * msg/s to Meta; on loopback, replies fell behind whenever the sandbox answered in 30 ms).
   */
  connections?: number;
  /** Check bodies with zod before sending (default true). */
  validate?: boolean;
}

interface SendAnswer {
  contacts?: { input?: string; wa_id?: string }[];
  messages?: { id?: string; message_status?: string }[];
}

/** Creates a Provider that talks to the WhatsApp Cloud API (or anything that speaks it, like the sandbox). */
export function createCloudApiProvider(options: CloudApiOptions = {}): Provider {
  const version = options.version ?? "v23.0";
  const validate = options.validate ?? true;
  const http = new GraphHttp({
    origin: options.origin ?? "https://graph.facebook.com",
    timeoutMs: options.timeoutMs ?? 15_000,
    connections: options.connections ?? DEFAULT_CONNECTIONS,
  });
  const path = (...parts: string[]) => `/${version}/${parts.map(encodeURIComponent).join("/")}`;

  return {
    async send(sender: SenderRef, message: OutboundMessage): Promise<SendResult> {
      const body = toCloudPayload(message);
      if (validate) assertOutbound(body);
      const answer = (await http.request(
        "POST",
        path(sender.phoneNumberId, "messages"),
        sender.accessToken,
        JSON.stringify(body),
        "application/json",
      )) as SendAnswer | null;
      const sent = answer?.messages?.[0];
      if (!sent?.id) {
        throw new ProviderError({ code: 1, httpStatus: 200, message: "Send answer without a message id" });
      }
      const contact = answer?.contacts?.[0];
      const status = sent.message_status;
      return {
        messageId: sent.id,
        waId: contact?.wa_id,
        input: contact?.input ?? message.to,
        messageStatus:
          status === "accepted" || status === "held_for_quality_assessment" || status === "paused" ? status : undefined,
      };
    },

    async markRead(sender: SenderRef, messageId: string): Promise<void> {
      const body = { messaging_product: "whatsapp", status: "read", message_id: messageId };
      await http.request(
        "POST",
        path(sender.phoneNumberId, "messages"),
        sender.accessToken,
        JSON.stringify(body),
        "application/json",
      );
    },

    async uploadMedia(sender: SenderRef, upload: MediaUpload): Promise<{ id: string }> {
      const form = new FormData();
      form.set("messaging_product", "whatsapp");
      form.set("type", upload.mimeType);
      form.set("file", new Blob([upload.data], { type: upload.mimeType }), upload.filename);
      const answer = (await http.request("POST", path(sender.phoneNumberId, "media"), sender.accessToken, form)) as {
        id?: string;
      } | null;
      if (!answer?.id) throw new ProviderError({ code: 1, httpStatus: 200, message: "Upload answer without an id" });
      return { id: answer.id };
    },

    async listTemplates(sender: SenderRef, query: TemplateQuery = {}): Promise<TemplatePage> {
      const params = new URLSearchParams();
      if (query.name !== undefined) params.set("name", query.name);
      if (query.status !== undefined) params.set("status", query.status);
      if (query.category !== undefined) params.set("category", query.category);
      if (query.language !== undefined) params.set("language", query.language);
      params.set("limit", String(query.limit ?? 100));
      if (query.after !== undefined) params.set("after", query.after);
      const answer = (await http.request(
        "GET",
        `${path(sender.wabaId, "message_templates")}?${params}`,
        sender.accessToken,
      )) as { data?: WireTemplate[]; paging?: { cursors?: { after?: string }; next?: string } } | null;
      const templates = (answer?.data ?? []).map(fromWireTemplate);
      // Graph pages: `next` is present only when another page exists; its cursor is `cursors.after`.
      const next = answer?.paging?.next !== undefined ? answer.paging.cursors?.after : undefined;
      return { templates, next };
    },

    async createTemplate(sender: SenderRef, definition: TemplateDefinition): Promise<CreatedTemplate> {
      const answer = (await http.request(
        "POST",
        path(sender.wabaId, "message_templates"),
        sender.accessToken,
        JSON.stringify(toWireTemplate(definition)),
        "application/json",
      )) as { id?: string; status?: string; category?: string } | null;
      if (!answer?.id) throw new ProviderError({ code: 1, httpStatus: 200, message: "Create answer without an id" });
      return {
        id: String(answer.id),
        status: (answer.status ?? "PENDING") as TemplateStatus,
        category: (answer.category ?? definition.category) as TemplateCategory,
      };
    },

    async deleteTemplate(sender: SenderRef, name: string, id?: string): Promise<void> {
      const params = new URLSearchParams({ name });
      if (id !== undefined) params.set("hsm_id", id);
      await http.request("DELETE", `${path(sender.wabaId, "message_templates")}?${params}`, sender.accessToken);
    },

    async getPhoneNumber(sender: SenderRef): Promise<PhoneNumberInfo> {
      const fields = [
        "id",
        "display_phone_number",
        "verified_name",
        "quality_rating",
        "whatsapp_business_manager_messaging_limit",
        "throughput",
      ].join(",");
      const answer = (await http.request(
        "GET",
        `${path(sender.phoneNumberId)}?fields=${fields}`,
        sender.accessToken,
      )) as Record<string, unknown> | null;
      const a = answer ?? {};
      const str = (v: unknown) => (typeof v === "string" ? v : undefined);
      const quality = str(a.quality_rating);
      return {
        id: str(a.id) ?? sender.phoneNumberId,
        displayPhoneNumber: str(a.display_phone_number) ?? "",
        verifiedName: str(a.verified_name),
        qualityRating:
          quality === "GREEN" || quality === "YELLOW" || quality === "RED" || quality === "UNKNOWN"
            ? quality
            : undefined,
        messagingLimit: str(a.whatsapp_business_manager_messaging_limit) ?? str(a.messaging_limit_tier),
        throughputLevel: str((a.throughput as { level?: unknown } | undefined)?.level),
      };
    },

    async close(): Promise<void> {
      await http.close();
    },
  };
}
