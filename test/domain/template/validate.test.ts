import { describe, expect, it } from "vitest";
import { isHeraldError } from "../../../src/domain/errors.js";
import {
  assertValidTemplate,
  type Template,
  type TemplateButton,
  type TemplateRule,
  validateTemplate,
} from "../../../src/domain/template/index.js";
import { loginCode, orderShipped, springSale, withChanges } from "./fixtures.js";

function rules(template: Template): TemplateRule[] {
  return validateTemplate(template).map((issue) => issue.rule);
}

function issueFor(template: Template, rule: TemplateRule) {
  return validateTemplate(template).find((issue) => issue.rule === rule);
}

const body = (text: string, examples: Record<string, string> = {}) => withChanges(springSale, { body: text, examples });
const buttons = (list: TemplateButton[]) => withChanges(springSale, { buttons: list });

describe("validateTemplate: valid templates", () => {
  it("accepts a Korean marketing template with a text header, footer and grouped buttons", () => {
    expect(validateTemplate(springSale)).toEqual([]);
  });

  it("accepts a named utility template with a URL button", () => {
    expect(validateTemplate(orderShipped)).toEqual([]);
  });

  it("accepts an authentication template whose preset body starts with the code", () => {
    expect(validateTemplate(loginCode)).toEqual([]);
  });
});

describe("validateTemplate: name and language", () => {
  it("requires a name", () => {
    expect(rules(withChanges(springSale, { name: "" }))).toContain("name.required");
  });

  it("rejects capitals, spaces and hyphens in the name", () => {
    expect(issueFor(withChanges(springSale, { name: "Spring-Sale 2026" }), "name.charset")?.path).toBe("name");
  });

  it("rejects a name longer than 512 characters and accepts exactly 512", () => {
    expect(rules(withChanges(springSale, { name: "a".repeat(513) }))).toContain("name.length");
    expect(rules(withChanges(springSale, { name: "a".repeat(512) }))).not.toContain("name.length");
  });

  it("rejects a malformed language code", () => {
    expect(rules(withChanges(springSale, { language: "korean" }))).toContain("language.format");
    expect(rules(withChanges(springSale, { language: "en-US" }))).toContain("language.format");
  });
});

describe("validateTemplate: header", () => {
  it("rejects a text header over 60 characters and accepts exactly 60", () => {
    const over = withChanges(springSale, { header: { kind: "TEXT", text: "a".repeat(61) } });
    expect(issueFor(over, "header.text.length")?.path).toBe("header.text");
    expect(rules(withChanges(springSale, { header: { kind: "TEXT", text: "a".repeat(60) } }))).toEqual([]);
  });

  it("rejects an empty text header", () => {
    expect(rules(withChanges(springSale, { header: { kind: "TEXT", text: " " } }))).toContain("header.text.required");
  });

  it("rejects a text header with two variables", () => {
    const header = { kind: "TEXT" as const, text: "{{1}} and {{2}}", example: "x" };
    expect(rules(withChanges(springSale, { header }))).toContain("header.text.variables");
  });

  it("requires the header's single positional variable to be {{1}}", () => {
    const header = { kind: "TEXT" as const, text: "Hi {{2}}", example: "x" };
    expect(issueFor(withChanges(springSale, { header }), "variable.sequence")?.path).toBe("header.text");
  });

  it("requires a sample for the header's variable", () => {
    const header = { kind: "TEXT" as const, text: "Hi {{1}}" };
    expect(issueFor(withChanges(springSale, { header }), "example.required")?.path).toBe("header.example");
  });

  it("requires a sample file for a media header", () => {
    expect(rules(withChanges(springSale, { header: { kind: "IMAGE" } }))).toContain("header.example.required");
    expect(rules(withChanges(springSale, { header: { kind: "IMAGE", example: "4::aW1hZ2U=" } }))).toEqual([]);
  });

  it("accepts a location header without a sample", () => {
    expect(rules(withChanges(springSale, { header: { kind: "LOCATION" } }))).toEqual([]);
  });

  it("refuses any header on an authentication template", () => {
    expect(rules(withChanges(loginCode, { header: { kind: "TEXT", text: "Code" } }))).toContain("header.not_allowed");
  });
});

