import { describe, expect, it } from "vitest";
import { toMetaTemplate } from "../../../src/domain/template/index.js";
import { loginCode, orderShipped, springSale, withChanges } from "./fixtures.js";

describe("toMetaTemplate", () => {
  it("writes a positional template with header, body samples, footer and buttons in Meta's shape", () => {
    expect(toMetaTemplate(springSale)).toEqual({
      name: "spring_sale_2026",
      language: "ko",
      category: "MARKETING",
      parameterFormat: "POSITIONAL",
      components: [
        { type: "HEADER", format: "TEXT", text: "(광고) {{1}}님을 위한 봄 세일", example: { header_text: ["김민수"] } },
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

  it("writes named samples as body_text_named_params", () => {
    const body = toMetaTemplate(orderShipped).components.find((component) => component.type === "BODY");
    expect(body).toMatchObject({
      example: {
        body_text_named_params: [
          { param_name: "first_name", example: "Minsu" },
          { param_name: "order_id", example: "ord-123" },
        ],
      },
    });
  });

  it("writes a media header sample as a header handle and an OTP button with its type", () => {
    const image = toMetaTemplate(withChanges(springSale, { header: { kind: "IMAGE", example: "4::aGFuZGxl" } }));
    expect(image.components[0]).toEqual({
      type: "HEADER",
      format: "IMAGE",
      example: { header_handle: ["4::aGFuZGxl"] },
    });
    expect(toMetaTemplate(loginCode).components.at(-1)).toEqual({
      type: "BUTTONS",
      buttons: [{ type: "OTP", otp_type: "COPY_CODE" }],
    });
  });
});
