import { describe, expect, it } from "vitest";
import type { Template } from "../../src/domain/template/index.js";
import type { TemplateDefinition } from "../../src/whatsapp/provider.js";
import { fromTemplateDefinition, toTemplateDefinition } from "../../src/whatsapp/template-definition.js";
import { loginCode, orderShipped, springSale, withChanges } from "../domain/template/fixtures.js";

// Real: the conversion both ways. Nothing faked: pure functions over plain values.

const roundTrip = (template: Template) => fromTemplateDefinition(toTemplateDefinition(template));

describe("domain template → Meta's definition", () => {
  it("writes positional samples as one body_text row in variable order, and the full sample URL for a URL button", () => {
    expect(toTemplateDefinition(springSale)).toEqual({
      name: "spring_sale_2026",
      language: "ko",
      category: "MARKETING",
      parameterFormat: "POSITIONAL",
      components: [
        {
          type: "HEADER",
          format: "TEXT",
          text: springSale.header?.kind === "TEXT" ? springSale.header.text : "",
          example: { header_text: ["김민수"] },
        },
        { type: "BODY", text: springSale.body, example: { body_text: [["김민수", "ord-123"]] } },
        { type: "FOOTER", text: "수신거부는 아래 버튼을 눌러주세요" },
        {
          type: "BUTTONS",
          buttons: [
            { type: "QUICK_REPLY", text: "좋아요" },
            { type: "QUICK_REPLY", text: "수신거부" },
            {
              type: "URL",
              text: "쿠폰 보기",
              url: "https://shop.example.co.kr/coupon/{{1}}",
              example: ["https://shop.example.co.kr/coupon/SPRING10"],
            },
          ],
        },
      ],
    });
  });

  it("names each sample of a NAMED template with body_text_named_params", () => {
    const body = toTemplateDefinition(orderShipped).components.find((c) => c.type === "BODY");
    expect(body).toEqual({
      type: "BODY",
      text: orderShipped.body,
      example: {
        body_text_named_params: [
          { param_name: "first_name", example: "Minsu" },
          { param_name: "order_id", example: "ord-123" },
        ],
      },
    });
  });

  it("sends a media header's sample as header_handle and a body without variables without example", () => {
    const image = withChanges(springSale, {
      header: { kind: "IMAGE", example: "4::aGFuZGxl" },
      body: "(광고) 봄 세일이 시작되었어요. 매장에서 만나요.",
      examples: {},
    });
    const components = toTemplateDefinition(image).components;
    expect(components[0]).toEqual({ type: "HEADER", format: "IMAGE", example: { header_handle: ["4::aGFuZGxl"] } });
    expect(components[1]).toEqual({ type: "BODY", text: image.body });
  });
});

describe("Meta's definition → domain template", () => {
  it.each([
    ["a marketing template with a text header, quick replies and a URL variable", springSale],
    ["a named utility template", orderShipped],
    ["an authentication template with an OTP button", loginCode],
    [
      "a template with an image header, a phone button and a copy-code button",
      withChanges(springSale, {
        header: { kind: "IMAGE", example: "4::aGFuZGxl" },
        buttons: [
          { kind: "PHONE_NUMBER", text: "전화하기", phoneNumber: "+82212345678" },
          { kind: "COPY_CODE", example: "SPRING10" },
        ],
      }),
    ],
    ["a location header", withChanges(springSale, { header: { kind: "LOCATION" } })],
  ])("round-trips %s unchanged", (_name, template) => {
    expect(roundTrip(template)).toEqual({ ok: true, template });
  });

  it("reads a template as Graph lists it: lower-case types, samples keyed by number, a URL sample off its prefix", () => {
    const listed: TemplateDefinition = {
      name: "order_update",
      language: "en_US",
      category: "UTILITY",
      parameterFormat: "POSITIONAL",
      components: [
        { type: "body", text: "Hi {{1}}, order {{2}} is on its way.", example: { body_text: [["Ann", "A-1"]] } },
        {
          type: "buttons",
          buttons: [
            { type: "url", text: "Track", url: "https://t.example.com/{{1}}", example: ["https://t.example.com/A-1"] },
          ],
        },
      ] as unknown as TemplateDefinition["components"],
    };
    expect(fromTemplateDefinition(listed)).toEqual({
      ok: true,
      template: {
        name: "order_update",
        language: "en_US",
        category: "UTILITY",
        parameterFormat: "POSITIONAL",
        header: null,
        body: "Hi {{1}}, order {{2}} is on its way.",
        examples: { "1": "Ann", "2": "A-1" },
        footer: null,
        buttons: [{ kind: "URL", text: "Track", url: "https://t.example.com/{{1}}", example: "A-1" }],
      },
    });
  });

  it("refuses what Herald does not model, naming where: a carousel, a flow button, a missing body", () => {
    const carousel = {
      name: "cards",
      language: "en_US",
      category: "MARKETING",
      components: [
        { type: "BODY", text: "Look" },
        { type: "CAROUSEL", cards: [] },
      ],
    } as unknown as TemplateDefinition;
    expect(fromTemplateDefinition(carousel)).toMatchObject({ ok: false, path: "components[1].type" });

    const flow = {
      name: "signup",
      language: "en_US",
      category: "MARKETING",
      components: [
        { type: "BODY", text: "Join us" },
        { type: "BUTTONS", buttons: [{ type: "FLOW", text: "Sign up", flow_id: "1" }] },
      ],
    } as unknown as TemplateDefinition;
    expect(fromTemplateDefinition(flow)).toMatchObject({ ok: false, path: "components[1].buttons[0].type" });

    const headerOnly = {
      name: "x",
      language: "en_US",
      category: "UTILITY",
      components: [{ type: "HEADER", format: "TEXT", text: "Hi" }],
    } as TemplateDefinition;
    expect(fromTemplateDefinition(headerOnly)).toMatchObject({ ok: false, path: "components" });
  });
});
