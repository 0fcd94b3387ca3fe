import { describe, expect, it } from "vitest";
import {
  type LintCode,
  lintTemplate,
  promotionalTerms,
  type Template,
  type TemplateButton,
} from "../../../src/domain/template/index.js";
import { loginCode, orderShipped, springSale, withChanges } from "./fixtures.js";

function codes(template: Template): LintCode[] {
  return lintTemplate(template).map((finding) => finding.code);
}

describe("lintTemplate", () => {
  it("finds nothing in a careful Korean marketing template", () => {
    expect(lintTemplate(springSale)).toEqual([]);
  });

  it("finds nothing in a plain utility template", () => {
    expect(lintTemplate(orderShipped)).toEqual([]);
  });

  it("gives every finding a code, a severity and an explanation", () => {
    const findings = lintTemplate(withChanges(orderShipped, { body: "Hello {{first_name}}, get 20% off today only." }));
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(finding.explanation.length).toBeGreaterThan(20);
  });

  describe("promotional wording outside MARKETING", () => {
    it("warns about English promotional words in a utility body", () => {
      const template = withChanges(orderShipped, {
        body: "Hello {{first_name}}, your order {{order_id}} shipped. Enjoy a discount and free shipping next time!",
      });
      const finding = lintTemplate(template).find((f) => f.code === "promotional_wording");
      expect(finding?.severity).toBe("warning");
      expect(finding?.message).toContain('"discount"');
      expect(finding?.message).toContain('"free"');
    });

    it("warns about Korean promotional words, attached particles and all", () => {
      const template = withChanges(orderShipped, {
        language: "ko",
        body: "안녕하세요 {{first_name}}님, 주문 {{order_id}}이 발송되었습니다. 기간 한정 할인쿠폰을 확인하세요.",
      });
      const message = lintTemplate(template).find((f) => f.code === "promotional_wording")?.message ?? "";
      expect(message).toContain("할인");
      expect(message).toContain("기간 한정");
      expect(message).toContain("쿠폰");
    });

    it("warns about promotional words in an authentication footer", () => {
      const finding = lintTemplate(withChanges(loginCode, { footer: "Use code for 10% off" })).find(
        (f) => f.code === "promotional_wording",
      );
      expect(finding?.path).toBe("footer");
    });

    it("does not flag words that merely contain a promotional word", () => {
      expect(promotionalTerms("Freedom of wholesale offerings")).toEqual([]);
      expect(promotionalTerms("Get 20% off")).toEqual(["% off"]);
      expect(promotionalTerms("ＦＲＥＥ gift")).toEqual(["free"]);
    });

    it("does not flag promotional words in a MARKETING template", () => {
      expect(codes(springSale)).not.toContain("promotional_wording");
    });
  });

  it("warns when there are too many variables for the text (x variables need 2x + 1 words)", () => {
    const few = withChanges(orderShipped, {
      body: "Hi {{first_name}}, order {{order_id}} done.",
    });
    expect(codes(few)).toContain("too_many_variables");
    // 2 variables, 5 words: exactly the threshold.
    const enough = withChanges(orderShipped, { body: "Hi {{first_name}}, order {{order_id}} shipped today, thanks." });
    expect(codes(enough)).not.toContain("too_many_variables");
  });

  it("warns about a body that is only variables", () => {
    const template = withChanges(orderShipped, { body: "{{first_name}}" });
    expect(codes(template)).toContain("body_only_variables");
  });

  describe("links", () => {
    it("warns about a shortened link in the body, with or without a scheme", () => {
      expect(
        codes(withChanges(orderShipped, { body: "Hello {{first_name}}, track it at bit.ly/abc today please." })),
      ).toContain("url_shortener");
      expect(
        codes(withChanges(orderShipped, { body: "Hello {{first_name}}, track it at https://me2.do/xY today please." })),
      ).toContain("url_shortener");
    });

    it("warns about a shortener on a URL button", () => {
      const buttons: TemplateButton[] = [{ kind: "URL", text: "Open", url: "https://tinyurl.com/{{1}}", example: "a" }];
      expect(lintTemplate(withChanges(orderShipped, { buttons })).find((f) => f.code === "url_shortener")?.path).toBe(
        "buttons[0].url",
      );
    });

    it("warns when the URL button opens another site than the body's links", () => {
      const template = withChanges(orderShipped, {
        body: "Hello {{first_name}}, see https://shop.example.com/help for help with order {{order_id}} today.",
        buttons: [{ kind: "URL", text: "Track", url: "https://track.other-site.net/{{1}}", example: "a" }],
      });
      expect(codes(template)).toContain("url_domain_mismatch");
    });

    it("accepts a button on a subdomain of the body's site, including Korean second-level domains", () => {
      const template = withChanges(orderShipped, {
        body: "Hello {{first_name}}, see https://www.example.co.kr/help for order {{order_id}} today.",
        buttons: [{ kind: "URL", text: "Track", url: "https://m.example.co.kr/t/{{1}}", example: "a" }],
      });
      expect(codes(template)).not.toContain("url_domain_mismatch");
    });
  });

  it("warns about all-caps shouting", () => {
    const template = withChanges(orderShipped, {
      body: "HELLO {{first_name}}, YOUR ORDER {{order_id}} HAS SHIPPED AND WILL ARRIVE SOON.",
    });
    expect(codes(template)).toContain("all_caps");
    expect(codes(withChanges(orderShipped, { footer: "Reply STOP to opt out" }))).not.toContain("all_caps");
  });

  it("warns about more than five emoji", () => {
    const body = "Hello {{first_name}} 🎉🎉🎉, order {{order_id}} shipped 🚚🚚🚚 and arrives soon.";
    expect(codes(withChanges(orderShipped, { body }))).toContain("excessive_emoji");
    const five = "Hello {{first_name}} 🎉🎉, order {{order_id}} shipped 🚚🚚🚚 and arrives soon.";
    expect(codes(withChanges(orderShipped, { body: five }))).not.toContain("excessive_emoji");
  });

  it("warns about repeated or many exclamation marks, full-width ones included", () => {
    const base = "Hello {{first_name}}, order {{order_id}} shipped and arrives soon";
    expect(codes(withChanges(orderShipped, { body: `${base}!!` }))).toContain("excessive_exclamation");
    expect(codes(withChanges(orderShipped, { body: `${base}！！` }))).toContain("excessive_exclamation");
    expect(codes(withChanges(orderShipped, { body: `Wow! ${base}! Yes! Great!` }))).toContain("excessive_exclamation");
    expect(codes(withChanges(orderShipped, { body: `${base}!` }))).not.toContain("excessive_exclamation");
  });

  it("warns about a positional variable used twice", () => {
    const template = withChanges(springSale, {
      body: "(광고) 안녕하세요 {{1}}님, 오늘도 {{1}}님께 좋은 소식을 전해 드립니다. 확인해 보세요.",
      examples: { "1": "김민수" },
    });
    expect(codes(template)).toContain("repeated_variable");
  });

  it("warns about a sample for a variable the body does not have", () => {
    const finding = lintTemplate(
      withChanges(orderShipped, { examples: { ...orderShipped.examples, coupon: "X" } }),
    ).find((f) => f.code === "unused_example");
    expect(finding?.path).toBe("examples.coupon");
  });

  it("warns about a named variable longer than 20 characters", () => {
    const template = withChanges(orderShipped, {
      body: "Hello {{customer_first_name_long}}, your order {{order_id}} has shipped and arrives soon.",
      examples: { customer_first_name_long: "Minsu", order_id: "1" },
    });
    expect(codes(template)).toContain("long_variable_name");
  });

  it("warns about a well-formed language code Meta does not list", () => {
    expect(codes(withChanges(orderShipped, { language: "xx" }))).toContain("language_unlisted");
    expect(codes(withChanges(orderShipped, { language: "pt_BR" }))).not.toContain("language_unlisted");
  });

  describe("marketing advice (info level)", () => {
    const plain: Template = withChanges(springSale, {
      language: "en_US",
      header: null,
      body: "Hello {{1}}, our spring collection is here. Come and see what is new this week.",
      examples: { "1": "Minsu" },
      footer: null,
      buttons: [{ kind: "QUICK_REPLY", text: "Show me" }],
    });

    it("notes a marketing template without an opt-out hint", () => {
      const finding = lintTemplate(plain).find((f) => f.code === "missing_opt_out");
      expect(finding?.severity).toBe("info");
    });

    it("accepts a STOP quick reply, a 수신거부 quick reply or a footer hint as an opt-out", () => {
      const stop: TemplateButton[] = [...plain.buttons, { kind: "QUICK_REPLY", text: "STOP" }];
      expect(codes(withChanges(plain, { buttons: stop }))).not.toContain("missing_opt_out");
      expect(codes(withChanges(plain, { footer: "Reply STOP to unsubscribe" }))).not.toContain("missing_opt_out");
      expect(
        codes(withChanges(plain, { buttons: [...plain.buttons, { kind: "QUICK_REPLY", text: "수신거부" }] })),
      ).not.toContain("missing_opt_out");
    });

    it("does not count a quick reply that only contains an opt-out word", () => {
      const vague: TemplateButton[] = [...plain.buttons, { kind: "QUICK_REPLY", text: "Stop promotions" }];
      expect(codes(withChanges(plain, { buttons: vague }))).toContain("missing_opt_out");
    });

    it("notes a Korean marketing template that does not start with (광고)", () => {
      const template = withChanges(springSale, { header: null, body: springSale.body.replace("(광고) ", "") });
      expect(codes(template)).toContain("korean_ad_label");
      expect(codes(plain)).not.toContain("korean_ad_label");
    });

    it("notes a marketing body with no variable near the start", () => {
      const template = withChanges(plain, {
        body: "Our spring collection is here and it is the best one we have made in years. See it now, {{1}}, today.",
      });
      expect(codes(template)).toContain("no_personalization");
      expect(codes(plain)).not.toContain("no_personalization");
    });

    it("notes a marketing template without buttons", () => {
      expect(codes(withChanges(plain, { buttons: [] }))).toContain("no_call_to_action");
    });

    it("notes a document header in a marketing template", () => {
      expect(codes(withChanges(plain, { header: { kind: "DOCUMENT", example: "h" } }))).toContain("document_header");
    });

    it("lists warnings before info notes", () => {
      const findings = lintTemplate(
        withChanges(plain, { body: "Hello {{1}}, SALE NOW ON FOR EVERYONE, COME TODAY!!" }),
      );
      const severities = findings.map((f) => f.severity);
      expect(severities.indexOf("info")).toBeGreaterThan(severities.lastIndexOf("warning"));
    });
  });
});
