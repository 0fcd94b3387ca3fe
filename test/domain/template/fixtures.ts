import type { Template } from "../../../src/domain/template/index.js";

/** A marketing template that passes every rule and draws no lint warning. */
export const springSale: Template = {
  name: "spring_sale_2026",
  language: "ko",
  category: "MARKETING",
  parameterFormat: "POSITIONAL",
  header: { kind: "TEXT", text: "(광고) {{1}}님을 위한 봄 세일", example: "김민수" },
  body: "(광고) 안녕하세요 {{1}}님, 봄맞이 세일이 시작되었습니다. 주문번호 {{2}} 고객님께 쿠폰을 드려요. 지금 확인해 보세요.",
  examples: { "1": "김민수", "2": "ord-123" },
  footer: "수신거부는 아래 버튼을 눌러주세요",
  buttons: [
    { kind: "QUICK_REPLY", text: "좋아요" },
    { kind: "QUICK_REPLY", text: "수신거부" },
    { kind: "URL", text: "쿠폰 보기", url: "https://shop.example.co.kr/coupon/{{1}}", example: "SPRING10" },
  ],
};

/** A utility template that passes every rule. */
export const orderShipped: Template = {
  name: "order_shipped",
  language: "en_US",
  category: "UTILITY",
  parameterFormat: "NAMED",
  header: null,
  body: "Hello {{first_name}}, your order {{order_id}} has shipped and should arrive within three days. Thank you.",
  examples: { first_name: "Minsu", order_id: "ord-123" },
  footer: null,
  buttons: [{ kind: "URL", text: "Track order", url: "https://shop.example.com/track/{{1}}", example: "ord-123" }],
};

/** An authentication template as Meta builds it. */
export const loginCode: Template = {
  name: "login_code",
  language: "en_US",
  category: "AUTHENTICATION",
  parameterFormat: "POSITIONAL",
  header: null,
  body: "{{1}} is your verification code.",
  examples: { "1": "123456" },
  footer: "This code expires in 10 minutes.",
  buttons: [{ kind: "OTP", otpType: "COPY_CODE" }],
};

/** Copy a template with some fields replaced. */
export function withChanges(base: Template, changes: Partial<Template>): Template {
  return { ...base, ...changes };
}