describe("validateTemplate: body", () => {
  it("requires a body", () => {
    expect(rules(body("   "))).toContain("body.required");
  });

  it("rejects a body over 1024 characters and accepts exactly 1024", () => {
    const filler = (n: number) => `안녕하세요 ${"가".repeat(n - 6)}`;
    expect(rules(body(filler(1025)))).toContain("body.length");
    expect(rules(body(filler(1024)))).toEqual([]);
  });

  it("rejects a body that starts with a variable", () => {
    expect(rules(body("{{1}}님, 세일이 시작되었습니다.", { "1": "김민수" }))).toContain("body.variable_at_start");
    expect(rules(body("  {{1}} hello there friend", { "1": "x" }))).toContain("body.variable_at_start");
  });

  it("rejects a body that ends with a variable, even before final punctuation", () => {
    expect(rules(body("Your code is {{1}}", { "1": "x" }))).toContain("body.variable_at_end");
    expect(rules(body("Your code is {{1}}.", { "1": "x" }))).toContain("body.variable_at_end");
    expect(rules(body("Your code is {{1}} today.", { "1": "x" }))).not.toContain("body.variable_at_end");
  });

  it("rejects adjacent variables separated only by a space", () => {
    const issue = issueFor(body("Hello {{1}} {{2}} welcome back", { "1": "a", "2": "b" }), "body.adjacent_variables");
    expect(issue?.message).toContain("{{1}} and {{2}}");
    expect(rules(body("Hello {{1}}{{2}} welcome", { "1": "a", "2": "b" }))).toContain("body.adjacent_variables");
  });

  it("accepts variables separated by punctuation", () => {
    expect(rules(body("Hello {{1}}, {{2}} welcome back", { "1": "a", "2": "b" }))).not.toContain(
      "body.adjacent_variables",
    );
  });

  it("rejects positional variables with a gap", () => {
    expect(rules(body("Hi {{1}}, order {{3}} shipped.", { "1": "a", "3": "c" }))).toContain("variable.sequence");
  });

  it("rejects positional variables out of order", () => {
    expect(rules(body("Hi {{2}}, order {{1}} shipped.", { "1": "a", "2": "b" }))).toContain("variable.sequence");
  });

  it("rejects positional variables that do not start at 1", () => {
    expect(rules(body("Hi {{2}} there friend", { "2": "b" }))).toContain("variable.sequence");
  });

  it("rejects a named variable in a positional template and a number in a named one", () => {
    expect(rules(body("Hi {{name}} there", { name: "a" }))).toContain("variable.format_mismatch");
    const named = withChanges(orderShipped, { body: "Hello {{1}}, your order shipped today.", examples: { "1": "a" } });
    expect(rules(named)).toContain("variable.format_mismatch");
  });

  it("rejects malformed placeholders: spaces, capitals, unbalanced braces", () => {
    expect(rules(body("Hi {{ 1 }} there", { " 1 ": "a" }))).toContain("variable.malformed");
    expect(rules(withChanges(orderShipped, { body: "Hi {{First}} there." }))).toContain("variable.malformed");
    expect(rules(body("Hi {{1} there"))).toContain("variable.malformed");
    expect(rules(body("Hi {{{1}}} there", { "1": "a" }))).toContain("variable.malformed");
  });

  it("requires a sample for every body variable, naming it in the path", () => {
    const issue = issueFor(body("Hi {{1}}, order {{2}} shipped.", { "1": "a" }), "example.required");
    expect(issue?.path).toBe("examples.2");
  });

  it("treats a blank sample as missing", () => {
    expect(rules(body("Hi {{1}}, welcome back.", { "1": " " }))).toContain("example.required");
  });

  it("refuses URLs and emoji in an authentication body", () => {
    expect(rules(withChanges(loginCode, { body: "{{1}} is your code. https://x.example" }))).toContain("body.no_url");
    expect(rules(withChanges(loginCode, { body: "{{1}} is your code 🔐" }))).toContain("body.no_emoji");
  });
});

describe("validateTemplate: footer", () => {
  it("rejects a footer over 60 characters", () => {
    expect(rules(withChanges(springSale, { footer: "a".repeat(61) }))).toContain("footer.length");
    expect(rules(withChanges(springSale, { footer: "a".repeat(60) }))).toEqual([]);
  });

  it("rejects a variable in the footer", () => {
    expect(rules(withChanges(springSale, { footer: "Bye {{1}}" }))).toContain("footer.variables");
  });
});

