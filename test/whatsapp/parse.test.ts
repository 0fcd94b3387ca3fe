// Unit: the webhook parser on documented payloads (whatsapp-platform.md §4, reference §4.7). real: everything.
import { describe, expect, test } from "vitest";
import { parseWebhook } from "../../src/whatsapp/webhook/parse.js";

const meta = { display_phone_number: "15550783881", phone_number_id: "106540352242922" };
const envelope = (field: string, value: unknown, time?: number) => ({
  object: "whatsapp_business_account",
  entry: [{ id: "102290129340398", ...(time === undefined ? {} : { time }), changes: [{ field, value }] }],
});

describe("parseWebhook", () => {
  test("reads an inbound keyword with the sender's profile name", () => {
    const [e] = parseWebhook(
      envelope("messages", {
        messaging_product: "whatsapp",
        metadata: meta,
        contacts: [{ profile: { name: "김민수" }, wa_id: "821012345678" }],
        messages: [
          { from: "821012345678", id: "wamid.A", timestamp: "1764000000", type: "text", text: { body: "할인" } },
        ],
      }),
    );
    expect(e).toMatchObject({
      kind: "message",
      source: { wabaId: "102290129340398", phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" },
      contact: { waId: "821012345678", name: "김민수" },
      message: { type: "text", body: "할인", from: "821012345678", id: "wamid.A", timestamp: 1764000000000 },
    });
  });

  test("reads a template quick-reply tap with its context", () => {
    const [e] = parseWebhook(
      envelope("messages", {
        messaging_product: "whatsapp",
        metadata: meta,
        messages: [
          {
            context: { from: "15550783881", id: "wamid.T" },
            from: "821099998888",
            id: "wamid.B",
            timestamp: "1764000300",
            type: "button",
            button: { payload: "OFFER_YES", text: "Yes" },
          },
        ],
      }),
    );
    expect(e).toMatchObject({
      kind: "message",
      message: { type: "button", payload: "OFFER_YES", text: "Yes", context: { id: "wamid.T", from: "15550783881" } },
    });
  });

  test("reads interactive button and list replies, media, location and reactions", () => {
    const m = (x: object) => ({ from: "8210", id: "wamid.X", timestamp: "1", ...x });
    const events = parseWebhook(
      envelope("messages", {
        messaging_product: "whatsapp",
        metadata: meta,
        messages: [
          m({ type: "interactive", interactive: { type: "button_reply", button_reply: { id: "YES", title: "Yes" } } }),
          m({
            type: "interactive",
            interactive: { type: "list_reply", list_reply: { id: "S", title: "Small", description: "90" } },
          }),
          m({ type: "image", image: { id: "m1", mime_type: "image/jpeg", sha256: "abc", caption: "hi" } }),
          m({ type: "location", location: { latitude: 37.5, longitude: 127 } }),
          m({ type: "reaction", reaction: { message_id: "wamid.T", emoji: "" } }),
        ],
      }),
    );
    expect(events.map((e) => (e.kind === "message" ? e.message.type : e.kind))).toEqual([
      "interactive",
      "interactive",
      "image",
      "location",
      "reaction",
    ]);
    expect(events[1]).toMatchObject({ message: { reply: { kind: "list_reply", id: "S", description: "90" } } });
    expect(events[4]).toMatchObject({ message: { emoji: undefined, messageId: "wamid.T" } });
  });

  test("reads a delivered marketing status with pricing and no conversation (v24+)", () => {
    const [e] = parseWebhook(
      envelope("messages", {
        messaging_product: "whatsapp",
        metadata: meta,
        statuses: [
          {
            id: "wamid.S",
            status: "delivered",
            timestamp: "1764000120",
            recipient_id: "821099998888",
            biz_opaque_callback_data: "cmp-42",
            pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "marketing" },
          },
        ],
      }),
    );
    expect(e).toMatchObject({
      kind: "status",
      status: {
        messageId: "wamid.S",
        status: "delivered",
        timestamp: 1764000120000,
        callbackData: "cmp-42",
        conversation: undefined,
        pricing: { category: "marketing", type: "regular", pricingModel: "PMP" },
        errors: [],
      },
    });
  });

  test("reads a failed status with Meta's error", () => {
    const [e] = parseWebhook(
      envelope("messages", {
        messaging_product: "whatsapp",
        metadata: meta,
        statuses: [
          {
            id: "wamid.F",
            status: "failed",
            timestamp: "1764000061",
            recipient_id: "16505551234",
            errors: [{ code: 131049, title: "t", message: "m", error_data: { details: "d" } }],
          },
        ],
      }),
    );
    expect(e).toMatchObject({ kind: "status", status: { status: "failed", errors: [{ code: 131049, details: "d" }] } });
  });

  test("reads template status, quality, category and phone-number quality updates", () => {
    const events = [
      ...parseWebhook(
        envelope(
          "message_template_status_update",
          {
            event: "REJECTED",
            message_template_id: 1689556908129835,
            message_template_name: "spring_sale",
            message_template_language: "ko",
            reason: "INVALID_FORMAT",
            rejection_info: { reason: "adjacent", recommendation: "separate" },
          },
          1764000500,
        ),
      ),
      ...parseWebhook(
        envelope("message_template_quality_update", {
          previous_quality_score: "GREEN",
          new_quality_score: "RED",
          message_template_id: 1,
          message_template_name: "a",
          message_template_language: "en_US",
        }),
      ),
      ...parseWebhook(
        envelope("phone_number_quality_update", {
          display_phone_number: "15550783881",
          event: "DOWNGRADE",
          current_limit: "TIER_250",
        }),
      ),
      ...parseWebhook(envelope("account_update", { event: "ACCOUNT_VIOLATION" })),
    ];
    expect(events.map((e) => e.kind)).toEqual([
      "template_status",
      "template_quality",
      "phone_number_quality",
      "account_update",
    ]);
    expect(events[0]).toMatchObject({
      templateId: "1689556908129835",
      event: "REJECTED",
      reason: "INVALID_FORMAT",
      time: 1764000500000,
    });
    expect(events[2]).toMatchObject({ event: "DOWNGRADE", currentLimit: "TIER_250" });
  });

  test("keeps an unknown message type as kind unknown with the raw message", () => {
    const raw = { from: "8210", id: "wamid.U", timestamp: "1", type: "hologram", hologram: { x: 1 } };
    const [e] = parseWebhook(envelope("messages", { messaging_product: "whatsapp", metadata: meta, messages: [raw] }));
    expect(e).toMatchObject({ kind: "unknown", field: "messages", reason: 'unknown message type "hologram"' });
    expect(JSON.stringify(e)).toContain("hologram");
  });

  test("keeps an unknown field, a malformed status and a foreign object instead of dropping them", () => {
    expect(parseWebhook(envelope("brand_new_field", { a: 1 }))[0]).toMatchObject({
      kind: "unknown",
      field: "brand_new_field",
      raw: { a: 1 },
    });
    expect(
      parseWebhook(envelope("messages", { messaging_product: "whatsapp", metadata: meta, statuses: [{ id: 1 }] }))[0],
    ).toMatchObject({ kind: "unknown", reason: "status does not match its documented shape" });
    expect(parseWebhook({ object: "page", entry: [] })[0]).toMatchObject({ kind: "unknown" });
    expect(parseWebhook("nonsense")[0]).toMatchObject({ kind: "unknown", reason: "not a webhook envelope" });
  });

  test("returns every update of a batched POST in order", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "W",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: meta,
                statuses: [
                  { id: "a", status: "sent", timestamp: "1", recipient_id: "1" },
                  { id: "b", status: "read", timestamp: "2", recipient_id: "1" },
                ],
              },
            },
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: meta,
                statuses: [{ id: "c", status: "delivered", timestamp: "3", recipient_id: "1" }],
              },
            },
          ],
        },
      ],
    };
    expect(parseWebhook(body).map((e) => (e.kind === "status" ? e.status.messageId : "?"))).toEqual(["a", "b", "c"]);
  });
});
