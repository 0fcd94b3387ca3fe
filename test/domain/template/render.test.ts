import { describe, expect, it } from "vitest";
import { renderTemplate, type Template } from "../../../src/domain/template/index.js";
import { loginCode, orderShipped, springSale, withChanges } from "./fixtures.js";

describe("renderTemplate", () => {
  it("fills a positional Korean template into the bubble and the send components", () => {
    const result = renderTemplate(springSale, {
      header: { kind: "text", text: "김민수" },
      body: { "1": "김민수", "2": "ord-123" },
      buttons: { "0": "LIKE", "2": "SPRING10" },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.bubble).toEqual({
      header: { kind: "TEXT", text: "(광고) 김민수님을 위한 봄 세일" },
      body: "(광고) 안녕하세요 김민수님, 봄맞이 세일이 시작되었습니다. 주문번호 ord-123 고객님께 쿠폰을 드려요. 지금 확인해 보세요.",
      footer: "수신거부는 아래 버튼을 눌러주세요",
      buttons: [
        { kind: "QUICK_REPLY", text: "좋아요", payload: "LIKE" },
        { kind: "QUICK_REPLY", text: "수신거부", payload: "수신거부" },
        { kind: "URL", text: "쿠폰 보기", url: "https://shop.example.co.kr/coupon/SPRING10" },
      ],
    });
    expect(result.components).toEqual([
      { type: "header", parameters: [{ type: "text", text: "김민수" }] },
      {
        type: "body",
        parameters: [
          { type: "text", text: "김민수" },
          { type: "text", text: "ord-123" },
        ],
      },
      { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "LIKE" }] },
      { type: "button", sub_type: "url", index: "2", parameters: [{ type: "text", text: "SPRING10" }] },
    ]);
  });

  it("sends named parameters with their parameter_name", () => {
    const result = renderTemplate(orderShipped, {
      body: { order_id: "ord-9", first_name: "Minsu" },
      buttons: { "0": "ord-9" },
    });
    expect(result.ok && result.components[0]).toEqual({
      type: "body",
      parameters: [
        { type: "text", parameter_name: "first_name", text: "Minsu" },
        { type: "text", parameter_name: "order_id", text: "ord-9" },
      ],
    });
  });

  it("orders positional parameters by number even when the mapping lists them otherwise", () => {
    const result = renderTemplate(springSale, {
      header: { kind: "text", text: "A" },
      body: { "2": "second", "1": "first" },
      buttons: { "2": "x" },
    });
    const bodyComponent = result.ok ? result.components.find((c) => c.type === "body") : undefined;
    expect(bodyComponent?.parameters).toEqual([
      { type: "text", text: "first" },
      { type: "text", text: "second" },
    ]);
  });

  it("sends an image header by link and a document header with its filename", () => {
    const image = renderTemplate(withChanges(springSale, { header: { kind: "IMAGE", example: "h" } }), {
      header: { kind: "media", media: { link: "https://cdn.example.com/a.jpg" } },
      body: { "1": "a", "2": "b" },
      buttons: { "2": "x" },
    });
    expect(image.ok && image.components[0]).toEqual({
      type: "header",
      parameters: [{ type: "image", image: { link: "https://cdn.example.com/a.jpg" } }],
    });
    const doc = renderTemplate(withChanges(orderShipped, { header: { kind: "DOCUMENT", example: "h" } }), {
      header: { kind: "media", media: { id: "123" }, filename: "invoice.pdf" },
      body: { first_name: "a", order_id: "b" },
      buttons: { "0": "x" },
    });
    expect(doc.ok && doc.components[0]).toEqual({
      type: "header",
      parameters: [{ type: "document", document: { id: "123", filename: "invoice.pdf" } }],
    });
  });

  it("sends a location header", () => {
    const result = renderTemplate(withChanges(orderShipped, { header: { kind: "LOCATION" } }), {
      header: { kind: "location", latitude: 37.5, longitude: 127, name: "Store" },
      body: { first_name: "a", order_id: "b" },
      buttons: { "0": "x" },
    });
    expect(result.ok && result.components[0]).toEqual({
      type: "header",
      parameters: [{ type: "location", location: { latitude: 37.5, longitude: 127, name: "Store" } }],
    });
  });

  it("sends the one-time code in the body and on the OTP button", () => {
    const result = renderTemplate(loginCode, { body: { "1": "482913" } });
    expect(result.ok && result.components).toEqual([
      { type: "body", parameters: [{ type: "text", text: "482913" }] },
      { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "482913" }] },
    ]);
    expect(result.ok && result.bubble.buttons).toEqual([{ kind: "OTP", text: "Copy code", code: "482913" }]);
  });

  it("sends a coupon code on a copy-code button", () => {
    const template: Template = withChanges(springSale, { buttons: [{ kind: "COPY_CODE", example: "SPRING10" }] });
    const result = renderTemplate(template, {
      header: { kind: "text", text: "a" },
      body: { "1": "a", "2": "b" },
      buttons: { "0": "SPRING10" },
    });
    expect(result.ok && result.components.at(-1)).toEqual({
      type: "button",
      sub_type: "copy_code",
      index: "0",
      parameters: [{ type: "coupon_code", coupon_code: "SPRING10" }],
    });
  });

  describe("refusals", () => {
    const good = { header: { kind: "text" as const, text: "a" }, body: { "1": "a", "2": "b" }, buttons: { "2": "x" } };

    it("refuses a missing variable as 132000", () => {
      const result = renderTemplate(springSale, { ...good, body: { "1": "a" } });
      expect(result).toEqual({
        ok: false,
        issues: [{ path: "body.2", code: "missing_value", metaCode: 132000, message: "No value for this variable." }],
      });
    });

    it("refuses an empty value", () => {
      const result = renderTemplate(springSale, { ...good, body: { "1": " ", "2": "b" } });
      expect(!result.ok && result.issues[0]?.code).toBe("empty_value");
    });

    it.each([
      ["a newline", "김민수\n고객님"],
      ["a tab", "김민수\t고객님"],
      ["five spaces in a row", "김민수     고객님"],
    ])("refuses a value with %s (Meta error 132018)", (_label, value) => {
      const result = renderTemplate(springSale, { ...good, body: { "1": value, "2": "b" } });
      expect(!result.ok && result.issues[0]).toMatchObject({ code: "invalid_whitespace", metaCode: 132018 });
    });

    it("accepts four spaces in a row", () => {
      expect(renderTemplate(springSale, { ...good, body: { "1": "a    b", "2": "b" } }).ok).toBe(true);
    });

    it("refuses a filled body over 1024 characters as 132005", () => {
      const result = renderTemplate(springSale, { ...good, body: { "1": "가".repeat(1000), "2": "b" } });
      expect(!result.ok && result.issues).toContainEqual(
        expect.objectContaining({ path: "body", code: "too_long", metaCode: 132005 }),
      );
    });

    it("refuses a filled header over 60 characters", () => {
      const result = renderTemplate(springSale, { ...good, header: { kind: "text", text: "가".repeat(50) } });
      expect(!result.ok && result.issues[0]).toMatchObject({ path: "header", code: "too_long" });
    });

    it("refuses a missing header media and a header value of the wrong kind", () => {
      const imageTemplate = withChanges(springSale, { header: { kind: "IMAGE", example: "h" } });
      const missing = renderTemplate(imageTemplate, { body: good.body, buttons: good.buttons });
      expect(!missing.ok && missing.issues[0]?.code).toBe("missing_value");
      const wrong = renderTemplate(imageTemplate, { ...good, header: { kind: "text", text: "x" } });
      expect(!wrong.ok && wrong.issues[0]).toMatchObject({ code: "wrong_header_kind", metaCode: 132012 });
    });

    it("refuses a URL suffix with a newline and a missing suffix", () => {
      const newline = renderTemplate(springSale, { ...good, buttons: { "2": "a\nb" } });
      expect(!newline.ok && newline.issues[0]).toMatchObject({ path: "buttons.2", code: "invalid_whitespace" });
      const missing = renderTemplate(springSale, { ...good, buttons: {} });
      expect(!missing.ok && missing.issues[0]).toMatchObject({ path: "buttons.2", code: "missing_value" });
    });

    it("refuses a one-time code longer than 15 characters", () => {
      const result = renderTemplate(loginCode, { body: { "1": "1".repeat(16) } });
      expect(!result.ok && result.issues[0]?.code).toBe("invalid_value");
    });

    it("reports every refused value at once", () => {
      const result = renderTemplate(springSale, { body: {}, buttons: {} });
      expect(!result.ok && result.issues.map((issue) => issue.path)).toEqual([
        "header",
        "body.1",
        "body.2",
        "buttons.2",
      ]);
    });
  });
});