describe("validateTemplate: buttons", () => {
  const quick = (text: string): TemplateButton => ({ kind: "QUICK_REPLY", text });
  const url = (link = "https://shop.example.com/x"): TemplateButton => ({ kind: "URL", text: "Open", url: link });

  it("rejects more than 10 buttons and accepts 10", () => {
    expect(rules(buttons(Array.from({ length: 11 }, (_, i) => quick(`q${i}`))))).toContain("buttons.total");
    expect(rules(buttons(Array.from({ length: 10 }, (_, i) => quick(`q${i}`))))).toEqual([]);
  });

  it("rejects a third URL button", () => {
    expect(rules(buttons([url(), url(), url()]))).toContain("buttons.url_count");
    expect(rules(buttons([url(), url()]))).toEqual([]);
  });

  it("rejects a second phone-number button", () => {
    const phone: TemplateButton = { kind: "PHONE_NUMBER", text: "Call", phoneNumber: "+82 2-123-4567" };
    expect(rules(buttons([phone, phone]))).toContain("buttons.phone_count");
    expect(rules(buttons([phone]))).toEqual([]);
  });

  it("rejects a second copy-code button", () => {
    const copy: TemplateButton = { kind: "COPY_CODE", example: "SPRING10" };
    expect(rules(buttons([copy, copy]))).toContain("buttons.copy_code_count");
  });

  it("rejects quick replies split around another button", () => {
    expect(rules(buttons([quick("a"), url(), quick("b")]))).toContain("buttons.grouping");
    expect(rules(buttons([url(), quick("a"), quick("b")]))).not.toContain("buttons.grouping");
  });

  it("rejects a button label over 25 characters and an empty one", () => {
    expect(issueFor(buttons([quick("a".repeat(26))]), "button.text.length")?.path).toBe("buttons[0].text");
    expect(rules(buttons([quick("a".repeat(25))]))).toEqual([]);
    expect(rules(buttons([quick("")]))).toContain("button.text.required");
  });

  it("accepts a URL variable only at the end, written {{1}}, with a sample", () => {
    const mid: TemplateButton = { kind: "URL", text: "Open", url: "https://x.example.com/{{1}}/view", example: "a" };
    expect(rules(buttons([mid]))).toContain("button.url.variable");
    const two: TemplateButton = { kind: "URL", text: "Open", url: "https://x.example.com/{{1}}{{2}}", example: "a" };
    expect(rules(buttons([two]))).toContain("button.url.variable");
    const other: TemplateButton = { kind: "URL", text: "Open", url: "https://x.example.com/{{2}}", example: "a" };
    expect(rules(buttons([other]))).toContain("button.url.variable");
    const noSample: TemplateButton = { kind: "URL", text: "Open", url: "https://x.example.com/{{1}}" };
    expect(issueFor(buttons([noSample]), "button.example.required")?.path).toBe("buttons[0].example");
  });

  it("rejects a URL that is not http(s) or is too long", () => {
    expect(rules(buttons([url("ftp://x.example.com/a")]))).toContain("button.url.format");
    expect(rules(buttons([url("not a url")]))).toContain("button.url.format");
    expect(rules(buttons([url(`https://x.example.com/${"a".repeat(2000)}`)]))).toContain("button.url.length");
  });

  it("rejects an invalid phone number on a call button", () => {
    const phone: TemplateButton = { kind: "PHONE_NUMBER", text: "Call", phoneNumber: "+82 10 12" };
    expect(issueFor(buttons([phone]), "button.phone.invalid")?.path).toBe("buttons[0].phoneNumber");
  });

  it("requires a copy-code sample of at most 15 characters", () => {
    expect(rules(buttons([{ kind: "COPY_CODE", example: "" }]))).toContain("button.example.required");
    expect(rules(buttons([{ kind: "COPY_CODE", example: "A".repeat(16) }]))).toContain("button.example.length");
    expect(rules(buttons([{ kind: "COPY_CODE", example: "A".repeat(15) }]))).toEqual([]);
  });

  it("refuses an OTP button outside authentication templates", () => {
    expect(rules(buttons([{ kind: "OTP", otpType: "COPY_CODE" }]))).toContain("button.otp.category");
  });

  it("requires exactly one OTP button and nothing else in an authentication template", () => {
    expect(rules(withChanges(loginCode, { buttons: [] }))).toContain("buttons.otp_required");
    expect(rules(withChanges(loginCode, { buttons: [...loginCode.buttons, quick("ok")] }))).toContain(
      "buttons.otp_required",
    );
  });
});

describe("assertValidTemplate", () => {
  it("throws a validation_failed HeraldError carrying every issue", () => {
    try {
      assertValidTemplate(withChanges(springSale, { name: "Bad Name", footer: "{{1}}" }));
      expect.unreachable();
    } catch (err) {
      expect(isHeraldError(err, "validation_failed")).toBe(true);
      if (isHeraldError(err)) expect((err.details as { issues: unknown[] }).issues).toHaveLength(2);
    }
  });

  it("returns quietly for a valid template", () => {
    expect(() => assertValidTemplate(springSale)).not.toThrow();
  });
});
